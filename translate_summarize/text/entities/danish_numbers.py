"""Numbers in Danish text: digits with decimal comma and thousands dot, mio./mia., clock
times, dates, decades, ordinals, ranges and number words (values: see numbers.py)."""

from __future__ import annotations

import re
from decimal import Decimal

from translate_summarize.text.entities.numbers import (
    MONTH_ABBREVIATIONS,
    MONTHS_DA,
    NumberMention,
    danish_digits,
    date_parts,
    number_value,
    number_words,
    quantity,
    two_digit_year,
)

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
        re.compile(
            r"(?<![\w.,])(?P<a>" + _DA_DIGITS + r")\s?[-–]\s?(?P<b>" + _DA_DIGITS + r")(?![\w]|[.,]\d)" + _DA_SCALE
        ),
    ),
    ("ordinal", re.compile(r"(?<![\w.,])(?P<d>\d{1,3})\.(?=\s+[a-zæøå])")),
    ("cardinal", re.compile(r"(?<![\w.,])(?P<d>" + _DA_DIGITS + r")(?![^\W_])" + _DA_SCALE)),
]


def _scale(words: dict, match: re.Match) -> Decimal | None:
    name = match.groupdict().get("scale")
    return words["scale"].get(name.lower().rstrip(".")) if name else None


def danish_numbers(text: str) -> list[NumberMention]:
    """Every number in Danish ``text``, in reading order."""
    words = number_words("da")
    taken = bytearray(len(text))  # characters already part of a number: linear however many numbers
    found: list[NumberMention] = []

    def add(match: re.Match, kind: str, parts: list[frozenset], keep_dot: bool = True) -> None:
        start, end = match.span()
        if any(taken[start:end]):
            return
        surface = match.group().rstrip()
        if not keep_dot and surface.endswith("."):  # "14. juli." ends a sentence; "1. jan." abbreviates
            surface = surface[:-1]
        taken[start:end] = b"\x01" * (end - start)
        found.append(NumberMention(surface, start, start + len(surface), kind, tuple(parts)))

    for kind, pattern in _DA_PATTERNS:
        for match in pattern.finditer(text):
            g = match.groupdict()
            if kind == "time":
                hour, minute = int(g["h"] or g["h2"]), int(g["m"] or g["m2"] or 0)
                if hour > 24:
                    continue
                values = {
                    ("time", hour % 12, minute),
                    number_value(hour) if not minute else number_value(f"{hour}.{minute:02d}"),
                }
                add(match, "time", [frozenset(values)])
            elif kind == "date":
                month = MONTHS_DA[g["month"].lower()]
                if not 1 <= int(g["d"]) <= 31:
                    continue
                parts = [date_parts(month, int(g["d"]))]
                if g["year"]:
                    parts.append(frozenset({number_value(g["year"])}))
                add(match, "date", parts, keep_dot=g["month"].lower() in MONTH_ABBREVIATIONS and not g["year"])
            elif kind == "slashdate":
                a, b = int(g["a"]), int(g["b"])
                readings = {("date", b, a)} if 1 <= a <= 31 and 1 <= b <= 12 else set()
                if b:
                    readings.add(number_value(Decimal(a) / Decimal(b)))  # or a fraction: 3/4
                parts = [frozenset(readings | {("ord", a), number_value(a)})]
                if g["year"]:
                    parts.append(frozenset({number_value(two_digit_year(g["year"])), number_value(g["year"])}))
                add(match, "date", parts)
            elif kind == "decade":
                year = two_digit_year(g["y"])
                add(match, "decade", [frozenset({("decade", int(year)), number_value(year), number_value(g["y"])})])
            elif kind == "range":
                scale = _scale(words, match)
                low, high = danish_digits(g["a"]), danish_digits(g["b"])
                if low and high:
                    add(match, "range", [quantity(low[0], scale), quantity(high[0], scale)])
            elif kind == "ordinal":
                add(match, "ordinal", [frozenset({("ord", int(g["d"])), number_value(g["d"])})])
            else:
                readings = danish_digits(g["d"])
                if readings:
                    glued = (
                        match.start() > 0
                        and text[match.start() - 1] in "-/"
                        or text[match.end() : match.end() + 1] == "-"
                    )
                    add(match, "compound" if glued else "cardinal", [quantity(readings[0], _scale(words, match))])
    for match in _danish_word_numbers(text, words):
        add(*match)
    found.sort(key=lambda mention: mention.start)
    return found


_TENS_DA = {
    "tyve": 20,
    "tredive": 30,
    "tredve": 30,
    "fyrre": 40,
    "halvtreds": 50,
    "tres": 60,
    "halvfjerds": 70,
    "firs": 80,
    "halvfems": 90,
}
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
            yield match, "range", [quantity(first[1], scale), quantity(second[1], scale)]
        elif first[0] == "ordinal":
            yield match, "ordinal", [frozenset({("ord", int(first[1])), number_value(first[1])})]
        else:
            yield match, "cardinal", [quantity(first[1], scale)]
