"""Folder runs: discovery, resumable results.jsonl, and the local and Ray executors."""

from __future__ import annotations

from pathlib import Path

from translate_summarize.batch.jobs import RunSummary
from translate_summarize.options import BatchOptions, PipelineOptions


def run_batch(paths: list[Path], outdir: Path, options: PipelineOptions, batch: BatchOptions) -> RunSummary:
    """Translate every article under ``paths`` into ``outdir``.

    Raises:
        TsumError: see :func:`translate_summarize.batch.driver.execute`.
    """
    from translate_summarize.batch.driver import execute
    from translate_summarize.batch.local import run_local
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.util.files import closed_standard_streams

    closed_standard_streams()  # so that no output file can get fd 0, 1 or 2

    if batch.executor == "ray":
        from translate_summarize.batch.ray_cluster import worker_options
        from translate_summarize.batch.ray_executor import make_ray_runner

        runner = make_ray_runner(batch)
        # The workers' runtime, resolved here: the resume key holds what the workers will run.
        return execute(paths, outdir, Pipeline(worker_options(options, batch), quiet=batch.quiet), batch, runner)
    return execute(paths, outdir, Pipeline(options, quiet=batch.quiet), batch, run_local)


__all__ = ["RunSummary", "run_batch"]
