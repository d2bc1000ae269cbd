"""Inputs whose size used to cost quadratic time: long paragraphs, long hard-wrapped paragraphs,
archives that repeat one id. Each runs at a size that took minutes before; no timed assertion
(benchmarks/input_scaling.py measures the growth), only that the work is complete and correct."""

from __future__ import annotations

import json

from translate_summarize.text.archives import parse_jsonl
from translate_summarize.text.segment import parse_article, split_sentences

SENTENCE = "Regeringen vil i dag fremlægge et nyt forslag om skat, siger ministeren."


def test_one_long_paragraph_splits_into_every_sentence():
    text = " ".join(f"{SENTENCE[:-1]} nr. {i}." for i in range(6000))  # ~500K characters, no line break
    sentences = split_sentences(text)
    assert len(sentences) == 6000
    assert " ".join(sentences) == text


def test_a_long_paragraph_of_abbreviations_is_one_sentence_per_real_end():
    # "bl.a." never ends a sentence: 20,000 candidates are joined, none is lost.
    text = "Han købte bl.a. æbler og bl.a. pærer. " * 10000
    sentences = split_sentences(text.strip())
    assert len(sentences) == 10000
    assert all(s == "Han købte bl.a. æbler og bl.a. pærer." for s in sentences)


def test_long_hard_wrapped_paragraph_is_joined_once():
    lines = [f"regeringen vil i dag fremlægge forslag nummer {i}" for i in range(40000)]  # ~1.9M chars
    article = parse_article("\n".join(lines) + ".\n")
    assert len(article.segments) == 1
    assert article.segments[0].source == " ".join(lines) + "."


def test_many_short_paragraphs_each_one_segment():
    text = "".join(f"Ja {i}.\n\n" for i in range(100000))
    article = parse_article(text)
    assert [s.source for s in article.segments[:2]] == ["Ja 0.", "Ja 1."]
    assert len(article.segments) == 100000 == article.paragraph_count


def test_archive_repeating_one_id_gets_distinct_suffixes():
    lines = [json.dumps({"id": "same", "text": f"Artikel {i}."}) for i in range(20000)]
    articles = parse_jsonl("\n".join(lines))
    ids = [a.id for a in articles]
    assert ids[:3] == ["same", "same-2", "same-3"] and ids[-1] == "same-20000"
    assert len({i.casefold() for i in ids}) == 20000


def test_an_article_over_the_sentence_limit_is_refused_while_parsing():
    import pytest

    from translate_summarize.errors import InputError
    from translate_summarize.text.inputs import parse_input
    from translate_summarize.text.reading import MAX_ARTICLE_SEGMENTS

    text = "".join(f"Ja {i}.\n\n" for i in range(MAX_ARTICLE_SEGMENTS + 1))
    with pytest.raises(InputError, match=r"^big.txt holds more than 100,000 sentences and headlines"):
        parse_input(text, "big.txt")
    assert len(parse_input(text.rsplit("Ja", 1)[0], "ok.txt").segments) == MAX_ARTICLE_SEGMENTS
