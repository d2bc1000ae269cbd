"""Numbers in English text: digits, number words, scales (million, bn, m), clock times, dates
and decades, as the values of numbers.py. Digits count as numbers a translation may have added;
words only match."""

from __future__ import annotations

import re
from decimal import Decimal

from translate_summarize.text.entities.numbers import (
    MONTHS_EN,
    NumberMention,
    date_parts,
    english_digits,
    number_value,
    number_words,
    quantity,
    two_digit_year,
)

_EN_SCALE = r"(?:\s*(?P<scale>hundred|thousand|million|millions|billion|billions|trillion|bn|mn|m)\b)?"
_EN_NUMBER = re.compile(
    r"(?<![\w.,/])(?P<apos>['’])?(?P<d>\d+(?:[.,]\d+)*)"
    r"(?:(?P<suffix>st|nd|rd|th|s)\b|(?P<clock>:[0-5]\d)|(?=[^\w/]|$)|(?=(?:bn|mn|m|am|pm|a\.m|p\.m)\b))"
    r"(?:\s*(?P<ampm>[ap]\.?m\b\.?))?" + _EN_SCALE,
    re.IGNORECASE,
)
_EN_MONTH = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_EN_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m1>" + _EN_MONTH + r")\b"
    r"|(?P<m2>" + _EN_MONTH + r")\.?\s+(?:the\s+)?(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b)",
    re.IGNORECASE,
)
_EN_WORD = re.compile(
    r"\b([a-z]+)(?:-([a-z]+))?\b" + _EN_SCALE + r"(?:\s+(?P<scale2>thousand|million|billion)\b)?", re.IGNORECASE
)
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
            values |= quantity(reading, scale, keep_bare=scale_word == "m")
        suffix = (g["suffix"] or "").lower()
        if suffix in ("st", "nd", "rd", "th"):
            values.add(("ord", int(readings[0])))
        if suffix == "s" or g["apos"]:
            year = two_digit_year(g["d"]) if len(g["d"]) == 2 else readings[0]
            values |= {("decade", int(year)), number_value(year)}
        if re.match(r"\s*(?:noon|midnight|o['’]clock)\b", text[match.end() :], re.IGNORECASE) and readings[0] <= 24:
            values.add(("time", int(readings[0]) % 12, 0))
        if g["clock"] or g["ampm"] or re.fullmatch(r"\d{1,2}\.[0-5]\d", g["d"]):
            hour = int(g["d"].split(".")[0])
            minute = int((g["clock"] or ":0")[1:]) if g["clock"] else int(g["d"].split(".")[1]) if "." in g["d"] else 0
            if hour <= 24:
                values.add(("time", hour % 12, minute))
            if g["clock"]:
                values.add(number_value(f"{hour}.{minute:02d}"))
        found.append(NumberMention(match.group(), match.start(), match.end(), "cardinal", (frozenset(values),)))
    _share_scale(text, found, words)
    for match in re.finditer(r"(?<![\w.,/])(\d{1,2})/(\d{1,2})(?![\w/])", text):
        a, b = int(match[1]), int(match[2])
        values = {("date", b, a), ("date", a, b), number_value(a), number_value(b)}
        if b:
            values.add(number_value(Decimal(a) / Decimal(b)))
        found.append(
            NumberMention(match.group(), match.start(), match.end(), "date", (frozenset(values),), counted=False)
        )
    for match in _EN_DATE.finditer(text):
        day, month = match["d1"] or match["d2"], match["m1"] or match["m2"]
        values = date_parts(MONTHS_EN[month.lower()], int(day))
        found.append(NumberMention(match.group(), match.start(), match.end(), "date", (values,), counted=False))
    for match in _EN_WORD.finditer(text):
        value = _english_word_value(match[1], match[2], words)
        if value is None:
            continue
        kind, number = value
        if kind == "ordinal":
            values = {("ord", int(number)), number_value(number)}
        elif kind == "decade":
            values = {("decade", int(number)), number_value(number)}
        else:
            scale = words["scale"].get((match["scale"] or "").lower())
            if scale is not None and match["scale2"]:  # eight hundred thousand
                scale *= words["scale"][match["scale2"].lower()]
            values = set(quantity(number, scale))
        found.append(
            NumberMention(match.group(), match.start(), match.end(), kind, (frozenset(values),), counted=False)
        )
    for match in _EN_OCLOCK.finditer(text):
        value = _english_word_value(match[1], None, words)
        hour = int(value[1]) if value else int(match[1]) if match[1].isdigit() else None
        if hour is not None and hour <= 24:
            found.append(
                NumberMention(
                    match.group(), match.start(), match.end(), "time", (frozenset({("time", hour % 12, 0)}),), False
                )
            )
    for match in re.finditer(r"\b(noon|midday|midnight)\b", text, re.IGNORECASE):
        found.append(
            NumberMention(match.group(), match.start(), match.end(), "time", (frozenset({("time", 0, 0)}),), False)
        )
    # "one and a half hours", "an hour and a half" (= 1.5), "two and a half" (= 2.5)
    halves = r"\b(?:(one|two|three|four|five|six|seven|eight|nine|ten)|an?\s+\w+)\s+and\s+a\s+half\b"
    for match in re.finditer(halves, text, re.IGNORECASE):
        whole = words["cardinal"][match[1].lower()] if match[1] else Decimal(1)
        found.append(
            NumberMention(
                match.group(),
                match.start(),
                match.end(),
                "cardinal",
                (frozenset({number_value(whole + Decimal("0.5"))}),),
                False,
            )
        )
    # "a million" / "a thousand": a scale word on its own is the number itself.
    for match in re.finditer(r"\b(?:a|one)\s+(hundred|thousand|million|billion)\b", text, re.IGNORECASE):
        values = frozenset({number_value(words["scale"][match[1].lower()])})
        found.append(NumberMention(match.group(), match.start(), match.end(), "cardinal", (values,), counted=False))
    found.sort(key=lambda mention: mention.start)
    return found


_RANGE_JOIN = re.compile(r"\s*(?:-|–|to|or|and)\s*$", re.IGNORECASE)


def _share_scale(text: str, found: list[NumberMention], words: dict) -> None:
    """In "2-3 million" or "2 to 3 billion" the scale word belongs to both numbers."""
    for i in range(len(found) - 1):
        first, second = found[i], found[i + 1]
        scale = re.search(r"(hundred|thousand|million|billion|trillion|bn|mn)$", second.text, re.IGNORECASE)
        if (
            scale
            and not re.search(r"[a-z]$", first.text, re.IGNORECASE)
            and _RANGE_JOIN.match(text[first.end : second.start])
        ):
            factor = words["scale"][scale[1].lower()]
            products = frozenset(number_value(v[1] * factor) for v in first.values if v[0] == "n")
            found[i] = NumberMention(
                first.text, first.start, first.end, first.kind, (first.values | products,), first.counted
            )


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
        if words["cardinal"].get(second.lower()) is None and words["ordinal"].get(second.lower()) is None:
            return _english_word_value(first, None, words)  # five-speed, two-litre
        return None
    for kind in ("cardinal", "ordinal", "decade"):
        if first in words.get(kind, {}):
            return kind, words[kind][first]
    return None
