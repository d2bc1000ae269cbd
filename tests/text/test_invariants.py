"""Property-based invariants: nothing lost, nothing duplicated, paragraphs kept."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate_summarize.errors import InputError
from translate_summarize.text.packing import split_to_fit, token_batches
from translate_summarize.text.reading import checked_text
from translate_summarize.text.segment import extract_metadata, parse_article

TOKENS = [
    "Det",
    "er",
    "bl.a.",
    "kl.",
    "10.00",
    "den",
    "3.",
    "maj",
    "H.C.",
    "Andersen",
    "Jens",
    "H.",
    "Nielsen",
    "f.eks.",
    "1.000",
    "kr.",
    "2,5",
    "pct.",
    "mio.",
    "prof.",
    "dr.",
    "d.",
    "15.",
    "juni",
    "sagde",
    "han.",
    "Hvad?",
    "Nej!",
    '"Ja."',
    "-",
    "–",
    "...",
    "(DR)",
    ":",
    ";",
    ",",
    "æble",
    "Øresund",
    "Århus",
    "osv.",
    "m.m.",
    "date",
    "2021-07",
    "Kilde:",
    "\n",
    "\n\n",
    "\n \n",
]

articles = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=80).map(" ".join)


def accepted(text: str) -> str | None:
    """The text as tsum's input checks pass it on, or None for one they refuse (no letters, only a
    header line): there is nothing to segment then."""
    try:
        return checked_text(text)
    except InputError:
        return None


# About 1 in 40 token soups is refused; filtering them keeps every example a real one.
checked_articles = articles.map(accepted).filter(lambda text: text is not None)


def words(text: str) -> list[str]:
    return text.split()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(checked_articles)
def test_segments_reproduce_the_input_words_in_order(text):
    metadata, body = extract_metadata(text)
    article = parse_article(text)
    joined = " ".join(segment.prefix + segment.source for segment in article.segments)
    assert words(joined) == words(body)
    assert words(text)[len(words(text)) - len(words(body)) :] == words(body)
    assert article.metadata == metadata


@settings(max_examples=300, deadline=None)
@given(checked_articles)
def test_paragraph_count_is_preserved(text):
    _, body = extract_metadata(text)
    expected = len([p for p in re.split(r"\n[ \t]*\n", body) if p.strip()])
    article = parse_article(text)
    assert sorted({s.paragraph for s in article.segments}) == list(range(expected))


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_unicode_is_processed_or_refused(text):
    try:
        cleaned = checked_text(text)
    except InputError as error:
        # Refused only for having nothing to translate, with the message that says so.
        assert not any(ch.isalnum() for ch in text)
        assert str(error) in (
            "input is empty: there is nothing to translate",
            "input contains no letters or digits: there is nothing to translate",
        )
        return
    article = parse_article(cleaned)
    assert article.segments


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=300), max_size=200), st.integers(min_value=16, max_value=2000))
def test_token_batches_cover_every_item_within_budget(lengths, budget):
    batches = token_batches(lengths, budget)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= budget


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["og", "men", "Det", "er,", "godt;", "sagde:", "ord", "lang"]), min_size=1, max_size=120),
    st.integers(min_value=1, max_value=20),
)
def test_split_to_fit_never_truncates(parts, limit):
    sentence = " ".join(parts)
    pieces = split_to_fit(sentence, lambda t: len(t.split()), limit)
    assert words(" ".join(pieces)) == words(sentence)
    assert all(len(piece.split()) <= limit for piece in pieces)
