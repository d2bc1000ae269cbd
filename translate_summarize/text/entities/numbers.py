"""Numbers in Danish source text and in English translations, reduced to comparable values.

A number is compared by value, never by spelling: ``3,5 mio. kr.`` (Danish) and ``3.5 million
kroner`` or ``DKK 3,500,000`` (English) share the values 3.5 and 3500000. Each mention carries
one set of values per part that must survive translation (a range ``10-12`` or a date with a
year has two parts); a part survives when any of its values occurs among the translation's.

Values are tuples: ``("n", Decimal)`` a quantity, ``("ord", n)`` an ordinal, ``("time", h, m)``
a clock time (hours modulo 12: "kl. 22" is "10 pm"), ``("date", month, day)``, ``("decade",
first year)``. When a form is ambiguous every reading is kept on both sides, so that ambiguity
can hide an error but never invent one: a flag that fires on a correct translation teaches
readers to ignore flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from translate_summarize.text.segment_words import DANISH_MONTHS

Value = tuple


@dataclass(frozen=True)
class NumberMention:
    """A number as written (``text``, at ``start``:``end``), and what must survive translation.

    ``kind`` is one of cardinal, ordinal, time, date, decade, range, compound (a number inside
    a word, as in ``42-årige``). ``counted`` is False for English number words: they can match
    a Danish number but never count as a number the translation added.
    """

    text: str
    start: int
    end: int
    kind: str
    parts: tuple[frozenset, ...]
    counted: bool = True

    @property
    def values(self) -> frozenset:
        return frozenset().union(*self.parts)


@cache
def number_words(language: str) -> dict[str, dict[str, Decimal]]:
    """kind -> {word: value} for ``language`` ("da" or "en"), from data/number_words.tsv."""
    table: dict[str, dict[str, Decimal]] = {}
    text = resources.files(__package__).joinpath("data/number_words.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, kind, word, value = line.split("\t")
        if lang == language:
            table.setdefault(kind, {})[word] = Decimal(value)
    return table


MONTHS_DA = {
    **{m: i for i, m in enumerate(DANISH_MONTHS, 1)},
    **{
        m: i
        for i, m in enumerate(["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"], 1)
    },
    "sept": 9,
}
MONTH_ABBREVIATIONS = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec"])
MONTHS_EN = {
    **{
        m: i
        for i, m in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            1,
        )
    },
    **{
        m: i
        for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
    },
    "sept": 9,
}


def number_value(value) -> Value:
    return ("n", Decimal(value).normalize())


def quantity(number: Decimal, scale: Decimal | None, keep_bare: bool = False) -> frozenset:
    """A number, or with a scale word after it the product (3,5 mio. = 3500000), so that
    "3.5 billion" for "3,5 mio." is a mismatch. ``keep_bare`` keeps the number itself too, for
    English "m", which is also metres."""
    if scale is None:
        return frozenset({number_value(number)})
    return frozenset(
        {number_value(number * scale), number_value(number)} if keep_bare else {number_value(number * scale)}
    )


def danish_digits(digits: str) -> list[Decimal]:
    """Readings of a Danish numeral: comma is the decimal mark, dot groups thousands.

    ``1.000`` = 1000, ``3,5`` = 3.5, ``1.234,5`` = 1234.5; a dot followed by other than groups
    of three digits (``2.5``, copied from English) is read as a decimal point.
    """
    whole, _, fraction = digits.partition(",")
    groups = whole.split(".")
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        whole = "".join(groups)
    elif len(groups) > 1:
        if fraction:
            return []
        return [Decimal(whole)] if len(groups) == 2 else []
    try:
        return [Decimal(f"{whole}.{fraction}" if fraction else whole)]
    except InvalidOperation:
        return []


def english_digits(digits: str) -> list[Decimal]:
    """Readings of an English numeral: ``1,000`` = 1000, ``3.5`` = 3.5; a Danish-looking
    ``1.000`` or ``3,5`` (a copied source) also gets its Danish reading."""
    readings = []
    if "," in digits and "." not in digits:
        groups = digits.split(",")
        if all(len(g) == 3 for g in groups[1:]):
            readings.append(Decimal("".join(groups)))
    elif "," in digits and digits.count(".") == 1:
        readings.append(Decimal(digits.replace(",", "")))
    elif digits.count(".") <= 1:
        readings.append(Decimal(digits))
    return readings + [r for r in danish_digits(digits) if r not in readings]


def date_parts(month: int, day: int) -> frozenset:
    """A date's values: the date, and its day as an ordinal or a number ("on the 14th")."""
    return frozenset({("date", month, day), ("ord", day), number_value(day)})


def two_digit_year(text: str) -> Decimal:
    """A year; two digits are 1930-2029 ("70'erne" = 1970s, "10'erne" = 2010s)."""
    year = int(text)
    return Decimal(year + (1900 if year >= 30 else 2000) if len(text) == 2 else year)
