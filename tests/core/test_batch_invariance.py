"""An article's output does not depend on its neighbours: alone, or in a folder whose articles
share batches (length classes, core/decoding.py) and whose summaries run on parallel workers, the
same segments, scores and summaries; nor on how the CPU threads are arranged."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest
from support.common import TRANSLATION_PAIRS, danish_news_sentences

from translate_summarize.batch import run_batch
from translate_summarize.core.decoding import (
    LENGTH_CLASSES,
    _class_batches,
    generate_grouped,
    length_class,
)
from translate_summarize.core.pipeline import Pipeline
from translate_summarize.core.runtime import Runtime
from translate_summarize.core.summarizer import Summarizer
from translate_summarize.engines import Workload, load_engine
from translate_summarize.engines.ctranslate2_engine import CLASS_PART_TOKENS
from translate_summarize.models.resolve import resolve_model
from translate_summarize.options import BatchOptions, GenerationSettings, PipelineOptions
from translate_summarize.text.packing import even_parts

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
    """The folder on two parallel workers of two threads each (its windows' sentences sharing
    length classes, its summaries decoded at once); each article alone on one single thread."""
    options = PipelineOptions(
        translation_model=str(tiny_models["translation"]),
        summary_model=str(tiny_models["summary"]),
        summary_length="short",
        threads=4,
    )
    articles = _articles()
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(articles):
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    summary = run_batch([folder], tmp_path / "out", options, BatchOptions(output_format="json", quiet=True))
    assert (summary.ok, summary.failed) == (ARTICLES, 0)
    pipeline = Pipeline(replace(options, threads=1))
    assert pipeline.translator.engine.parallel_batches == pipeline.summarizer.engine.parallel_batches == 1
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
    assert len(sentences) >= 300 and len(set(classes)) >= 3


def test_length_classes_double_and_their_largest_batches_go_first():
    assert [length_class(n) for n in (1, 16, 17, 32, 33, 256, 1024, 1500)] == [16, 16, 32, 32, 64, 256, 1024, 1500]
    assert all(b == 2 * a for a, b in zip(LENGTH_CLASSES, LENGTH_CLASSES[1:]))
    # 3 inputs of class 16, 5 of 32, 1 of 128 (padded tokens 48, 160, 128); class 32 holds 4 at
    # most in a batch (budget 128 tokens), so its 5 are cut evenly, 3 + 2 (not 4 + 1).
    lengths = [10, 20, 12, 30, 100, 31, 25, 9, 32]
    batches, pad_to = _class_batches(lengths, batch_tokens=128)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    padded = [len(batch) * ceiling for batch, ceiling in zip(batches, pad_to)]
    assert padded == sorted(padded, reverse=True) == [128, 96, 64, 48]
    assert all(length_class(lengths[i]) == ceiling for batch, ceiling in zip(batches, pad_to) for i in batch)


@pytest.mark.parametrize("count, size", [(1, 4), (4, 4), (5, 4), (64, 64), (81, 32), (100, 7), (3, 1)])
def test_even_parts_are_as_few_as_hold_the_items_and_differ_by_one_at_most(count, size):
    parts = even_parts(list(range(count)), size)
    assert [i for part in parts for i in part] == list(range(count))
    assert len(parts) == -(-count // size) and max(map(len, parts)) <= size
    assert max(map(len, parts)) - min(map(len, parts)) <= 1


def test_a_class_batch_is_cut_into_even_parts_and_a_filler_takes_no_input_s_place(tiny_models):
    """A full batch of class 16 (1,024 padded tokens: 64 inputs) is one pass, whether one input
    has exactly 16 tokens or a filler is added (the filler was counted: 63 + 1, an extra pass);
    a larger one is cut into even parts, the exact-length inputs one per part."""
    engine = Pipeline(PipelineOptions(translation_model=str(tiny_models["translation"]), threads=2)).translator.engine
    assert CLASS_PART_TOKENS // 16 == 64
    assert [len(part) for part in engine._parts([16] + [10] * 63, 16)] == [64]
    assert [len(part) for part in engine._parts([10] * 64, 16)] == [64]
    parts = engine._parts([10] * 60 + [16, 16, 16], 16)  # 63 inputs in one part, one head
    assert [len(part) for part in parts] == [63] and parts[0][0] == 60
    parts = engine._parts([10] * 100 + [16, 16], 16)  # 102: two parts of 51, each with a head
    assert [len(part) for part in parts] == [51, 51] and [part[0] for part in parts] == [100, 101]
    assert sorted(i for part in parts for i in part) == list(range(102))


def _summariser(tiny_models, threads: int) -> Summarizer:
    runtime = Runtime(engine="ctranslate2", device="cpu", compute_type="int8", threads=threads, batch_tokens=1024)
    engine = load_engine(resolve_model(tiny_models["summary"]), runtime, Workload.DOCUMENTS)
    return Summarizer(engine, GenerationSettings(beam_size=2, min_length=5, max_length=30, no_repeat_ngram_size=3))


def test_documents_summarised_together_on_parallel_workers_get_what_each_gets_alone(tiny_models):
    """42 documents, two of them over the model's window (summarised in map-reduce rounds),
    together on two workers of two threads each, and each alone on one single thread."""
    english = [en for _, en in TRANSLATION_PAIRS]
    documents = [" ".join(english[i % len(english) :] + english)[: 80 + 37 * i] for i in range(ARTICLES - 2)]
    documents += [" ".join(english * 60), " ".join(english[::-1] * 45)]
    together = _summariser(tiny_models, threads=4)
    alone = _summariser(tiny_models, threads=1)
    assert (together.engine.parallel_batches, alone.engine.parallel_batches) == (2, 1)
    assert sum(n > together.window for n in together.engine.count_tokens(documents)) == 2
    summaries = together.summarize(documents)
    assert all(summaries) and len(set(summaries)) >= 3
    assert summaries == [alone.summarize([document])[0] for document in documents]
    # Scores too (the tiny model writes few distinct summaries; every score differs).
    fits = [d for d, n in zip(documents, together.engine.count_tokens(documents)) if n <= together.window]
    scored = generate_grouped(together.engine, fits, together.settings, together.batch_tokens, list(range(len(fits))))
    assert len({output.score for output in scored}) > ARTICLES // 2
    assert scored == [generate_grouped(alone.engine, [d], alone.settings, alone.batch_tokens)[0] for d in fits]


def test_a_small_call_is_cut_for_every_worker_without_changing_outputs(tiny_models):
    """Sentences of one length class are one batch, cut in two so that both workers decode."""
    translator = Pipeline(PipelineOptions(translation_model=str(tiny_models["translation"]), threads=2)).translator
    assert translator.engine.parallel_batches == 2 and translator.batching == "length-classes"
    sentences = danish_news_sentences()
    classes = [length_class(n) for n in translator.engine.count_tokens(sentences)]
    common = max(set(classes), key=classes.count)
    chosen = [s for s, c in zip(sentences, classes) if c == common][:5]
    progress: list[int] = []
    together = translator.translate(chosen, lambda done, total: progress.append(done))
    assert len(chosen) == 5 and len(progress) == 3  # before the first batch, after each of the two
    assert together == [translator.translate([sentence])[0] for sentence in chosen]
