"""Segment flags, the summary check, "Check these" in text/Markdown, and results.jsonl counts."""

from __future__ import annotations

import json

import pytest
from support.cli import tsum
from support.common import TRANSLATION_PAIRS, known_article

from translate_summarize.core.pipeline import ArticleResult, TranslatedSegment
from translate_summarize.core.quality import (
    FLAGS,
    check_results,
    check_summary,
    normalise_number,
    segment_flags,
)
from translate_summarize.output.render import render

# An untrained Danish sentence far longer than anything the tiny translator learnt: its output is
# a short trained-like sentence, so the length ratio is far under 0.5.
PLANTED = (
    "Ifølge de seneste opgørelser fra Danmarks Statistik har antallet af ledige i hovedstadsområdet "
    "været stigende gennem hele efteråret, selv om eksperterne havde forventet det modsatte."
)


# ---- the flag functions on crafted segments -------------------------------------------------


@pytest.mark.parametrize(("source", "translation"), TRANSLATION_PAIRS)
def test_good_translations_raise_no_flag(source, translation):
    assert segment_flags(source, translation, score=-0.2) == []


@pytest.mark.parametrize(
    ("source", "translation", "flag"),
    [
        ("Regeringen fremlagde i dag et nyt forslag.", "Regeringen fremlagde i dag et nyt forslag.", "copied_source"),
        ("Regeringen fremlagde i dag et nyt forslag.", "Regeringen fremlagde i dag a new proposal.", "copied_source"),
        ("Banken hæver renten.", "The bank raises the the the interest rate.", "repetition"),
        ("Banken hæver renten i dag.", "The bank raises the rate, the rate, the rate.", "repetition"),
        (
            "Ministeren vil ikke kommentere sagen.",
            "The minister will not comment on the case of the war of the war.",
            "repetition",
        ),
        ("Politiet efterlyser vidner til ulykken i går aftes.", "The police.", "length_ratio"),
        (
            "Vejret bliver koldt.",
            "The weather will be cold at the weekend and then warm again and then very windy all week long.",
            "length_ratio",
        ),
    ],
    ids=["copy", "half-copy", "word-loop", "phrase-loop", "bigram-loop", "too-short", "too-long"],
)
def test_each_failure_raises_its_flag(source, translation, flag):
    assert flag in segment_flags(source, translation)


def test_short_segments_are_not_judged_by_length():
    assert segment_flags("Krig.", "War in the Middle East continues.") == []


def test_low_confidence_follows_the_threshold_and_ignores_missing_scores():
    assert segment_flags("Banken hæver renten.", "The bank raises the interest rate.", score=-2.5) == ["low_confidence"]
    assert segment_flags("Banken hæver renten.", "The bank raises the interest rate.", score=-2.5, min_score=-3) == []
    assert segment_flags("Banken hæver renten.", "The bank raises the interest rate.", score=None) == []


def test_flags_come_in_the_documented_order():
    from translate_summarize.text.glossary import parse_glossary

    flags = segment_flags(
        "Banken i Aarhus hæver renten med 2 pct. i dag, siger banken.",
        "Banken hæver renten renten renten med 3 pct. i dag, siger banken.",
        score=-9.0,
        split=True,
        glossary=parse_glossary("renten,the interest rate"),
    )
    assert flags == [f for f in FLAGS if f in flags] and set(flags) == set(FLAGS) - {"length_ratio"}


# ---- the summary check ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [("2,5", "2.5"), ("2.5", "2.5"), ("1.000", "1000"), ("1,000", "1000"), ("1.234,5", "1234.5"),
     ("1,234.5", "1234.5"), ("2.5%", "2.5"), ("2,50", "2.5"), ("2021", "2021"), ("1.000.000", "1000000")],
)  # fmt: skip
def test_numbers_are_normalised(written, value):
    assert normalise_number(written) == value


def test_summary_check_catches_a_planted_number_and_name():
    translation = "The price rose by 2.5 percent last year. The agreement was signed in Copenhagen by 1,000 people."
    summary = (
        "Prices rose 2,5% as 1.000 people signed in Copenhagen. Prices will rise 7 percent, Mette Frederiksen said."
    )
    assert check_summary(summary, translation) == {
        "unsupported_numbers": ["7"],
        "unsupported_names": ["Mette Frederiksen"],
    }


def test_summary_check_accepts_what_the_translation_says():
    translation = "The two countries met on Wednesday in Geneva. Joe Biden's envoy, Wendy Sherman, was there."
    summary = "The two countries met in Geneva on Wednesday. According to Biden's envoy Sherman, 2 sides met."
    assert check_summary(summary, translation) == {"unsupported_numbers": [], "unsupported_names": []}


# ---- end to end on the tiny models ----------------------------------------------------------


@pytest.fixture(scope="module")
def planted_results(tiny_models):
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.options import PipelineOptions

    article, _ = known_article()
    options = PipelineOptions(
        translation_model=str(tiny_models["translation"]), summary_model=str(tiny_models["summary"])
    )
    long_sentence = ", ".join(["Regeringen fremlagde i dag et nyt forslag om skat"] * 40) + "."
    return Pipeline(options).process([article + "\n" + PLANTED + "\n", long_sentence])


def test_pipeline_flags_the_planted_sentence_and_not_the_trained_ones(planted_results):
    segments = planted_results[0].segments
    assert [s.source for s in segments if s.flags] == [PLANTED]
    assert "length_ratio" in segments[-1].flags
    assert planted_results[0].summary_check is not None
    assert set(planted_results[0].summary_check) == {"unsupported_numbers", "unsupported_names"}


def test_a_sentence_split_to_fit_the_window_is_flagged(planted_results):
    (segment,) = planted_results[1].segments
    assert {"split", "repetition"} <= set(segment.flags)  # 40 copies of one clause: the tiny model loops


def test_trained_sentences_score_higher_than_untrained_ones(planted_results):
    segments = planted_results[0].segments
    assert all(s.score is not None for s in segments), "every engine reports a score per segment"
    trained = [s.score for s in segments if s.source != PLANTED]
    untrained = [s.score for s in segments if s.source == PLANTED]
    assert min(trained) > max(untrained)


def _result_with_flags() -> ArticleResult:
    segments = [
        TranslatedSegment("Banken hæver renten.", "The bank raises the interest rate.", 0, True),
        TranslatedSegment(
            "Regeringen fremlagde i dag et nyt forslag.", "Regeringen fremlagde i dag et nyt forslag.", 0
        ),
    ]
    result = ArticleResult(
        "The bank raises the interest rate. Regeringen fremlagde i dag et nyt forslag.",
        "The bank raised rates by 3 percent, Lars Løkke said.",
        segments,
        {"date": "2024-01-02"},
        {"translation": {"name": "m", "revision": "local"}, "summary": None},
        {},
    )
    check_results([result])
    return result


def test_text_output_lists_flagged_sentences_after_the_translation():
    text = render(_result_with_flags(), "text")
    check = text.index("CHECK THESE")
    assert check > text.index("TRANSLATION")
    assert text[check:] == (
        "CHECK THESE\n[copied_source]\n  da: Regeringen fremlagde i dag et nyt forslag.\n"
        "  en: Regeringen fremlagde i dag et nyt forslag.\n"
    )
    assert "SUMMARY\nThe bank raised rates by 3 percent, Lars Løkke said.\nCHECK: not in the translation: " in text
    assert "numbers 3; names Lars Løkke" in text


def test_markdown_output_has_a_check_these_section_and_the_summary_check():
    text = render(_result_with_flags(), "markdown")
    assert "\n## Check these\n\n- *copied\\_source*\n  - da: Regeringen fremlagde" in text
    assert "> **Check:** not in the translation: numbers 3; names Lars Løkke" in text
    assert text.index("## Summary") < text.index("> **Check:**") < text.index("## Translation")


def test_json_output_carries_flags_scores_and_the_summary_check(model_args, tmp_path):
    article, _ = known_article()
    path = tmp_path / "a.txt"
    path.write_text(article + "\n" + PLANTED + "\n", encoding="utf-8")
    data = json.loads(tsum(str(path), *model_args, "--format", "json").stdout)
    flagged = [s for s in data["segments"] if s["flags"]]
    assert [s["source"] for s in flagged] == [PLANTED]
    assert set(data["summary_check"]) == {"unsupported_numbers", "unsupported_names"}
    assert all("score" in s for s in data["segments"])


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_min_score_zero_flags_every_sentence_not_certain(model_args, tmp_path, engine):
    article, _ = known_article()
    path = tmp_path / "a.txt"
    path.write_text(article, encoding="utf-8")
    args = [str(path), *model_args, "--engine", engine, "--format", "json", "--min-score", "0", "--no-summary"]
    data = json.loads(tsum(*args).stdout)
    assert all(s["score"] is not None for s in data["segments"]), "every engine reports a score per segment"
    # A mean log-probability is 0 only for a sentence decoded with certainty.
    assert all("low_confidence" in s["flags"] for s in data["segments"] if s["score"] < 0)
    assert any(s["score"] < 0 for s in data["segments"])


def test_folder_run_records_flag_counts_and_writes_the_html_index(model_args, tmp_path):
    article, _ = known_article()
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "clean.txt").write_text(article, encoding="utf-8")
    (src / "sub" / "planted.txt").write_text(article + "\n" + PLANTED + "\n", encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = tsum(str(src), "-o", str(out), *model_args, "--format", "html", "--no-summary", "-q")
    assert result.exit_code == 1, result.output  # empty.txt failed
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert records["clean.txt"]["flagged"] == 0 and records["sub/planted.txt"]["flagged"] == 1
    index = (out / "index.html").read_text(encoding="utf-8")
    planted = '<a href="sub/planted.html">sub/planted.txt</a></td><td class="date"></td><td class="count">1</td>'
    clean = '<a href="clean.html">clean.txt</a></td><td class="date"></td><td class="count">0</td>'
    failed = '<tr class="failed"><td>empty.txt<span class="error">'
    assert index.index(failed) < index.index(planted) < index.index(clean)  # failed first, then most flagged
    page = (out / "sub" / "planted.html").read_text(encoding="utf-8")
    assert "<h1>sub/planted.txt</h1>" in page and 'class="flagged"' in page
    # a resumed run keeps the counts of the articles it skips
    tsum(str(src), "-o", str(out), *model_args, "--format", "html", "--no-summary", "-q")
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert records["sub/planted.txt"] == {**records["sub/planted.txt"], "status": "skipped", "flagged": 1}
    assert '<td class="count">1</td>' in (out / "index.html").read_text(encoding="utf-8")
