#!/usr/bin/env python
"""Time and peak memory against input size, for each shape of article, each in a fresh process.

    python benchmarks/input_scaling.py [--sizes 1,4,16] [--stages parse,translate,summary] [--models DIR]

Shapes: ``long-line`` (one paragraph without line breaks), ``short-paragraphs`` ("Ja 17."
and a blank line, repeated) and ``news`` (paragraphs of normal news sentences). Stages:

- ``parse``: what tsum does before any model runs (decode, clean, metadata, paragraphs,
  Danish sentences, the language guard): the step that was quadratic in the input's size.
- ``translate``: the whole article through ``Pipeline`` with the trained tiny models of
  scripts/make_test_models.py (built into DIR when missing), without the summary. Sizes for
  this stage default to 1 MiB: a 16 MiB article of short paragraphs is 2.8 million sentences.
- ``summary``: what ``tsum FILE -o DIR`` does for the user: translation, summary and the
  quality checks, then the JSON and the text outputs written into a folder. Sizes default to
  1, 4, 16 and 20 MiB (the byte limit for one article); pass ``--shapes news`` for the news
  figures only (20 MiB of news is about 371,000 sentences: 10 to 20 minutes on 2 cores).

Prints ``RESULT input_scaling_<stage>_<shape>_<size>mib_seconds`` and ``..._peak_mb`` (VmHWM of
the child process) lines; time per MiB that stays flat as the size grows means linear time. An
article over the limit of sentences for one article (text/reading.py MAX_ARTICLE_SEGMENTS) is
refused while it is parsed: its line says "refused", with the time and memory the refusal took.
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

CHILD = r"""
import sys, time
from pathlib import Path
stage, path = sys.argv[1], sys.argv[2]
from translate_summarize.options import PipelineOptions
from translate_summarize.core.pipeline import Pipeline
from translate_summarize.text.reading import read_article

options = PipelineOptions(
    translation_model=sys.argv[3], summary_model=sys.argv[4], summarize=stage == "summary",
    compute_type="float32", beam_size=1,
)
pipeline = Pipeline(options, quiet=True)
if stage != "parse":
    from translate_summarize.core.loading import load_models
    load_models(pipeline)  # loading is not what grows with the input: outside the timing
from translate_summarize.errors import InputError
start = time.perf_counter()
try:
    article = pipeline.parse(read_article(path), path)
    count = len(article.segments)
    if stage != "parse":
        result = pipeline.process_parsed([article])[0]
        count = sum(bool(s.translation) for s in result.segments)
    if stage == "summary":  # the outputs, written as a folder run writes them (batch/jobs.py)
        from translate_summarize.output.render import render_pieces
        from translate_summarize.util.files import write_in_folder
        if not result.summary:
            raise SystemExit("no summary was made")
        for format, suffix in (("json", ".json"), ("text", ".txt")):
            write_in_folder(Path(sys.argv[5]), "article" + suffix, render_pieces(result, format, source_name=path))
except InputError:
    count = "refused"  # over a documented limit (MAX_ARTICLE_SEGMENTS): time and memory still count
seconds = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(count, round(seconds, 2), round(peak))
"""

NEWS = (
    "Regeringen fremlagde i dag et nyt forslag om skat, og oppositionen kaldte det et skridt i den rigtige "
    "retning. Ifølge ministeren skal 2,5 mio. kr. bruges på bl.a. skoler. Forhandlingerne fortsætter d. 15. juni."
)


def article(shape: str, size: int) -> str:
    """An article of ``shape`` of at most ``size`` bytes (UTF-8), one part short of it at most:
    20 MiB is the limit for one article, not over it."""
    parts: list[str] = []
    total, i = 0, 0
    while total < size:
        if shape == "long-line":
            part = f"Ministeren talte i dag om forslag nummer {i}, som skal vedtages i år. "
        elif shape == "short-paragraphs":
            part = f"Ja {i}.\n\n"
        else:
            part = NEWS + f" Sag {i}.\n\n"
        if total + len(part.encode()) > size:
            break
        parts.append(part)
        total += len(part.encode())
        i += 1
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,4,16", help="MiB, for the parse stage")
    parser.add_argument("--translate-sizes", default="1", help="MiB, for the translate stage")
    parser.add_argument("--summary-sizes", default="1,4,16,20", help="MiB, for the summary stage")
    parser.add_argument("--stages", default="parse,translate,summary")
    parser.add_argument("--shapes", default="long-line,short-paragraphs,news")
    parser.add_argument("--models", type=Path, default=ROOT / "bench-out" / "tiny")
    args = parser.parse_args()
    stages = args.stages.split(",")
    if stages != ["parse"] and not (args.models / "translation" / "config.json").exists():
        import make_test_models

        make_test_models.make_test_models(args.models)
    env = {**os.environ, "TSUM_CACHE_DIR": os.environ.get("TSUM_CACHE_DIR", str(args.models / "tsum-cache"))}
    with tempfile.TemporaryDirectory() as tmp:
        for stage in stages:
            sizes = {"parse": args.sizes, "translate": args.translate_sizes, "summary": args.summary_sizes}[stage]
            for shape in args.shapes.split(","):
                for mib in (float(s) for s in sizes.split(",")):
                    path = Path(tmp) / f"{shape}-{mib:g}.txt"
                    path.write_text(article(shape, int(mib * 2**20)), encoding="utf-8")
                    command = [
                        sys.executable,
                        "-c",
                        CHILD,
                        stage,
                        str(path),
                        str(args.models / "translation"),
                        str(args.models / "summary"),
                        tmp,
                    ]
                    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
                    if done.returncode != 0:
                        print(f"{stage} {shape} {mib:g} MiB failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                        return 1
                    segments, seconds, peak = done.stdout.split()[-3:]
                    name = f"input_scaling_{stage}_{shape.replace('-', '_')}_{mib:g}mib"
                    print(f"{stage:9} {shape:17} {mib:5g} MiB: {segments:>8} segments {seconds:>8} s {peak:>6} MB")
                    print(f"RESULT {name}_seconds {seconds}")
                    print(f"RESULT {name}_peak_mb {peak}")
                    path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
