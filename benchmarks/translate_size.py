#!/usr/bin/env python
"""Translation only, at a chosen number of sentences: tsum, the shared pool and CTranslate2 used
directly, in interleaved rounds (benchmarks/run.py's models, systems and timing).

    python benchmarks/translate_size.py                   # all 179 benchmark sentences, 3 rounds
    python benchmarks/translate_size.py --sentences 40    # the quick benchmark's 40

benchmarks/run.py --quick times 40 sentences, a call of three or four articles; a folder window
holds a few hundred, where each length class fills several batches. This times that size
without the rest of the full benchmark (naive transformers alone takes minutes there). Ends with
`RESULT <name> <value>` lines: the medians of the per-round ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, build_models, danish_sentences  # noqa: E402
from systems import ct2_direct, interleaved, print_results, report_median, tsum_translate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=0, help="how many sentences (0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench-out", help="where the random models are kept")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TSUM_CACHE_DIR", str(args.workdir / "tsum-cache"))
    marian, _ = build_models(args.workdir)
    sentences = danish_sentences()
    sentences = sentences[: args.sentences] if args.sentences else sentences
    length, beam = 32, 4
    print(f"# {len(sentences)} sentences x {length} target tokens, beam {beam}, articles of 12")
    print(f"# load average at start: {os.getloadavg()[0]:.1f}")
    systems = {
        "ct2_direct": ct2_direct(marian, sentences, length, beam, floor=False),
        "tsum": tsum_translate(marian, sentences, length, beam, "auto", floor=False),
        "shared": tsum_translate(marian, sentences, length, beam, "auto", batching="shared", floor=False),
    }
    timings = interleaved(systems, args.rounds)
    results: dict[str, float] = {}
    report_median(results, "translate_speedup_vs_ct2_direct", [t["ct2_direct"] / t["tsum"] for t in timings])
    report_median(results, "shared_speedup_vs_ct2_direct", [t["ct2_direct"] / t["shared"] for t in timings])
    report_median(results, "per_article_cost", [t["tsum"] / t["shared"] for t in timings])
    report_median(results, "per_article_cost_cpu", [t["tsum_cpu"] / t["shared_cpu"] for t in timings])
    print_results(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
