"""Inputs whose size used to cost quadratic time: long paragraphs, long hard-wrapped paragraphs,
archives that repeat one id. Each runs at a size that took minutes before; no timed assertion
(benchmarks/input_scaling.py measures the growth), only that the work is complete and correct."""

from __future__ import annotations

import json

import pytest
from support.cli import FAST, refusal, tsum

from translate_summarize.errors import InputError
from translate_summarize.text import inputs
from translate_summarize.text.archives import parse_jsonl
from translate_summarize.text.reading import MAX_ARTICLE_SEGMENTS
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
    assert len(article.segments) == 100000 == len({s.paragraph for s in article.segments})


def test_archive_repeating_one_id_gets_distinct_suffixes():
    lines = [json.dumps({"id": "same", "text": f"Artikel {i}."}) for i in range(20000)]
    articles = parse_jsonl("\n".join(lines))
    ids = [a.id for a in articles]
    assert ids[:3] == ["same", "same-2", "same-3"] and ids[-1] == "same-20000"
    assert len({i.casefold() for i in ids}) == 20000


# Articles of n segments, in the shapes whose segments could pile up before a per-paragraph check.
SHAPES = {
    "paragraphs": (".txt", lambda n: "".join(f"Ja {i}.\n\n" for i in range(n))),
    "one-line": (".txt", lambda n: " ".join(f"Ja {i}." for i in range(n))),
    "table-rows": (".md", lambda n: "\n".join(f"| Ja | {i} |" for i in range(n))),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_an_article_just_over_the_sentence_limit_is_refused_and_one_at_it_is_parsed(monkeypatch, shape):
    monkeypatch.setattr(inputs, "MAX_ARTICLE_SEGMENTS", 50)  # the rule, at a size that parses at once
    suffix, article = SHAPES[shape]
    with pytest.raises(
        InputError,
        match=rf"^over\{suffix} holds more than 50 sentences and headlines, the limit for one article: "
        "split it into articles$",
    ):
        inputs.parse_input(article(51), "over" + suffix, warn=lambda message: None)
    assert len(inputs.parse_input(article(50), "at" + suffix, warn=lambda message: None).segments) == 50


def test_a_line_of_millions_of_sentences_is_refused_at_the_real_limit():
    # One line, so no paragraph ends before the limit: refused while that line is split.
    text = "Ja. " * (MAX_ARTICLE_SEGMENTS * 5)
    with pytest.raises(InputError, match=r"^big.txt holds more than 400,000 sentences and headlines"):
        inputs.parse_input(text, "big.txt")
    assert len(inputs.parse_input("Ja. " * MAX_ARTICLE_SEGMENTS, "ok.txt", warn=print).segments) == 400_000


def test_the_cli_refuses_an_article_over_the_limit_and_translates_one_at_it(monkeypatch, tmp_path, model_args):
    monkeypatch.setattr(inputs, "MAX_ARTICLE_SEGMENTS", 20)
    sentences = [f"Regeringen fremlægger forslag nummer {i} i dag." for i in range(21)]
    (tmp_path / "over.txt").write_text(" ".join(sentences), encoding="utf-8")
    (tmp_path / "at.txt").write_text(" ".join(sentences[:20]), encoding="utf-8")
    assert refusal(tmp_path, tmp_path / "over.txt", *model_args, *FAST) == (
        f"Error: {tmp_path / 'over.txt'} holds more than 20 sentences and headlines, the limit for one "
        "article: split it into articles"
    )
    done = tsum(tmp_path / "at.txt", *model_args, *FAST, "--format", "json")
    assert done.exit_code == 0, done.output
    assert len(json.loads(done.stdout)["segments"]) == 20
