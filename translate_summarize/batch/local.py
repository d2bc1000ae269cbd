"""The local executor: one process, models loaded once, articles batched across files."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from translate_summarize.batch.jobs import RunSummary, failed_record, plan_batch, process_articles, windows
from translate_summarize.options import BatchOptions


def progress_bar(total: int, quiet: bool):
    # tqdm: the standard progress bar (rate, ETA), drawn only on a terminal.
    from tqdm import tqdm

    return tqdm(
        total=total, unit="article", disable=quiet or not sys.stderr.isatty(), file=sys.stderr, dynamic_ncols=True
    )


def run_local(plan, log, pipeline, batch: BatchOptions, bar) -> None:
    for parsed, failures in windows(plan.jobs, batch):
        for job, error in failures:
            log.append(failed_record(job, error, plan.models))
            bar.update(1)
        for record in process_articles(pipeline, parsed, plan.outdir, batch, plan.models):
            log.append(record)
            bar.update(1)


def execute(paths: list[Path], outdir: Path, pipeline, batch: BatchOptions, runner=run_local) -> RunSummary:
    """Plan, run with ``runner`` (local or Ray), compact results.jsonl and summarise."""
    from translate_summarize.batch.jobs import find_inputs, model_fingerprints

    start = time.perf_counter()
    inputs = find_inputs(paths, outdir, batch)
    pipeline.resolve()
    plan, log = plan_batch(inputs, outdir, model_fingerprints(pipeline), pipeline.options, batch)
    outdir.mkdir(parents=True, exist_ok=True)
    with progress_bar(len(plan.inputs), batch.quiet) as bar:
        for record in plan.skipped + plan.failed:
            log.append(record)
            bar.update(1)
        if plan.jobs:
            runner(plan, log, pipeline, batch, bar)
    log.compact([item.relative for item in plan.inputs])
    if batch.format == "html":  # trust (issue 13): OUTDIR/index.html links every article's review page
        from translate_summarize.review import write_index

        write_index(outdir, [log.records[i.relative] for i in plan.inputs if i.relative in log.records])
    summary = RunSummary(seconds=time.perf_counter() - start)
    for record in log.records.values():
        setattr(summary, record.status, getattr(summary, record.status) + 1)
    if not batch.quiet:
        print(summary.line(outdir), file=sys.stderr)
    return summary
