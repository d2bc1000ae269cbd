"""An article's output does not depend on its neighbours: alone, or in a folder whose articles
share batches (length classes, core/decoding.py), the same segments, scores and summaries."""

from __future__ import annotations

import json
import random

from support.common import TRANSLATION_PAIRS, danish_news_sentences

from translate_summarize.batch import run_batch
from translate_summarize.core.decoding import LENGTH_CLASSES, length_class
from translate_summarize.core.pipeline import Pipeline
from translate_summarize.options import BatchOptions, PipelineOptions

ARTICLES = 42


def _articles() -> list[str]:
    """Short news articles of 3 to 9 sentences in two paragraphs, one trained sentence in each."""
    sentences = danish_news_sentences()
    known = [da for da, _ in TRANSLATION_PAIRS]
    articles = []
    for i in range(ARTICLES):
        picked = [sentences[(i * 7 + k) % len(sentences)] for k in range(2 + i % 7)]
        picked.insert(i % len(picked), known[i % len(known)])
        half = len(picked) // 2
        articles.append(" ".join(picked[:half]) + "\n\n" + " ".join(picked[half:]) + "\n")
    return articles


def test_a_folder_of_articles_gives_each_the_output_it_gets_alone(tiny_models, tmp_path):
    options = PipelineOptions(
        translation_model=str(tiny_models["translation"]),
        summary_model=str(tiny_models["summary"]),
        summary_length="short",
    )
    articles = _articles()
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(articles):
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    summary = run_batch([folder], tmp_path / "out", options, BatchOptions(output_format="json", quiet=True))
    assert (summary.ok, summary.failed) == (ARTICLES, 0)
    pipeline = Pipeline(options)
    known = {da: en for da, en in TRANSLATION_PAIRS}
    for i, text in enumerate(articles):
        together = json.loads((tmp_path / "out" / f"{i:02d}.json").read_text(encoding="utf-8"))
        alone = pipeline.process([text])[0].to_dict()
        assert together["generation"]["translation"]["batching"] == "length-classes"
        assert together["segments"] == alone["segments"], f"article {i}"
        assert together["summary"] == alone["summary"] and alone["summary"], f"article {i}"
        # The trained sentence is translated as trained: the shared batches decode correctly.
        trained = [s for s in alone["segments"] if s["source"] in known]
        assert trained and all(s["translation"] == known[s["source"]] for s in trained)


def test_sentences_decode_the_same_in_any_batch_of_their_length_class(tiny_models):
    """Hundreds of sentences, each decoded alone (padded to its class) and in shuffled batches of
    2 to 40 inputs of its class: bit-identical tokens and scores."""
    translator = Pipeline(PipelineOptions(translation_model=str(tiny_models["translation"]))).translator
    engine, settings = translator.engine, translator.settings
    assert engine.batch_invariant
    gold = danish_news_sentences()
    # Their openings too: more lengths, more inputs (over 300).
    sentences = (
        gold + [da for da, _ in TRANSLATION_PAIRS] + [" ".join(s.split()[: len(s.split()) // 2 + 1]) for s in gold]
    )
    lengths = engine.count_tokens(sentences)
    classes = [length_class(n) for n in lengths]
    alone = [out[0] for out in engine.generate_batches([[s] for s in sentences], settings, classes)]
    rng = random.Random(7)
    for size in (2, 5, 40):
        order = list(range(len(sentences)))
        rng.shuffle(order)
        batches, pad_to = [], []
        for ceiling in sorted(set(classes)):
            members = [i for i in order if classes[i] == ceiling]
            batches += [members[k : k + size] for k in range(0, len(members), size)]
            pad_to += [ceiling] * (len(batches) - len(pad_to))
        outputs = engine.generate_batches([[sentences[i] for i in b] for b in batches], settings, pad_to)
        together = {i: out for batch, outs in zip(batches, outputs) for i, out in zip(batch, outs)}
        assert [together[i] for i in range(len(sentences))] == alone, f"batches of {size}"
    assert len(sentences) >= 300 and len(set(classes)) >= 4


def test_length_classes_pad_by_at_most_half_again():
    assert [length_class(n) for n in (1, 8, 9, 12, 13, 33, 256, 1024, 1500)] == [8, 8, 12, 12, 16, 48, 256, 1024, 1500]
    assert all(b <= 1.5 * a for a, b in zip(LENGTH_CLASSES, LENGTH_CLASSES[1:]))
