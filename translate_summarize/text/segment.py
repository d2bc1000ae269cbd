"""Article structure: leading metadata, paragraphs, lines, line markers and their sentences.

Sentences come from :mod:`translate_summarize.text.segment_sentences` (Danish rules) and the
abbreviation lists from :mod:`translate_summarize.text.segment_words`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from translate_summarize.text.segment_sentences import TooManySegments, split_sentences

__all__ = ["ParsedArticle", "SourceSegment", "TooManySegments", "extract_metadata", "parse_article", "split_sentences"]

_TERMINAL = re.compile(r"[.!?…:;][\"'”»)\]]*$")
_DIALOGUE = re.compile(r"^\s*[-–—]\s")
# Line markers that never reach the model: DR-style quote dashes in any text and, in Markdown,
# headings, bullets and block quotes. The marker and the space after it form the prefix.
_QUOTE_DASH = re.compile(r"^[-–—][ \t]+(?=\S)")
# Markdown markers may be indented (nested lists); block quotes may nest (">>", "> >"); list
# items may be numbered ("1. ", "2) "). A heading's closing hashes ("# Titel #") are dropped.
_MARKDOWN_MARKER = re.compile(r"^[ \t]*(?:#{1,6}|[-–—*+]|\d{1,3}[.)]|>(?:[ \t]*>)*)[ \t]+(?=\S)")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
# Markdown lines that are not prose: fenced code and table rows stay lines of their own, unsplit.
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")

# Leading metadata: "key: value" lines or an inline "date 2021-07" before the first sentence.
METADATA_KEYS = {
    "date": "date",
    "dato": "date",
    "published": "date",
    "publiceret": "date",
    "updated": "updated",
    "opdateret": "updated",
    "author": "author",
    "forfatter": "author",
    "byline": "author",
    "source": "source",
    "kilde": "source",
    "url": "url",
    "link": "url",
    "id": "id",
    "category": "category",
    "kategori": "category",
    "sektion": "category",
    "section": "category",
    "tags": "tags",
    "emner": "tags",
    "title": "title",
    "titel": "title",
    "headline": "title",
    "overskrift": "title",
}
_DATE = r"\d{4}(?:-\d{1,2}(?:-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?)?)?|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
_KEYS = "|".join(sorted(METADATA_KEYS, key=len, reverse=True))
_METADATA_LINE = re.compile(rf"^[ \t]*({_KEYS})[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*(?:\n|$)", re.IGNORECASE)
_INLINE_DATE = re.compile(
    rf"^[ \t]*(date|dato|published|publiceret|updated|opdateret)[ \t]*:?[ \t]+({_DATE})(?=\s|$)[ \t]*\n?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SourceSegment:
    """One source sentence (or headline) and where it sits in the article."""

    source: str
    paragraph: int
    starts_line: bool = False
    prefix: str = ""
    """A line marker kept out of the model: a quote dash, a Markdown heading, bullet or quote."""


@dataclass
class ParsedArticle:
    metadata: dict[str, str] = field(default_factory=dict)
    segments: list[SourceSegment] = field(default_factory=list)
    source_language: dict | None = None
    """``{"code": "da", "confidence": 0.98}`` when the language guard judged the article."""


def _lines_to_units(lines: list[str], markdown: bool = False) -> list[tuple[str, bool]]:
    """Join hard-wrapped lines; keep headlines and dialogue lines ("- ...") on their own.

    Returns ``(unit, verbatim)`` pairs: in Markdown, code fences, the lines between them and
    table rows are verbatim (one segment each, never split into sentences or joined), and a
    unit keeps its indentation (the prefix of a nested bullet).
    """
    # Each unit is a list of its lines, joined once at the end: joining as lines arrive copies
    # the unit for every line, quadratic in a long hard-wrapped paragraph (400K chars: 12 s).
    units: list[tuple[list[str], bool]] = []
    in_fence = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if markdown and (in_fence or _FENCE.match(line) or _TABLE_ROW.match(line)):
            if _FENCE.match(line):
                in_fence = not in_fence
            units.append(([line.rstrip()], True))
            continue
        previous = units[-1][0][-1] if units and not units[-1][1] else ""  # the unit's last line
        continues = previous and not _TERMINAL.search(previous) and stripped[0].islower() and not _DIALOGUE.match(line)
        if continues:
            units[-1][0].append(stripped)
        else:
            units.append(([line.rstrip() if markdown else stripped], False))
    return [(" ".join(parts), verbatim) for parts, verbatim in units]


def extract_metadata(text: str) -> tuple[dict[str, str], str]:
    """Split leading metadata fields (``date 2021-07``, ``Kilde: DR``) from the article body."""
    metadata: dict[str, str] = {}
    rest = text.lstrip()
    while True:
        match = _INLINE_DATE.match(rest) or _METADATA_LINE.match(rest)
        if not match:
            break
        key = METADATA_KEYS[match.group(1).lower()]
        if key in metadata:
            break
        metadata[key] = match.group(2).strip()
        rest = rest[match.end() :].lstrip()
    return metadata, rest


def _take_prefix(text: str, markdown: bool) -> tuple[str, str]:
    match = (_MARKDOWN_MARKER if markdown else _QUOTE_DASH).match(text)
    if not match:
        return "", text.strip() if markdown else text
    rest = text[match.end() :]
    if markdown and match.group(0).lstrip().startswith("#"):
        rest = _CLOSING_HASHES.sub("", rest)
    return match.group(0), rest


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _paragraphs(body: str) -> Iterator[str]:
    """The paragraphs of ``body`` that hold any text, one at a time (a list of the 4 million
    paragraphs of 20 MiB of "Ja." took 250 MB before the first was parsed)."""
    start = 0
    for match in chain(_PARAGRAPH_BREAK.finditer(body), [None]):
        paragraph = body[start : match.start()] if match else body[start:]
        if paragraph.strip():
            yield paragraph
        start = match.end() if match else start


def parse_article(text: str, markdown: bool = False, max_segments: int | None = None) -> ParsedArticle:
    """Clean text -> metadata and sentence segments, paragraph by paragraph.

    Quote dashes at the start of a line (and, with ``markdown``, headings, bullets and block
    quotes) go into each segment's ``prefix``, out of its ``source``. A ``title`` metadata field
    that the body does not start with becomes the first segment (the headline).

    Raises:
        TooManySegments: more than ``max_segments`` segments (checked as each line is split,
            and paragraphs are read one at a time, so that the memory spent before the refusal
            stays that of ``max_segments`` segments, whatever the shape).
    """
    metadata, body = extract_metadata(text)
    article = ParsedArticle(metadata=metadata)
    paragraphs = _paragraphs(body)
    first = next(paragraphs, None)
    title = metadata.get("title", "")
    first_line = first.lstrip().partition("\n")[0].strip() if first is not None else ""
    headline = [title] if title and _take_prefix(first_line, markdown)[1].strip() != title else []
    for index, paragraph in enumerate(chain(headline, [first] if first is not None else [], paragraphs)):
        for unit, verbatim in _lines_to_units(paragraph.split("\n"), markdown):
            if verbatim:
                article.segments.append(SourceSegment(unit.strip(), index, starts_line=True))
                if max_segments is not None and len(article.segments) > max_segments:
                    raise TooManySegments(max_segments)  # a paragraph of millions of table rows
                continue
            prefix, rest = _take_prefix(unit, markdown)
            limit = None if max_segments is None else max_segments - len(article.segments)
            for number, sentence in enumerate(split_sentences(rest, limit)):
                marker = prefix if number == 0 else ""
                if not marker:  # a quote dash inside a line: '... siger han. - Hvad så?'
                    marker, sentence = _take_prefix(sentence, False)
                article.segments.append(SourceSegment(sentence, index, starts_line=number == 0, prefix=marker))
    return article
