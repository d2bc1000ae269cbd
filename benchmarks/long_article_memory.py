#!/usr/bin/env python
"""Peak memory against article length: a 2,000- and a 20,000-word article, each in a fresh process.

    python benchmarks/long_article_memory.py [--models DIR]

Uses the trained tiny models of scripts/make_test_models.py (built into DIR when missing), so
that every sentence has a known translation and completeness can be checked too. Prints, per
article: segments, segments with a non-empty translation, and peak RSS (VmHWM). Batches are
streamed through the engine, so the peak should not grow with the article's length.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_test_models as fixtures  # noqa: E402

CHILD = r"""
import sys
from translate_summarize.options import PipelineOptions
from translate_summarize.core.pipeline import Pipeline

options = PipelineOptions(translation_model=sys.argv[1], summary_model=sys.argv[2])
result = Pipeline(options).process([open(sys.argv[3], encoding="utf-8").read()])[0]
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(len(result.segments), sum(bool(s.translation) for s in result.segments), round(peak))
"""


def article(words: int) -> str:
    paragraphs, count, i = [], 0, 0
    pairs = fixtures.TRANSLATION_PAIRS
    while count < words:
        sentences = [pairs[(i + k) % len(pairs)][0] for k in range(5)]
        paragraphs.append(" ".join(sentences))
        count += sum(len(s.split()) for s in sentences)
        i += 1
    return "\n\n".join(paragraphs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=Path, default=ROOT / "bench-out" / "tiny")
    args = parser.parse_args()
    if not (args.models / "translation" / "config.json").exists():
        fixtures.make_test_models(args.models)
    env = {**os.environ, "TSUM_CACHE_DIR": os.environ.get("TSUM_CACHE_DIR", str(args.models / "tsum-cache"))}
    with tempfile.TemporaryDirectory() as tmp:
        for words in (2_000, 20_000):
            path = Path(tmp) / f"article-{words}.txt"
            path.write_text(article(words), encoding="utf-8")
            command = [
                sys.executable,
                "-c",
                CHILD,
                str(args.models / "translation"),
                str(args.models / "summary"),
                str(path),
            ]
            segments, translated, peak = subprocess.run(
                command, capture_output=True, text=True, check=True, env=env
            ).stdout.split()
            print(f"RESULT words_{words}_segments {segments}")
            print(f"RESULT words_{words}_translated_segments {translated}")
            print(f"RESULT words_{words}_peak_rss_mb {peak}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
