"""Signs that a translation or a summary needs a human look, computed without a reference.

Segment flags (``TranslatedSegment.flags``), each a cheap, documented heuristic:

- ``low_confidence``: the segment's score (mean log-probability per target token of the chosen
  hypothesis) is under ``--min-score`` (default :data:`MIN_SCORE`).
- ``length_ratio``: the translation has fewer than :data:`LENGTH_RATIO_RANGE` [0] or more than
  [1] times the source's characters: the usual sign of dropped or invented text.
- ``copied_source``: most of the translation's character n-grams also occur in the source: the
  sentence was left (mostly) untranslated.
- ``repetition``: a word repeated three times in a row, a run of 2-4 words repeated at once, or
  a 4-word sequence occurring three times: the looping failure of MarianMT models.
- ``split``: the sentence was longer than the model's window and was translated in pieces.
- ``number_mismatch``: a number of the Danish sentence is not in the translation, or the
  translation has a number (in digits) that the sentence lacks; compared by value
  (text/entities/numbers.py). ``flag_details["number_mismatch"]`` = ``{"missing": [...], "added": [...]}``.
- ``name_missing``: a name of the Danish sentence (text/entities/names.py) is not in the
  translation, allowing English exonyms and genitive/definite endings;
  ``flag_details["name_missing"]`` lists the names as written in Danish.
- ``glossary``: the sentence holds a term of ``--glossary`` or a built-in one (the exonym
  table's institutions and events, text/glossary.py) and the translation lacks its English;
  ``flag_details["glossary"]`` = ``[{"term": ..., "english": ..., "source": "glossary" | "built-in"}]``.

Each segment also records what the checks found in its source (``source_names``,
``source_numbers``, as written), so that a reader can audit them.

The summary check (``ArticleResult.summary_check``) lists numbers and names in the summary that
do not occur in the translation: the commonest error of abstractive summaries. Names are found
as in the Danish source: a sentence-initial word is a name only when the text capitalises it
elsewhere too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from translate_summarize.options import MIN_SCORE
from translate_summarize.text.entities import NameContext, compare_numbers, danish_numbers, missing_names, name_mentions
from translate_summarize.text.glossary import Glossary

# Danish and English running text differ by roughly 10% in characters; a translation under half
# or over twice its source's length is far outside that and almost always dropped or invented
# text (or a loop). Segments shorter than LENGTH_MIN_SOURCE_CHARS (headlines, names, "- Ja.")
# are not judged: their ratio is noise.
LENGTH_RATIO_RANGE = (0.5, 2.0)
LENGTH_MIN_SOURCE_CHARS = 20

# copied_source: the share of the translation's character 4-grams (lower case, spaces squeezed)
# that also occur in the source. Danish and English share names, numbers and some spellings, so
# a faithful translation stays well under this; an untranslated sentence is at or near 1.0.
COPY_NGRAM = 4
COPY_SHARE = 0.6
COPY_MIN_SOURCE_WORDS = 4

FLAG_DESCRIPTIONS = {
    "low_confidence": "the model's score is under --min-score",
    "length_ratio": "the translation is much shorter or longer than the source",
    "copied_source": "the translation mostly copies the Danish text",
    "repetition": "words or phrases repeat (a known MarianMT failure)",
    "split": "the sentence was too long for the model and was translated in pieces",
    "number_mismatch": "a number of the Danish sentence is missing from the translation, or one was added",
    "name_missing": "a name of the Danish sentence is missing from the translation",
    "glossary": "the English of a glossary term, or of a known institution or event, is missing from the translation",
}
FLAGS = tuple(FLAG_DESCRIPTIONS)

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)


def segment_flags(source: str, translation: str, **checks) -> list[str]:
    """The flags of one segment, in the order of :data:`FLAGS` (``checks``: as :func:`segment_check`)."""
    return segment_check(source, translation, **checks)[0]


def source_entities(source: str, context: NameContext | None = None) -> tuple[list[str], list[str]]:
    """(names, numbers) of a Danish sentence, each as written, in reading order, each once."""
    names = list(dict.fromkeys(m.text for m in name_mentions(source, context)))
    numbers = list(dict.fromkeys(m.text for m in danish_numbers(source)))
    return names, numbers


def entity_details(
    source: str,
    translation: str,
    context: NameContext | None = None,
    glossary: Glossary | None = None,
    names: list[str] | None = None,
) -> dict:
    """What the number, name and glossary checks found wrong: ``{flag: detail}``, flags that
    fired only. ``names``: the source's names when already known (:func:`source_entities`)."""
    details: dict = {}
    numbers = compare_numbers(source, translation)
    if numbers["missing"] or numbers["added"]:
        details["number_mismatch"] = numbers
    if names is None:
        names = source_entities(source, context)[0]
    missing = missing_names(names, translation)
    if missing:
        details["name_missing"] = missing
    misses = glossary.misses(source, translation, names) if glossary is not None else []
    if misses:
        details["glossary"] = misses
    return details


def with_glossary_flags(
    source: str,
    translation: str,
    flags: list[str],
    details: dict,
    glossary: Glossary | None,
    names: Sequence[str] = (),
) -> tuple[list[str], dict]:
    """A segment's flags and details with the ``glossary`` flag redone for another glossary
    (``glossary`` is the last of :data:`FLAGS`, so the order holds); ``names``: the segment's
    ``source_names``."""
    flags = [flag for flag in flags if flag != "glossary"]
    details = {key: value for key, value in details.items() if key != "glossary"}
    misses = glossary.misses(source, translation, names) if glossary is not None and translation.strip() else []
    if misses:
        flags.append("glossary")
        details["glossary"] = misses
    return flags, details


def segment_check(
    source: str,
    translation: str,
    score: float | None = None,
    split: bool = False,
    min_score: float = MIN_SCORE,
    context: NameContext | None = None,
    glossary: Glossary | None = None,
    names: list[str] | None = None,
) -> tuple[list[str], dict]:
    """(flags in the order of :data:`FLAGS`, ``flag_details``) of one segment."""
    flags = []
    if score is not None and score < min_score:
        flags.append("low_confidence")
    if length_outlier(source, translation):
        flags.append("length_ratio")
    if copies_source(source, translation):
        flags.append("copied_source")
    if repeats(translation):
        flags.append("repetition")
    if split:
        flags.append("split")
    details = entity_details(source, translation, context, glossary, names) if translation.strip() else {}
    flags += [flag for flag in ("number_mismatch", "name_missing", "glossary") if flag in details]
    return flags, details


def length_outlier(source: str, translation: str) -> bool:
    source_chars = len(source.strip())
    if source_chars < LENGTH_MIN_SOURCE_CHARS:
        return False
    low, high = LENGTH_RATIO_RANGE
    return not low <= len(translation.strip()) / source_chars <= high


def _char_ngrams(text: str, n: int) -> Counter:
    text = " ".join(text.lower().split())
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def copies_source(source: str, translation: str) -> bool:
    # A dozen lines of n-gram counting rather than sacrebleu's chrF: sacrebleu is an optional
    # extra (tsum eval), and this runs on every segment of every article.
    if len(_WORD.findall(source)) < COPY_MIN_SOURCE_WORDS:
        return False
    target = _char_ngrams(translation, COPY_NGRAM)
    total = sum(target.values())
    if not total:
        return False
    shared = sum((target & _char_ngrams(source, COPY_NGRAM)).values())
    return shared / total >= COPY_SHARE


def repeats(translation: str) -> bool:
    words = [w.lower() for w in _WORD.findall(translation)]
    for i in range(len(words) - 2):
        if words[i] == words[i + 1] == words[i + 2]:
            return True
    for n in (2, 3, 4):
        for i in range(len(words) - 2 * n + 1):
            if words[i : i + n] == words[i + n : i + 2 * n]:
                return True
    fourgrams = Counter(tuple(words[i : i + 4]) for i in range(len(words) - 3))
    return any(count >= 3 for count in fourgrams.values())


# ---- summary check ------------------------------------------------------------------------

# A number with optional thousands/decimal separators, e.g. 2,5  1.000  1,234.5  2021.
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s?%)?")
# Number words a summary may use for digits in the translation (and back).
# fmt: off
_NUMBER_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
# fmt: on
NUMBER_WORDS = {word: str(value) for value, word in enumerate(_NUMBER_NAMES)}


def normalise_number(text: str) -> str | None:
    """The value of a written number, so that "2,5" = "2.5" and "1.000" = "1,000" = "1000".

    With both separators the last one is the decimal mark; with one kind only, it is a thousands
    separator when it repeats or is followed by exactly three digits, else the decimal mark.
    """
    digits = text.rstrip("% ").strip()
    marks = [c for c in digits if c in ".,"]
    if len(set(marks)) == 2:
        decimal = marks[-1]
        digits = digits.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif marks:
        mark = marks[0]
        groups = digits.split(mark)
        digits = digits.replace(mark, "") if len(marks) > 1 or len(groups[1]) == 3 else digits.replace(mark, ".")
    try:
        value = Decimal(digits).normalize()
    except InvalidOperation:
        return None
    return format(value, "f")


def numbers_in(text: str, words: bool = False) -> dict[str, str]:
    """Normalised value -> first surface form of each number in ``text``."""
    found = {}
    for match in _NUMBER.finditer(text):
        value = normalise_number(match.group())
        if value is not None:
            found.setdefault(value, match.group())
    if words:
        for match in _WORD.finditer(text.lower()):  # not findall: a list of every word of a long translation
            word = match.group()
            if word in NUMBER_WORDS:
                found.setdefault(NUMBER_WORDS[word], word)
    return found


# English words that start sentences with a capital and are never names; any other
# sentence-initial word is a name only when the summary or translation capitalises it mid-sentence
# (or it is a known name), as for the Danish source (text/entities/names.py).
# fmt: off
COMMON_STARTERS = frozenset((
    "a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "he", "she", "they", "we",
    "you", "i", "his", "her", "their", "our", "in", "on", "at", "by", "for", "from", "of", "to", "with", "without",
    "after", "before", "during", "since", "until", "while", "when", "where", "as", "and", "but", "or", "so", "yet",
    "if", "because", "although", "though", "however", "meanwhile", "also", "still", "both", "either", "neither",
    "according", "despite", "more", "most", "many", "some", "several", "all", "no", "not", "one", "other", "another",
    "such", "only", "even", "then", "now", "today", "yesterday", "tomorrow", "last", "next", "earlier",
    "later", "mr", "mrs", "ms",
))
# fmt: on


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s?$", "", word)


def unsupported_names(summary: str, translation: str) -> list[str]:
    """Names in ``summary`` (one or more capitalised words) that the translation does not contain."""
    known = {_strip_possessive(match.group()) for match in _WORD.finditer(translation)}
    context = NameContext.of([summary, translation])
    missing: list[str] = []
    for mention in name_mentions(summary, context, COMMON_STARTERS, danish=False):
        words = [_strip_possessive(w) for w in mention.text.split()]
        if all(w in known for w in words):
            continue
        name = " ".join(words)
        if name not in missing:
            missing.append(name)
    return missing


def check_summary(summary: str, translation: str) -> dict[str, list[str]]:
    """``{"unsupported_numbers": [...], "unsupported_names": [...]}`` of a summary against its translation."""
    supported = numbers_in(translation, words=True)
    numbers = [surface for value, surface in numbers_in(summary).items() if value not in supported]
    return {"unsupported_numbers": numbers, "unsupported_names": unsupported_names(summary, translation)}


def check_results(
    results,
    min_score: float = MIN_SCORE,
    split: set[int] | frozenset[int] = frozenset(),
    glossary: Glossary | None = None,
) -> None:
    """Fill ``flags``, ``flag_details``, ``source_names`` and ``source_numbers`` of every segment
    and ``summary_check`` of every result, in place.

    ``split`` holds the indices (counted over all results' segments in order) of sentences the
    translator split to fit the model's window.
    """
    index = 0
    for result in results:
        # The article decides which sentence-initial words are names (capitalised elsewhere).
        context = NameContext.of([segment.source for segment in result.segments])
        for segment in result.segments:
            segment.source_names, segment.source_numbers = source_entities(segment.source, context)
            segment.flags, segment.flag_details = segment_check(
                segment.source,
                segment.translation,
                segment.score,
                index in split,
                min_score,
                context,
                glossary,
                segment.source_names,
            )
            index += 1
        if result.summary is not None:
            result.summary_check = check_summary(result.summary, result.translation)


def flagged_count(result) -> int:
    """How many segments of a result carry at least one flag."""
    return sum(1 for segment in result.segments if segment.flags)
