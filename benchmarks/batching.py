#!/usr/bin/env python
"""Folder runs: cross-article batching against a one-article-at-a-time loop, and peak memory.

    python benchmarks/batching.py [--articles 40] [--memory-articles 48] [--part all|speed|memory]

Uses the random-weight models of the real sizes that benchmarks/run.py builds (run that first).

speed: translation only (summaries are one per article either way). Both sides use the same
tsum pipeline and engine (the default, CTranslate2 int8) with the models loaded once; the
only difference is whether the articles go through a folder run (`run_batch`, as
`tsum FOLDER -o OUT` does: windows of 16 articles whose sentences share batches by length
class, each output the one its article gets alone) or a loop over `Pipeline.process([article])`. Random weights never emit </s>, so both decode every
sentence to the same length bound: the same work.

memory: `tsum FOLDER -o OUT --summary-length short` (translation and summary, both models) in
a fresh process on short news items, and that process's peak RSS (VmHWM). Translations are
capped at 1.2x the source length as in run.py's end-to-end run (random weights never stop);
`short` summaries (at most 60 tokens) keep the run to minutes, since random weights decode
every summary to its maximum. Ends with `RESULT` lines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

import run  # noqa: E402  (benchmarks/run.py: model building and sentences)

FOLDER_RUN = """
import json, sys, time
from dataclasses import replace
start = time.perf_counter()
import translate_summarize.options as options
# Random weights never emit </s>: cap translations at 1.2x the source length (run.py end_to_end).
options.TRANSLATION_GENERATION = replace(options.TRANSLATION_GENERATION, max_length_ratio=1.2, max_length_margin=2)
from translate_summarize.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent (the benchmark).
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
heavy = sorted(m for m in ("torch", "transformers") if m in sys.modules)
print(json.dumps({"exit_code": code, "seconds": seconds, "peak_rss_mb": peak, "heavy_imports": heavy}))
"""


def short_articles(count: int, first: int = 3) -> list[str]:
    """Short news items of ``first`` to ``first + 3`` sentences, as in a wire-service archive."""
    sentences = run.danish_sentences()
    articles = []
    for i in range(count):
        size = first + i % 4
        articles.append(" ".join(sentences[(i * 5 + k) % len(sentences)] for k in range(size)))
    return articles


def write_folder(folder: Path, articles: list[str]) -> None:
    folder.mkdir()
    for i, text in enumerate(articles):
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")


def speed(marian: Path, count: int) -> None:
    from translate_summarize.batch import run_batch
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.options import BatchOptions, PipelineOptions

    articles = short_articles(count)
    options = PipelineOptions(translation_model=str(marian), summarize=False)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        write_folder(folder, articles)
        pipeline = Pipeline(options)
        _ = pipeline.translator  # load once, outside the timings
        start = time.perf_counter()
        for text in articles:
            pipeline.process([text])
        loop = time.perf_counter() - start
        start = time.perf_counter()
        run_batch([folder], Path(tmp) / "out", options, BatchOptions(quiet=True))
        batched = time.perf_counter() - start  # includes its own model load and file I/O
    print(f"# speed: {count} articles, {sum(len(a.split()) for a in articles)} words, translation only")
    print(f"RESULT one_at_a_time_seconds {loop:.2f}")
    print(f"RESULT folder_run_seconds {batched:.2f}")
    print(f"RESULT cross_article_speedup {loop / batched:.2f}")


def memory(marian: Path, bart: Path, count: int) -> None:
    articles = short_articles(count)
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "articles", Path(tmp) / "out"
        write_folder(folder, articles)
        args = [str(folder), "-o", str(out), "--translation-model", str(marian), "--summary-model", str(bart)]
        args += ["--summary-length", "short", "--quiet"]
        done = subprocess.run(
            [sys.executable, "-c", FOLDER_RUN, *args], capture_output=True, text=True, check=True, env=os.environ.copy()
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        written = len(list(out.glob("*.txt")))
    print(f"# memory: {count} articles, {sum(len(a.split()) for a in articles)} words, translation + short summary")
    print(f"# exit code {result['exit_code']}, {written} outputs, heavy imports: {result['heavy_imports'] or 'none'}")
    print(f"RESULT folder_summary_seconds {result['seconds']:.2f}")
    print(f"RESULT folder_peak_rss_mb {result['peak_rss_mb']:.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40, help="speed: articles [40]")
    parser.add_argument("--memory-articles", type=int, default=48, help="memory: articles [48]")
    parser.add_argument("--part", choices=("all", "speed", "memory"), default="all")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench-out")
    args = parser.parse_args()
    os.environ.setdefault("TSUM_CACHE_DIR", str(args.workdir / "tsum-cache"))
    marian, bart = run.build_models(args.workdir)
    if args.part in ("all", "speed"):
        speed(marian, args.articles)
    if args.part in ("all", "memory"):
        memory(marian, bart, args.memory_articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
