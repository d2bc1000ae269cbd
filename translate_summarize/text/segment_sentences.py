"""Danish sentence splitting of one line of text, in time linear in its length.

Candidate boundaries are every terminal punctuation mark (with closing quotes or brackets)
followed by white space; Danish news rules decide each one: titles and abbreviations that
never end a sentence (prof., dr., d.), ordinal dates ("d. 15. juni"), initials,
continuations that start in lower case ('"Hvad nu?" spurgte han.') and sentences that do
('... i regnen. og så ...'). Each decision reads only the token before the candidate and the
token after it, so the work per candidate is bounded and a 500,000-character paragraph without
line breaks splits in about a second.

pysbd's Danish rules used to propose candidates too; they added no boundary that changed a
decision (benchmarks/segmentation.py: the same F1 on all four sets, UD Danish-DDT 0.997, with
and without them) and its abbreviation replacer is quadratic in the paragraph's length (160K
characters without a line break: 61 s), so they were dropped. Splits are made as character
offsets, so the sentences always cover the input exactly: nothing is dropped or duplicated.
"""

from __future__ import annotations

import re

from translate_summarize.text.segment_words import ABBREVIATIONS, MAY_END, MONTHS, NEVER_FINAL

# The first word after a candidate, without its opening quotes or brackets (matched at a position).
_FIRST_TOKEN = re.compile(r"\s*[\"'«»“”„(\[]*(\S*)")
_ORDINAL = re.compile(r"^\d{1,4}\.$")
_INITIALS = re.compile(r"^(?:[A-ZÆØÅ]\.)+$")
# A unit that is only a list number or an ordinal ("1.") never becomes a segment of its own.
_ONLY_NUMBER = re.compile(r"\s*\d{1,3}[.)]\s*")  # (fullmatch between two positions)


def _token_ending_at(text: str, end: int, floor: int) -> str:
    """The white-space-delimited token of ``text`` that ends at ``end`` (not before ``floor``)."""
    begin = end
    while begin > floor and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end]


def _joins(last: str, first: str) -> bool:
    """True when a candidate boundary is not a sentence boundary, judged by the token before
    it (``last``) and the first word after it (``first``, without opening quotes)."""
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
# then white space; ``_joins`` decides each. Candidates inside quotation marks are proposed too
# ('"Raffinaderiet er ramt igen. Flammerne står op i horisonten," siger han.'). The pattern
# starts with one punctuation character, so the regex engine never backtracks over a long token.
_CANDIDATE = re.compile(r"[.!?…][\"'”»)\]]*(?=(\s+)\S)")


def _ends_plain_word(token: str) -> bool:
    """'horisonten.' is a word and a full stop; 'f.eks.', 'tidl.', '4-cyl.' and '1.' are not."""
    word = token[:-1]
    return token.endswith(".") and len(word) >= 4 and word.isalpha() and token.lower() not in ABBREVIATIONS


class TooManySegments(ValueError):
    """The article has more segments than the caller allows (``parse_article(max_segments=...)``)."""


def _boundaries(text: str, limit: int | None = None) -> list[int]:
    """Offsets where sentences start (0 first); one pass over the candidates, in order.

    Raises:
        TooManySegments: more than ``limit`` sentences, as soon as that is known.
    """
    kept = [0]
    for match in _CANDIDATE.finditer(text):
        start = match.end() + len(match.group(1))  # the next token's first character
        if _ONLY_NUMBER.fullmatch(text, kept[-1], match.end()):
            continue  # "1. Første punkt": the number stays with its item
        last = _token_ending_at(text, match.end(), kept[-1])
        first = _FIRST_TOKEN.match(text, start).group(1)
        if _joins(last, first):
            continue
        kept.append(start)
        if limit is not None and len(kept) > limit:
            raise TooManySegments(limit)
    return kept


def split_sentences(text: str, limit: int | None = None) -> list[str]:
    """Split one line of Danish text into sentences (stripped; their words cover the input).

    Raises:
        TooManySegments: more than ``limit`` sentences (raised before they are all made, so
            that a 20 MiB line of "Ja." costs no more than ``limit`` of them).
    """
    if not text.strip():
        return []
    bounds = _boundaries(text, limit) + [len(text)]
    pieces = (text[a:b].strip() for a, b in zip(bounds, bounds[1:]))
    sentences = [piece for piece in pieces if piece]
    if limit is not None and len(sentences) > limit:
        raise TooManySegments(limit)
    return sentences
