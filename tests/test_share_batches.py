"""--share-batches: articles' sentences share decoding batches (throughput), off by default."""

from __future__ import annotations

import json

from click.testing import CliRunner
from helpers import TRANSLATION_PAIRS

from translate_summarize.cli.main import main
from translate_summarize.core.pipeline import Pipeline
from translate_summarize.options import PipelineOptions


class CountingEngine:
    """The real engine, with the batches it is given counted (nothing else changes)."""

    def __init__(self, engine):
        self._engine = engine
        self.batch_sizes: list[int] = []

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def generate_batches(self, batches, settings, pad_to=None):
        self.batch_sizes += [len(batch) for batch in batches]
        return self._engine.generate_batches(batches, settings, pad_to)


def _articles() -> list[list[str]]:
    return [[da] for da, _ in TRANSLATION_PAIRS[:6]]


def _translate(tiny_models, share: bool, threads: int = 0, articles=None) -> tuple[list[str], list[int]]:
    options = PipelineOptions(
        translation_model=str(tiny_models["translation"]), summarize=False, share_batches=share, threads=threads
    )
    translator = Pipeline(options).translator
    counting = CountingEngine(translator.engine)
    translator.engine = counting
    outputs = translator.translate_articles(articles or _articles())
    return [article[0].text for article in outputs], counting.batch_sizes


def test_shared_batches_pool_articles_and_still_translate_each_correctly(tiny_models):
    alone, alone_batches = _translate(tiny_models, share=False)
    shared, shared_batches = _translate(tiny_models, share=True)
    expected = [en for _, en in TRANSLATION_PAIRS[:6]]
    assert alone == expected and shared == expected
    # By default (CTranslate2 int8 on CPU) sentences of one length class share a batch, whatever
    # their article, padded to the class's ceiling: as each would be decoded alone.
    assert len(alone_batches) < 6 and sum(alone_batches) == 6
    assert len(shared_batches) < 6 and sum(shared_batches) == 6


def test_a_small_shared_pool_is_cut_so_that_every_parallel_worker_gets_a_batch(tiny_models):
    # Two threads: CTranslate2 decodes two batches at once; 6 short sentences fit one token
    # budget, and one batch would leave a worker idle (the server's small rounds).
    texts, batches = _translate(tiny_models, share=True, threads=2)
    assert texts == [en for _, en in TRANSLATION_PAIRS[:6]]
    assert len(batches) == 2 and sum(batches) == 6
    _, one_thread = _translate(tiny_models, share=True, threads=1)
    assert one_thread == [6]


def test_share_batches_is_recorded_and_part_of_the_resume_key(model_args, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, (da, _) in enumerate(TRANSLATION_PAIRS[:3]):
        (folder / f"a{i}.txt").write_text(da + "\n", encoding="utf-8")
    out = tmp_path / "out"
    args = [str(folder), "-o", str(out), "--format", "json", "--no-summary", "--offline", "--quiet", *model_args]
    first = CliRunner().invoke(main, [*args, "--share-batches"])
    assert first.exit_code == 0, first.output
    record = json.loads((out / "a0.json").read_text(encoding="utf-8"))
    assert record["generation"]["translation"]["share_batches"] is True
    assert record["translation"] == TRANSLATION_PAIRS[0][1]
    again = CliRunner().invoke(main, args)  # without the flag: not the same computation, so redone
    assert again.exit_code == 0, again.output
    statuses = [json.loads(line)["status"] for line in (out / "results.jsonl").read_text().splitlines()]
    assert statuses == ["ok", "ok", "ok"]
