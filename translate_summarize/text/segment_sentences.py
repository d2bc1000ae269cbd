"""Danish sentence splitting of one line of text.

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
from functools import lru_cache

from translate_summarize.text.segment_words import ABBREVIATIONS, MAY_END, MONTHS, NEVER_FINAL

_LAST_TOKEN = re.compile(r"(\S+)\s*$")
_FIRST_TOKEN = re.compile(r"^\s*[\"'«»“”„(\[]*(\S*)")
_ORDINAL = re.compile(r"^\d{1,4}\.$")
_INITIALS = re.compile(r"^(?:[A-ZÆØÅ]\.)+$")
# A unit that is only a list number or an ordinal ("1.") never becomes a segment of its own.
_ONLY_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s*$")


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
