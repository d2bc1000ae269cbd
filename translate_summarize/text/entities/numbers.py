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

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

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
    **{m: i for i, m in enumerate("januar februar marts april maj juni juli august september oktober november december".split(), 1)},
    **{m: i for i, m in enumerate("jan feb mar apr maj jun jul aug sep okt nov dec".split(), 1)},
    "sept": 9,
}
MONTHS_EN = {
    **{m: i for i, m in enumerate("january february march april may june july august september october november december".split(), 1)},
    **{m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    "sept": 9,
}


def _n(value) -> Value:
    return ("n", Decimal(value).normalize())


def _quantity(number: Decimal, scale: Decimal | None) -> frozenset:
    """A number and, with a scale word after it, the product too (3,5 mio. = 3.5 and 3500000)."""
    values = {_n(number)}
    if scale is not None:
        values.add(_n(number * scale))
    return frozenset(values)


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
    elif "," in digits:
        try:
            readings.append(Decimal(digits.replace(",", "")))
        except InvalidOperation:
            pass
    elif digits.count(".") <= 1:
        readings.append(Decimal(digits))
    return readings + [r for r in danish_digits(digits) if r not in readings]


# ---- Danish -------------------------------------------------------------------------------

_DA_DIGITS = r"\d+(?:[.,]\d+)*"
_DA_UNITS = ("mio", "mia", "millioner", "milliarder", "million", "milliard", "tusind", "tusinde", "hundrede", "mil")
_DA_SCALE = r"(?:\s+(?P<scale>" + "|".join(_DA_UNITS) + r")\b\.?)?"
_WORDY = r"[^\W\d_]"  # a letter
# The patterns in the order they are tried; a later match never overlaps an earlier one.
_DA_PATTERNS = [
    (
        "time",
        re.compile(
            r"\b(?:kl\.|klokken)\s*(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?(?!\d)|(?<![\w.,])(?P<h2>\d{1,2})[.:](?P<m2>[0-5]\d)(?![\w]|[.,]\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "date",
        re.compile(
            r"(?<![\w.,])(?P<d>\d{1,2})\.\s*(?P<month>" + "|".join(sorted(MONTHS_DA, key=len, reverse=True)) + r")\b\.?"
            r"(?:\s+(?P<year>\d{4})(?!\d))?",
            re.IGNORECASE,
        ),
    ),
    ("slashdate", re.compile(r"(?<![\w.,/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:[/-](?P<year>\d{2,4}))?(?![\w/]|[.,]\d)")),
    ("decade", re.compile(r"(?<![\w.,])(?P<y>\d{2}|\d{4})\s?['’]?\s?(?:erne|ernes)\b", re.IGNORECASE)),
    (
        "range",
        re.compile(r"(?<![\w.,])(?P<a>" + _DA_DIGITS + r")\s?[-–]\s?(?P<b>" + _DA_DIGITS + r")(?![\w]|[.,]\d)" + _DA_SCALE),
    ),
    ("ordinal", re.compile(r"(?<![\w.,])(?P<d>\d{1,3})\.(?=\s+[a-zæøå])")),
    ("cardinal", re.compile(r"(?<![\w.,])(?P<d>" + _DA_DIGITS + r")(?!" + _WORDY + r")" + _DA_SCALE)),
]


def _scale(words: dict, match: re.Match) -> Decimal | None:
    name = match.groupdict().get("scale")
    return words["scale"].get(name.lower().rstrip(".")) if name else None


def _date_parts(month: int, day: int) -> frozenset:
    return frozenset({("date", month, day), ("ord", day), _n(day)})


def _year(text: str) -> Decimal:
    year = int(text)
    return Decimal(year + (1900 if year >= 30 else 2000) if len(text) == 2 else year)


def danish_numbers(text: str) -> list[NumberMention]:
    """Every number in Danish ``text``, in reading order."""
    words = number_words("da")
    taken: list[tuple[int, int]] = []
    found: list[NumberMention] = []

    def add(match: re.Match, kind: str, parts: list[frozenset]) -> None:
        start, end = match.span()
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(NumberMention(match.group().rstrip(), start, end, kind, tuple(parts)))

    for kind, pattern in _DA_PATTERNS:
        for match in pattern.finditer(text):
            g = match.groupdict()
            if kind == "time":
                hour, minute = int(g["h"] or g["h2"]), int(g["m"] or g["m2"] or 0)
                if hour > 24:
                    continue
                values = {("time", hour % 12, minute), _n(hour) if not minute else _n(f"{hour}.{minute:02d}")}
                add(match, "time", [frozenset(values)])
            elif kind == "date":
                month = MONTHS_DA[g["month"].lower()]
                if not 1 <= int(g["d"]) <= 31:
                    continue
                parts = [_date_parts(month, int(g["d"]))]
                if g["year"]:
                    parts.append(frozenset({_n(g["year"])}))
                add(match, "date", parts)
            elif kind == "slashdate":
                a, b = int(g["a"]), int(g["b"])
                readings = {("date", b, a)} if 1 <= a <= 31 and 1 <= b <= 12 else set()
                if b:
                    readings.add(_n(Decimal(a) / Decimal(b)))  # or a fraction: 3/4
                parts = [frozenset(readings | {("ord", a), _n(a)})]
                if g["year"]:
                    parts.append(frozenset({_n(_year(g["year"])), _n(g["year"])}))
                add(match, "date", parts)
            elif kind == "decade":
                year = _year(g["y"])
                add(match, "decade", [frozenset({("decade", int(year)), _n(year), _n(g["y"])})])
            elif kind == "range":
                scale = _scale(words, match)
                low, high = danish_digits(g["a"]), danish_digits(g["b"])
                if low and high:
                    add(match, "range", [_quantity(low[0], scale), _quantity(high[0], scale)])
            elif kind == "ordinal":
                add(match, "ordinal", [frozenset({("ord", int(g["d"])), _n(g["d"])})])
            else:
                readings = danish_digits(g["d"])
                if readings:
                    glued = match.start() > 0 and text[match.start() - 1] in "-/" or text[match.end() : match.end() + 1] == "-"
                    add(match, "compound" if glued else "cardinal", [_quantity(readings[0], _scale(words, match))])
    for match in _danish_word_numbers(text, words):
        add(*match)
    found.sort(key=lambda mention: mention.start)
    return found


_TENS_DA = {"tyve": 20, "tredive": 30, "tredve": 30, "fyrre": 40, "halvtreds": 50, "tres": 60, "halvfjerds": 70, "firs": 80, "halvfems": 90}
_UNITS_DA = {"en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9}
_COMPOUND_DA = re.compile(r"\b(" + "|".join(_UNITS_DA) + r")og(" + "|".join(_TENS_DA) + r")\b", re.IGNORECASE)


def _danish_word_value(word: str, words: dict) -> tuple[str, Decimal] | None:
    lower = word.lower()
    if lower in words["cardinal"]:
        return "cardinal", words["cardinal"][lower]
    compound = _COMPOUND_DA.fullmatch(lower)
    if compound:
        return "cardinal", Decimal(_UNITS_DA[compound[1]] + _TENS_DA[compound[2]])
    if lower in words["ordinal"]:
        return "ordinal", words["ordinal"][lower]
    return None


_DA_WORD = re.compile(r"(?<![\w\-])([^\W\d_]+)(?:-([^\W\d_]+))?(?![\w\-])" + _DA_SCALE)


def _danish_word_numbers(text: str, words: dict):
    """(match, kind, parts) for numbers written as words: ``tre``, ``femogtyve``, ``fem-seks``,
    ``to millioner``, ``første``. ``en``/``et`` are articles far more often than numbers."""
    for match in _DA_WORD.finditer(text):
        first = _danish_word_value(match[1], words)
        if first is None:
            continue
        scale = _scale(words, match)
        if match[2]:  # fem-seks: a range of words
            second = _danish_word_value(match[2], words)
            if second is None or first[0] != "cardinal" or second[0] != "cardinal":
                continue
            yield match, "range", [_quantity(first[1], scale), _quantity(second[1], scale)]
        elif first[0] == "ordinal":
            yield match, "ordinal", [frozenset({("ord", int(first[1])), _n(first[1])})]
        else:
            yield match, "cardinal", [_quantity(first[1], scale)]


# ---- English ------------------------------------------------------------------------------

_EN_SCALE = r"(?:\s*(?P<scale>hundred|thousand|million|millions|billion|billions|trillion|bn|mn|m)\b)?"
_EN_NUMBER = re.compile(
    r"(?<![\w.,])(?P<apos>['’])?(?P<d>\d+(?:[.,]\d+)*)"
    r"(?:(?P<suffix>st|nd|rd|th|s)\b|(?P<clock>:[0-5]\d)|(?=[^\w]|$)|(?=(?:bn|mn|m|am|pm|a\.m|p\.m)\b))"
    r"(?:\s*(?P<ampm>[ap]\.?m\b\.?))?" + _EN_SCALE,
    re.IGNORECASE,
)
_EN_MONTH = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_EN_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m1>" + _EN_MONTH + r")\b"
    r"|(?P<m2>" + _EN_MONTH + r")\.?\s+(?:the\s+)?(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b)",
    re.IGNORECASE,
)
_EN_WORD = re.compile(r"\b([a-z]+)(?:-([a-z]+))?\b" + _EN_SCALE, re.IGNORECASE)
_EN_OCLOCK = re.compile(r"\b(\w+)\s+o['’]clock\b", re.IGNORECASE)


def english_numbers(text: str) -> list[NumberMention]:
    """Every number in English ``text``: digits (counted) and number words (not counted)."""
    words = number_words("en")
    found: list[NumberMention] = []
    for match in _EN_NUMBER.finditer(text):
        g = match.groupdict()
        readings = english_digits(g["d"])
        if not readings:
            continue
        scale_word = (g["scale"] or "").lower()
        scale = words["scale"].get(scale_word)
        values: set = set()
        for reading in readings:
            values |= _quantity(reading, scale)
        suffix = (g["suffix"] or "").lower()
        if suffix in ("st", "nd", "rd", "th"):
            values.add(("ord", int(readings[0])))
        if suffix == "s" or g["apos"]:
            year = _year(g["d"]) if len(g["d"]) == 2 else readings[0]
            values |= {("decade", int(year)), _n(year)}
        if g["clock"] or g["ampm"] or re.fullmatch(r"\d{1,2}\.[0-5]\d", g["d"]):
            hour = int(g["d"].split(".")[0])
            minute = int((g["clock"] or ":0")[1:]) if g["clock"] else int(g["d"].split(".")[1]) if "." in g["d"] else 0
            ampm = (g["ampm"] or "").lower()
            if hour <= 24:
                values.add(("time", hour % 12, minute))
            if g["clock"]:
                values.add(_n(f"{hour}.{minute:02d}"))
            del ampm
        if "/" in text[match.end() : match.end() + 1]:
            pass
        found.append(NumberMention(match.group(), match.start(), match.end(), "cardinal", (frozenset(values),)))
    for match in re.finditer(r"(?<![\w.,/])(\d{1,2})/(\d{1,2})(?![\w/])", text):
        a, b = int(match[1]), int(match[2])
        values = {("date", b, a), ("date", a, b), _n(a), _n(b)}
        if b:
            values.add(_n(Decimal(a) / Decimal(b)))
        found.append(NumberMention(match.group(), match.start(), match.end(), "date", (frozenset(values),), counted=False))
    for match in _EN_DATE.finditer(text):
        day, month = match["d1"] or match["d2"], match["m1"] or match["m2"]
        values = _date_parts(MONTHS_EN[month.lower()], int(day))
        found.append(NumberMention(match.group(), match.start(), match.end(), "date", (values,), counted=False))
    for match in _EN_WORD.finditer(text):
        value = _english_word_value(match[1], match[2], words)
        if value is None:
            continue
        kind, number = value
        if kind == "ordinal":
            values = {("ord", int(number)), _n(number)}
        elif kind == "decade":
            values = {("decade", int(number)), _n(number)}
        else:
            values = set(_quantity(number, words["scale"].get((match["scale"] or "").lower())))
        found.append(NumberMention(match.group(), match.start(), match.end(), kind, (frozenset(values),), counted=False))
    for match in _EN_OCLOCK.finditer(text):
        value = _english_word_value(match[1], None, words)
        hour = int(value[1]) if value else int(match[1]) if match[1].isdigit() else None
        if hour is not None and hour <= 24:
            found.append(
                NumberMention(match.group(), match.start(), match.end(), "time", (frozenset({("time", hour % 12, 0)}),), False)
            )
    for match in re.finditer(r"\b(noon|midday|midnight)\b", text, re.IGNORECASE):
        found.append(NumberMention(match.group(), match.start(), match.end(), "time", (frozenset({("time", 0, 0)}),), False))
    for match in re.finditer(r"\b(one|two|three|four|five|six|seven|eight|nine|ten)\s+and\s+a\s+half\b", text, re.IGNORECASE):
        whole = words["cardinal"][match[1].lower()]
        found.append(NumberMention(match.group(), match.start(), match.end(), "cardinal", (frozenset({_n(whole + Decimal("0.5"))}),), False))
    found.sort(key=lambda mention: mention.start)
    return found


def _english_word_value(first: str, second: str | None, words: dict) -> tuple[str, Decimal] | None:
    first = first.lower()
    if second:  # twenty-five, twenty-first
        tens = words["cardinal"].get(first)
        unit = words["cardinal"].get(second.lower())
        if tens is not None and unit is not None and tens >= 20 and tens % 10 == 0 and unit < 10:
            return "cardinal", tens + unit
        ordinal = words["ordinal"].get(second.lower())
        if tens is not None and ordinal is not None and tens >= 20:
            return "ordinal", tens + ordinal
        return None
    for kind in ("cardinal", "ordinal", "decade"):
        if first in words.get(kind, {}):
            return kind, words[kind][first]
    if first in ("a", "an", "one") and False:
        return None
    return None


# ---- the comparison -----------------------------------------------------------------------


def compare_numbers(source: str, translation: str) -> dict[str, list[str]]:
    """``{"missing": [...], "added": [...]}``: source numbers (as written in Danish) that the
    translation lacks, and numbers written in digits in the translation that the source lacks."""
    source_mentions = danish_numbers(source)
    target_mentions = english_numbers(translation)
    target_values = frozenset().union(*(m.values for m in target_mentions))
    # "a million" / "a thousand": a scale word on its own is the number itself.
    for match in re.finditer(r"\b(?:a|one)\s+(hundred|thousand|million|billion)\b", translation, re.IGNORECASE):
        target_values |= {_n(number_words("en")["scale"][match[1].lower()])}
    source_values = frozenset().union(*(m.values for m in source_mentions))
    missing = []
    for mention in source_mentions:
        if not all(part & target_values for part in mention.parts) and mention.text not in missing:
            missing.append(mention.text)
    added = []
    for mention in target_mentions:
        if mention.counted and not mention.values & source_values and mention.text not in added:
            added.append(mention.text)
    return {"missing": missing, "added": added}
