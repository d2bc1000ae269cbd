"""Long articles: nothing truncated, long sentences split, long texts summarised in rounds."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import TRANSLATION_PAIRS

from translate_summarize.cli.main import main
from translate_summarize.core.runtime import Runtime
from translate_summarize.core.summarizer import Summarizer
from translate_summarize.core.translator import Translator
from translate_summarize.engines import Workload, load_engine
from translate_summarize.models.resolve import resolve_model
from translate_summarize.options import SUMMARY_GENERATION, TRANSLATION_GENERATION, GenerationSettings

FLOAT32_CPU = Runtime(engine="ctranslate2", device="cpu", compute_type="float32", threads=2, batch_tokens=1024)


class RecordingEngine:
    """A real engine that also records the length of every input it is given."""

    def __init__(self, engine):
        self.engine = engine
        self.name = engine.name
        self.runtime = engine.runtime
        self.max_input_tokens = engine.max_input_tokens
        self.seen: list[int] = []

    def count_tokens(self, texts):
        return self.engine.count_tokens(texts)

    def generate(self, texts, settings):
        self.seen += self.engine.count_tokens(texts)
        return self.engine.generate(texts, settings)

    def generate_batches(self, batches, settings):
        for batch in batches:
            yield self.generate(batch, settings)

    def describe(self):
        return self.engine.describe()


@pytest.fixture
def float32_translation_engine(tiny_models):
    return load_engine(resolve_model(tiny_models["translation"]), FLOAT32_CPU, Workload.SENTENCES)


def test_twenty_thousand_word_article_is_translated_completely(model_args, tmp_path):
    paragraphs, sentences, words = [], 0, 0
    while words < 20_000:
        chunk = TRANSLATION_PAIRS[sentences % len(TRANSLATION_PAIRS) :] + TRANSLATION_PAIRS
        paragraph = [da for da, _ in chunk[:5]]
        paragraphs.append(" ".join(paragraph))
        sentences += len(paragraph)
        words += sum(len(s.split()) for s in paragraph)
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    result = CliRunner().invoke(
        main, [str(path), *model_args, "--compute-type", "float32", "--beam-size", "1", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    expected = dict(TRANSLATION_PAIRS)
    assert len(data["segments"]) == sentences
    assert all(s["translation"] == expected[s["source"]] for s in data["segments"])
    assert data["translation"].count("\n\n") == len(paragraphs) - 1
    assert data["summary"].strip()


def test_over_long_sentence_is_split_not_truncated(float32_translation_engine):
    engine = RecordingEngine(float32_translation_engine)
    translator = Translator(
        engine, GenerationSettings(beam_size=1, max_length=512, max_length_ratio=2.0), max_input_tokens=24
    )
    sources = [da for da, _ in TRANSLATION_PAIRS]
    long_sentence = " ".join(sources)  # one "sentence" far over the 24-token window
    assert engine.count_tokens([long_sentence])[0] > 24 * 3
    (translation,) = translator.translate([long_sentence])
    assert translation.text == " ".join(en for _, en in TRANSLATION_PAIRS)
    assert translation.score is not None and translation.score < 0
    assert max(engine.seen) <= 24


def test_generated_length_is_bounded_by_the_input_length():
    settings = TRANSLATION_GENERATION
    assert settings.max_new_tokens(10) == 30
    assert settings.max_new_tokens(400) == 512
    assert SUMMARY_GENERATION.max_new_tokens(5000) == 142
    assert SUMMARY_GENERATION.min_new_tokens(40) == 20


def test_long_text_is_summarised_in_rounds_within_the_window(tiny_models):
    real = load_engine(resolve_model(tiny_models["summary"]), FLOAT32_CPU, Workload.DOCUMENTS)
    engine = RecordingEngine(real)
    summarizer = Summarizer(engine, GenerationSettings(beam_size=1, min_length=5, max_length=40))
    sentences = [en for _, en in TRANSLATION_PAIRS] * 60  # ~4,000 tokens, 4x the window
    assert engine.count_tokens([" ".join(sentences)])[0] > 3 * real.max_input_tokens
    short = "The bank raises the interest rate."
    events = []
    summaries = summarizer.summarize([sentences, short], lambda done, total: events.append((done, total)))
    assert all(s.strip() for s in summaries)
    assert max(engine.seen) <= real.max_input_tokens
    assert len(engine.seen) >= 6  # 4+ chunks, the combined round and the short text
    # Progress moves during the rounds: the chunks are counted once known, and done as summarised.
    done = [d for d, _ in events]
    assert events[0] == (0, 2) and events[-1][0] == events[-1][1] >= 6
    assert done == sorted(done) and len(set(done)) >= 3 and all(d <= total for d, total in events)


@pytest.mark.parametrize(("length", "bounds"), [("short", (20, 60)), ("medium", (56, 142)), ("long", (100, 250))])
def test_summary_length_presets_are_explicit(model_args, tmp_path, length, bounds):
    path = tmp_path / "a.txt"
    path.write_text(" ".join(da for da, _ in TRANSLATION_PAIRS), encoding="utf-8")
    result = CliRunner().invoke(main, [str(path), *model_args, "--summary-length", length, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    generation = json.loads(result.stdout)["generation"]["summary"]
    assert (generation["min_length"], generation["max_length"]) == bounds
