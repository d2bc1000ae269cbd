"""Engines behind one interface: parity, conversion cache, engine choice."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from conftest import TRANSLATION_PAIRS, builder

from translate_summarize.cli import main
from translate_summarize.engines import choose_compute_type, choose_engine, load_engine
from translate_summarize.engines.ctranslate2_engine import split_threads
from translate_summarize.models.convert import convert_model, converted_dir
from translate_summarize.models.resolve import resolve_model
from translate_summarize.options import SUMMARY_GENERATION, TRANSLATION_GENERATION

GREEDY = replace(TRANSLATION_GENERATION, beam_size=1)
SOURCES = [da for da, _ in TRANSLATION_PAIRS] + [
    "Regeringen vil bl.a. bruge pengene på nye sygehuse.",
    "Mødet begynder kl. 10.00 på Christiansborg.",
    "Det er første gang i knap et år, at emnet er på dagsordenen.",
]


def danish_news_sentences() -> list[str]:
    from test_segment import load_gold

    return [sentence for block in load_gold() for sentence in block]


def in_batches(engine, texts, settings, size=16):
    return [out for i in range(0, len(texts), size) for out in engine.generate(texts[i : i + size], settings)]


@pytest.fixture(scope="module")
def engines(tiny_models):
    translation, summary = resolve_model(tiny_models["translation"]), resolve_model(tiny_models["summary"])
    return {
        ("translation", "transformers"): load_engine(translation, "transformers", "cpu", "float32"),
        ("translation", "float32"): load_engine(translation, "ctranslate2", "cpu", "float32"),
        ("translation", "int8"): load_engine(translation, "ctranslate2", "cpu", "int8"),
        ("summary", "transformers"): load_engine(summary, "transformers", "cpu", "float32"),
        ("summary", "float32"): load_engine(summary, "ctranslate2", "cpu", "float32"),
    }


def test_ctranslate2_float32_greedy_equals_transformers_greedy(engines):
    reference = engines[("translation", "transformers")].generate(SOURCES, GREEDY)
    assert engines[("translation", "float32")].generate(SOURCES, GREEDY) == reference
    assert reference[: len(TRANSLATION_PAIRS)] == [en for _, en in TRANSLATION_PAIRS]
    # On sentences the tiny model never saw (near-ties abound), agreement is still near total.
    sentences = danish_news_sentences()
    a = in_batches(engines[("translation", "transformers")], sentences, GREEDY)
    b = in_batches(engines[("translation", "float32")], sentences, GREEDY)
    agreement = sum(x == y for x, y in zip(a, b)) / len(sentences)
    print(
        f"\nfloat32 greedy, CTranslate2 vs transformers, {len(sentences)} unseen sentences: {agreement:.1%} identical"
    )
    assert agreement >= 0.97
    articles = [a for a, _ in builder.SUMMARY_PAIRS] + [" ".join(en for _, en in TRANSLATION_PAIRS[:5])]
    settings = replace(SUMMARY_GENERATION, beam_size=1, min_length=5, max_length=40)
    summaries = engines[("summary", "transformers")].generate(articles, settings)
    assert engines[("summary", "float32")].generate(articles, settings) == summaries
    assert all(summaries)


def test_beam_search_settings_agree_between_engines(engines):
    reference = engines[("translation", "transformers")].generate(SOURCES[:6], TRANSLATION_GENERATION)
    assert engines[("translation", "float32")].generate(SOURCES[:6], TRANSLATION_GENERATION) == reference


def test_int8_agreement_with_float32_is_measured(engines):
    sentences = SOURCES + danish_news_sentences()
    float32 = in_batches(engines[("translation", "float32")], sentences, GREEDY)
    int8 = in_batches(engines[("translation", "int8")], sentences, GREEDY)
    agreement = sum(a == b for a, b in zip(float32, int8)) / len(sentences)
    trained = sum(a == b for a, b in zip(float32, int8[: len(TRANSLATION_PAIRS)]))
    print(
        f"\nint8 vs float32 on the tiny fixture: {agreement:.0%} of {len(sentences)} identical, {trained}/{len(TRANSLATION_PAIRS)} trained pairs"
    )
    assert len(int8) == len(sentences) and all(int8)


def test_conversion_is_cached_and_keyed(tiny_models):
    model = resolve_model(tiny_models["translation"])
    first = convert_model(model, "int8", quiet=True)
    assert convert_model(model, "int8", quiet=True) == first
    assert converted_dir(model, "float32") != first
    assert "-int8-ct2-" in first.name and (first / "model.bin").is_file()
    # The Marian decoder is restricted to its target-language pieces.
    vmap = (first / "vmap.txt").read_text(encoding="utf-8")
    vocab = json.loads((tiny_models["translation"] / "vocab.json").read_text(encoding="utf-8"))
    allowed = vmap.strip().split(" ")
    assert vmap.startswith("\t") and 0 < len(allowed) < len(vocab) - 1
    assert not list(first.parent.glob(".converting-*"))


def test_models_convert_command(tiny_models):
    result = CliRunner().invoke(main, ["models", "convert", str(tiny_models["summary"]), "--compute-type", "float32"])
    assert result.exit_code == 0
    assert (converted_dir(resolve_model(tiny_models["summary"]), "float32") / "model.bin").is_file()


def test_auto_choices():
    assert choose_engine("auto", "cpu") == "ctranslate2"
    assert choose_engine("auto", "cuda") == "transformers"
    assert choose_engine("transformers", "cpu") == "transformers"
    assert choose_compute_type("auto", "ctranslate2", "cpu") == "int8"
    assert choose_compute_type("auto", "transformers", "cuda") == "float32"
    assert choose_compute_type("bfloat16", "transformers", "cuda") == "bfloat16"


@pytest.mark.parametrize(("threads", "expected"), [(1, (1, 1)), (2, (2, 1)), (4, (2, 2)), (16, (4, 4))])
def test_thread_split(threads, expected):
    assert split_threads(threads) == expected
