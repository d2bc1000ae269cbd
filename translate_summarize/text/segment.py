"""Article structure: leading metadata, paragraphs, lines and Danish sentences.

Sentence splitting takes its candidate boundaries from pysbd's Danish rules (a maintained
rule-based segmenter with Danish support and no model download) and from every terminal
punctuation mark followed by white space (pysbd never splits inside quotation marks), then
decides each candidate with Danish news rules: titles and abbreviations that never end a
sentence (prof., dr., d.), ordinal dates ("d. 15. juni"), initials, continuations that start
in lower case ('"Hvad nu?" spurgte han.') and sentences that do ('... i regnen. og så ...').
Measured with benchmarks/segmentation.py on UD Danish-DDT (text written outside this project).
Splits are made as character offsets, so the sentences always cover the input exactly:
nothing is dropped or duplicated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# Abbreviations that (practically) never end a Danish sentence: always join what follows.
NEVER_FINAL = frozenset(
    [
        "bl.a.",
        "f.eks.",
        "fx.",
        "dvs.",
        "ca.",
        "kl.",
        "jf.",
        "jvf.",
        "nr.",
        "stk.",
        "hhv.",
        "evt.",
        "prof.",
        "dr.",
        "d.",
        "hr.",
        "fr.",
        "frk.",
        "st.",
        "sct.",
        "ift.",
        "i.f.t.",
        "vedr.",
        "iflg.",
        "pga.",
        "p.g.a.",
        "mht.",
        "m.h.t.",
        "inkl.",
        "ekskl.",
        "gl.",
        "sml.",
        "tlf.",
        "pkt.",
        "kap.",
        "ang.",
        "mr.",
        "mrs.",
        "ms.",
        "sen.",
        "gen.",
        "præs.",
        "lekt.",
        "adm.",
        "dir.",
        "cand.",
        "mag.",
        "stud.",
        "pers.",
        "ca",
        "o.",
        "s.",
        "t.o.m.",
        "f.o.m.",
        "vs.",
        "bd.",
        "no.",
        "tv.",
        "jan.",
        "feb.",
        "aug.",
        "sept.",
        "okt.",
        "nov.",
        "dec.",
        "dr.phil.",
        "dr.med.",
        "dr.jur.",
        "cand.mag.",
        "cand.polit.",
        "cand.jur.",
        "cand.scient.",
        "cand.merc.",
        "mag.art.",
        "lic.jur.",
        "ph.d.-studerende",
    ]
)
# Abbreviations that may end a sentence: join only when a lower-case word or digit follows.
MAY_END = frozenset(
    [
        "kr.",
        "mio.",
        "mia.",
        "pct.",
        "mv.",
        "m.v.",
        "m.m.",
        "osv.",
        "etc.",
        "m.fl.",
        "mfl.",
        "o.l.",
        "årh.",
        "min.",
        "sek.",
        "km.",
        "kg.",
        "mm.",
        "cm.",
        "ha.",
        "t.",
        "ml.",
        "l.",
        "stk.",
        "mill.",
        "bio.",
    ]
)
# Further abbreviations (Dansk Sprognævn's list of common ones) that a lower-case word may
# follow without a sentence end: they only stop the split before a lower-case word.
OTHER_ABBREVIATIONS = frozenset(
    [
        "adr.",
        "afd.",
        "alm.",
        "ang.",
        "anm.",
        "arr.",
        "ass.",
        "att.",
        "bet.",
        "betr.",
        "bl.",
        "ca.",
        "ds.",
        "el.",
        "eng.",
        "ekskl.",
        "f.",
        "fa.",
        "fhv.",
        "fk.",
        "fm.",
        "forb.",
        "fork.",
        "forts.",
        "fr.",
        "fx.",
        "gnsn.",
        "gr.",
        "hdl.",
        "hhv.",
        "hr.",
        "ibid.",
        "inkl.",
        "jf.",
        "kbh.",
        "kgl.",
        "komm.",
        "lign.",
        "ltd.",
        "max.",
        "mdr.",
        "md.",
        "medl.",
        "mht.",
        "mia.",
        "mil.",
        "min.",
        "mio.",
        "mrk.",
        "ndf.",
        "nedenst.",
        "nr.",
        "nuv.",
        "ovf.",
        "pga.",
        "pr.",
        "red.",
        "ref.",
        "resp.",
        "sdr.",
        "sek.",
        "sign.",
        "skr.",
        "spec.",
        "st.",
        "tidl.",
        "tilsv.",
        "udg.",
        "ul.",
        "vedk.",
        "vedr.",
        "vha.",
        "vol.",
        "vs.",
        "årg.",
        "øvr.",
        "ø.",
        "v.",
        "n.",
        "s.",
        "ø.",
        "jvf.",
        "o.",
        "lign.",
        "m.",
        "fl.",
        "m.fl.",
        "o.l.",
        "mv.",
        "osv.",
        "etc.",
        "afs.",
        "modt.",
        "tlf.",
        "pct.",
        "kr.",
        "km.",
        "kg.",
        "cm.",
        "mm.",
        "l.",
        "dl.",
        "ml.",
        "g.",
        "t.",
        "h.",
        "dvs.",
        "evt.",
        "iflg.",
        "ifm.",
        "ift.",
        "inkl.",
    ]
)
MONTHS = frozenset(
    [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ]
)

ABBREVIATIONS = NEVER_FINAL | MAY_END | OTHER_ABBREVIATIONS

_LAST_TOKEN = re.compile(r"(\S+)\s*$")
_FIRST_TOKEN = re.compile(r"^\s*[\"'«»“”„(\[]*(\S*)")
_ORDINAL = re.compile(r"^\d{1,4}\.$")
_INITIALS = re.compile(r"^(?:[A-ZÆØÅ]\.)+$")
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
# A unit that is only a list number or an ordinal ("1.") never becomes a segment of its own.
_ONLY_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s*$")

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
    paragraph_count: int = 0
    source_language: dict | None = None
    """``{"code": "da", "confidence": 0.98}`` when the language guard judged the article."""


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="da", clean=False, char_span=True)


def _last_token(text: str) -> str:
    match = _LAST_TOKEN.search(text)
    return match.group(1) if match else ""


def _first_token(text: str) -> str:
    match = _FIRST_TOKEN.match(text)
    return match.group(1) if match else ""


def _joins(previous: str, following: str) -> bool:
    """True when the boundary between two candidate sentences is not a sentence boundary."""
    last = _last_token(previous)
    first = _first_token(following)
    if not last or not first:
        return True
    lowered = last.lower().lstrip("(\"'«“")
    starts_lower = first[0].islower()
    starts_digit = first[0].isdigit()
    if not last.endswith((".", "!", "?", "…", '"', "”", "»", ")", ":")):
        return True  # no sentence end
    if lowered in NEVER_FINAL:
        return True
    if lowered in MAY_END and (starts_lower or starts_digit):
        return True
    if _ORDINAL.match(lowered) and (starts_lower or starts_digit or first.lower().rstrip(".,") in MONTHS):
        return True
    if _INITIALS.match(lowered.upper()) and last[-2].isupper() and first[0].isupper() and len(lowered) <= 4:
        return True
    if starts_lower:
        # '"Hvad nu?" spurgte han.', 'Jamen... så tav jeg' and 'f.eks. en bil' go on; a plain
        # word and a full stop before a lower-case word ends a sentence ('... i horisonten. og').
        return not (_ends_plain_word(lowered) and first.isalpha())
    return False


# Every place a sentence may end: terminal punctuation (and closing quotes or brackets) and
# then white space. pysbd offers none inside quotation marks ('"Raffinaderiet er ramt igen.
# Flammerne står op i horisonten," siger han.' stays one sentence there), so tsum proposes
# these candidates itself and lets ``_joins`` decide.
_CANDIDATE = re.compile(r"[.!?…][\"'”»)\]]*\s+(?=\S)")


def _ends_plain_word(token: str) -> bool:
    """'horisonten.' is a word and a full stop; 'f.eks.', 'tidl.', '4-cyl.' and '1.' are not."""
    word = token[:-1]
    return token.endswith(".") and len(word) >= 4 and word.isalpha() and token.lower() not in ABBREVIATIONS


def _candidates(text: str) -> set[int]:
    starts = {match.end() for match in _CANDIDATE.finditer(text)}
    for span in _segmenter().segment(text):
        # pysbd may cut inside a token ("partier.|) Eddie"): move such a cut to the next token.
        start = span.start
        while 0 < start < len(text) and not text[start - 1].isspace():
            start += 1
        while start < len(text) and text[start].isspace():
            start += 1
        starts.add(start)
    return {start for start in starts if 0 < start < len(text)}


def _boundaries(text: str) -> list[int]:
    kept = [0]
    for start in sorted(_candidates(text)):
        if not text[kept[-1] : start].strip() or not text[start:].strip():
            continue
        if _ONLY_NUMBER.match(text[kept[-1] : start]):
            continue  # "1. Første punkt": the number stays with its item
        if _joins(text[kept[-1] : start], text[start:]):
            continue
        kept.append(start)
    return kept


def split_sentences(text: str) -> list[str]:
    """Split one line of Danish text into sentences (stripped; their words cover the input)."""
    if not text.strip():
        return []
    bounds = _boundaries(text) + [len(text)]
    pieces = (text[a:b].strip() for a, b in zip(bounds, bounds[1:]))
    return [piece for piece in pieces if piece]


def _lines_to_units(lines: list[str], markdown: bool = False) -> list[tuple[str, bool]]:
    """Join hard-wrapped lines; keep headlines and dialogue lines ("- ...") on their own.

    Returns ``(unit, verbatim)`` pairs: in Markdown, code fences, the lines between them and
    table rows are verbatim (one segment each, never split into sentences or joined), and a
    unit keeps its indentation (the prefix of a nested bullet).
    """
    units: list[tuple[str, bool]] = []
    in_fence = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if markdown and (in_fence or _FENCE.match(line) or _TABLE_ROW.match(line)):
            if _FENCE.match(line):
                in_fence = not in_fence
            units.append((line.rstrip(), True))
            continue
        previous = units[-1][0] if units and not units[-1][1] else ""
        continues = previous and not _TERMINAL.search(previous) and stripped[0].islower() and not _DIALOGUE.match(line)
        if continues:
            units[-1] = (f"{previous} {stripped}", False)
        else:
            units.append((line.rstrip() if markdown else stripped, False))
    return units


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


def parse_article(text: str, markdown: bool = False) -> ParsedArticle:
    """Clean text -> metadata and sentence segments, paragraph by paragraph.

    Quote dashes at the start of a line (and, with ``markdown``, headings, bullets and block
    quotes) go into each segment's ``prefix``, out of its ``source``. A ``title`` metadata field
    that the body does not start with becomes the first segment (the headline).
    """
    metadata, body = extract_metadata(text)
    article = ParsedArticle(metadata=metadata)
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", body) if p.strip()]
    title = metadata.get("title", "")
    first_line = paragraphs[0].strip().split("\n")[0].strip() if paragraphs else ""
    if title and _take_prefix(first_line, markdown)[1].strip() != title:
        paragraphs.insert(0, title)
    for index, paragraph in enumerate(paragraphs):
        for unit, verbatim in _lines_to_units(paragraph.split("\n"), markdown):
            if verbatim:
                article.segments.append(SourceSegment(unit.strip(), index, starts_line=True))
                continue
            prefix, rest = _take_prefix(unit, markdown)
            for number, sentence in enumerate(split_sentences(rest)):
                marker = prefix if number == 0 else ""
                if not marker:  # a quote dash inside a line: '... siger han. - Hvad så?'
                    marker, sentence = _take_prefix(sentence, False)
                article.segments.append(SourceSegment(sentence, index, starts_line=number == 0, prefix=marker))
    article.paragraph_count = len(paragraphs)
    return article
