"""The local executor: one process, models loaded once, articles batched across files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from translate_summarize.batch.jobs import Plan, plan_windows, process_window
from translate_summarize.batch.results import ResultsLog
from translate_summarize.options import BatchOptions

if TYPE_CHECKING:
    from translate_summarize.core.pipeline import Pipeline


def run_local(plan: Plan, log: ResultsLog, pipeline: Pipeline, batch: BatchOptions, bar: Any) -> None:
    from translate_summarize.core.loading import load_models

    load_models(pipeline)  # a broken model folder is one error, before any article is read
    for window in plan_windows(plan.jobs, batch):
        for record in process_window(pipeline, window, plan.outdir, batch, plan.models):
            log.append(record)
            bar.update(1)
