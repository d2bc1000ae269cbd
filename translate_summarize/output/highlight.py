"""What the number, name and glossary flags point at: the reason per finding ("number 3
missing"), for every output, and the spans to highlight on the review page, in the Danish
column (a missing number, name or term) and in the English one (a number the translation
added)."""

from __future__ import annotations

import re
from html import escape

from translate_summarize.text.entities import danish_numbers, english_numbers
from translate_summarize.text.glossary import BUILT_IN, built_in_kind, term_pattern

Span = tuple[int, int, str]
"""(start, end, reason) in a sentence."""


def flag_reasons(segment) -> list[str]:
    """What a reader should look for, one phrase per finding: "number 3,5 missing",
    "name Lars Løkke Rasmussen missing", "glossary: Folketinget → the Folketing" (a built-in
    term: "institution: Folketinget → Folketing", "event: ..."); the other flags by name."""
    details = segment.flag_details or {}
    reasons = []
    for flag in segment.flags:
        if flag == "number_mismatch" and flag in details:
            reasons += [f"number {n} missing" for n in details[flag].get("missing", [])]
            reasons += [f"number {n} added" for n in details[flag].get("added", [])]
        elif flag == "name_missing" and flag in details:
            reasons += [f"name {name} missing" for name in details[flag]]
        elif flag == "glossary" and flag in details:
            reasons += [_glossary_reason(entry) for entry in details[flag]]
        else:
            reasons.append(flag)
    return reasons


def flagged_spans(segment) -> tuple[list[Span], list[Span]]:
    """(spans in ``segment.source``, spans in ``segment.translation``) of what its
    ``flag_details`` name; each reason is the phrase a reader sees ("number 3 missing")."""
    details = segment.flag_details or {}
    source: list[Span] = []
    target: list[Span] = []
    numbers = details.get("number_mismatch") or {}
    missing = set(numbers.get("missing", []))
    added = set(numbers.get("added", []))
    source += [
        (m.start, m.end, f"number {m.text} missing") for m in danish_numbers(segment.source) if m.text in missing
    ]
    target += [
        (m.start, m.end, f"number {m.text} added") for m in english_numbers(segment.translation) if m.text in added
    ]
    for name in details.get("name_missing", []):
        for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", segment.source):
            source.append((match.start(), match.end(), f"name {name} missing"))
    for entry in details.get("glossary", []):
        for match in term_pattern(entry["term"], entry.get("source") == BUILT_IN).finditer(segment.source):
            source.append((match.start(), match.end(), _glossary_reason(entry)))
    return _disjoint(source), _disjoint(target)


def _glossary_reason(entry: dict) -> str:
    """``glossary: TERM → ENGLISH`` for a term of the --glossary file; a built-in term says what
    it names (``institution: Folketinget → Folketing``)."""
    label = built_in_kind(entry["term"]) if entry.get("source") == BUILT_IN else "glossary"
    return f"{label}: {entry['term']} → {entry['english']}"


def _disjoint(spans: list[Span]) -> list[Span]:
    """Spans in reading order, dropping any that overlaps one before it."""
    kept: list[Span] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def marked_html(text: str, spans: list[Span], offset: int = 0) -> str:
    """``text`` escaped for HTML, each span (shifted by ``offset``, e.g. a line prefix) in a
    ``<mark>`` whose title says why."""
    parts = []
    position = 0
    for start, end, reason in spans:
        start, end = start + offset, end + offset
        parts.append(escape(text[position:start]))
        parts.append(f'<mark title="{escape(reason)}">{escape(text[start:end])}</mark>')
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)
