"""The driver of a folder run, shared by the local and the Ray executor: discover and plan the
inputs, lock OUTDIR, hand the jobs to an executor's runner, compact results.jsonl, summarise."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate_summarize.batch.discover import remove_stale_temporaries
from translate_summarize.batch.jobs import (
    Plan,
    RunSummary,
    find_inputs,
    model_fingerprints,
    plan_batch,
    recheck_glossary,
)
from translate_summarize.batch.results import ResultsLog, Status
from translate_summarize.errors import OutputError, UsageError
from translate_summarize.options import BatchOptions
from translate_summarize.util.locks import OutputFolderLock

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from tqdm import tqdm

    from translate_summarize.core.pipeline import Pipeline

Runner = Callable[[Plan, ResultsLog, "Pipeline", BatchOptions, Any], None]


@contextlib.contextmanager
def progress_bar(total: int, quiet: bool) -> Iterator[tqdm]:
    """A tqdm bar (rate, ETA: the standard progress bar), drawn only on a terminal.

    It writes, through tqdm's ``file`` argument, to its own copy of the terminal's file
    descriptor: the Ray executor points fd 2 at /dev/null while Ray runs (ray_output.py), and
    the bar keeps the terminal without anything reaching into tqdm.
    """
    from tqdm import tqdm

    drawn = not quiet and sys.stderr.isatty()
    with contextlib.ExitStack() as stack:
        stream = sys.stderr
        if drawn:
            copy = os.dup(sys.stderr.fileno())
            stream = stack.enter_context(os.fdopen(copy, "w", buffering=1, encoding="utf-8", errors="replace"))
        with tqdm(total=total, unit="article", disable=not drawn, file=stream, dynamic_ncols=True) as bar:
            yield bar


def _make_outdir(outdir: Path) -> None:
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {outdir}: {exc.strerror or exc}; pick another -o") from None


def execute(paths: list[Path], outdir: Path, pipeline: Pipeline, batch: BatchOptions, runner: Runner) -> RunSummary:
    """Plan, run with ``runner`` (local or Ray), compact results.jsonl and summarise.

    OUTDIR is locked for the whole run (one writer per folder); the lock dies with the process.

    Raises:
        TsumError: bad inputs or OUTDIR (before any model is loaded), a model that cannot load,
            or an output folder that stopped accepting writes (a full disk).
    """
    start = time.perf_counter()
    inputs = find_inputs(paths, outdir, batch)
    _make_outdir(outdir)
    with OutputFolderLock(outdir):
        log = ResultsLog(outdir)
        if log.damaged:
            logger.warning("ignored %s damaged line(s) in %s; their articles are redone", log.damaged, log.path)
        try:
            remove_stale_temporaries(outdir)
            pipeline.resolve()
            plan = plan_batch(inputs, log, model_fingerprints(pipeline), pipeline.options, batch)
            with progress_bar(len(plan.inputs), batch.quiet) as bar:
                for record in plan.skipped + plan.failed:
                    log.append(record)
                    bar.update(1)
                for record in recheck_glossary(plan, pipeline.glossary):  # a changed glossary: flags only
                    log.append(record)
                    bar.update(1)
                if plan.jobs:
                    runner(plan, log, pipeline, batch, bar)
            log.compact([item.key for item in plan.inputs])
            if batch.output_format == "html":  # OUTDIR/index.html links every article's review page
                from translate_summarize.output.review import write_index

                write_index(outdir, [log.records[i.key] for i in plan.inputs if i.key in log.records])
            # Every writer is done and we hold the lock: a temporary file left now belongs to a
            # worker killed mid-write (Ray retries its window elsewhere).
            remove_stale_temporaries(outdir)
        except OSError as exc:
            raise OutputError(
                f"cannot write into {outdir}: {exc.strerror or exc}; fix that (free some space?) and run again: "
                "finished articles are kept"
            ) from exc
        finally:
            # After a failed write (a full disk) closing flushes again and fails again: the first
            # error is the one to report, and every record flushed before it is kept.
            with contextlib.suppress(OSError):
                log.close()
    summary = RunSummary(seconds=time.perf_counter() - start)
    for record in log.records.values():
        summary.count(record.status)
        if record.status is Status.FAILED:
            summary.failed_inputs.append(record.input)
    if not batch.quiet:
        logger.info("%s", summary.line(outdir))
    return summary
