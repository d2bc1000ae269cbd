#!/usr/bin/env python
"""Cross-article batching: a folder run against a one-article-at-a-time loop.

    python benchmarks/batching.py [--articles 40]

Uses the random-weight opus-mt-da-en-sized model that benchmarks/run.py builds (run that
first), translation only (summaries are one per article either way). Both sides use the same
tsum pipeline and engine (the default, CTranslate2 int8) with the models loaded once; the
only difference is whether sentences of many articles share batches (`run_batch`, as
`tsum FOLDER -o OUT` does) or each article is translated on its own (a loop over
`Pipeline.process([article])`). Random weights never emit </s>, so both decode every sentence
to the same length bound: the same work. Ends with `RESULT` lines.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

import run  # noqa: E402  (benchmarks/run.py: model building and sentences)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench-out")
    args = parser.parse_args()
    os.environ.setdefault("TSUM_CACHE_DIR", str(args.workdir / "tsum-cache"))
    from translate_summarize.batch import run_batch
    from translate_summarize.options import BatchOptions, PipelineOptions
    from translate_summarize.pipeline import Pipeline

    marian, _ = run.build_models(args.workdir)
    sentences = run.danish_sentences()
    # Short news items of 3 to 6 sentences, as in a wire-service archive.
    articles = []
    for i in range(args.articles):
        size = 3 + i % 4
        articles.append(" ".join(sentences[(i * 5 + k) % len(sentences)] for k in range(size)))
    options = PipelineOptions(translation_model=str(marian), summarize=False)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, text in enumerate(articles):
            (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
        pipeline = Pipeline(options)
        _ = pipeline.translator  # load once, outside the timings
        start = time.perf_counter()
        for text in articles:
            pipeline.process([text])
        loop = time.perf_counter() - start
        start = time.perf_counter()
        run_batch([folder], Path(tmp) / "out", options, BatchOptions(quiet=True))
        batched = time.perf_counter() - start  # includes its own model load and file I/O
    print(f"# {args.articles} articles, {sum(len(a.split()) for a in articles)} words")
    print(f"RESULT one_at_a_time_seconds {loop:.2f}")
    print(f"RESULT folder_run_seconds {batched:.2f}")
    print(f"RESULT cross_article_speedup {loop / batched:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
