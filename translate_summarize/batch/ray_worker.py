"""Ray's side of a folder run: the actor that loads the models once and runs windows, and the
row codec that carries a window's jobs to it (paths, hashes, resume keys; no article text is
read on the driver)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from translate_summarize.batch.discover import InputFile
from translate_summarize.batch.jobs import Job, process_window
from translate_summarize.batch.results import Record
from translate_summarize.options import BatchOptions, PipelineOptions

if TYPE_CHECKING:
    import pyarrow


class ArticleWorker:
    """One Ray actor: loads the models once, then translates windows of articles."""

    def __init__(self, options: dict, batch: dict, outdir: str, models: dict):
        from translate_summarize.core.loading import load_models
        from translate_summarize.core.pipeline import Pipeline
        from translate_summarize.util.log import show_messages_on_stderr

        show_messages_on_stderr()  # this process's warnings, as the driver's CLI shows its own
        # The driver's resolved runtime (see worker_options): nothing is left to "auto" here.
        self.pipeline = Pipeline(PipelineOptions(**options), quiet=True)
        load_models(self.pipeline)  # checks this node has the device, then loads the models once
        self.batch = BatchOptions(**{**batch, "glob": tuple(batch["glob"])})
        self.outdir = Path(outdir)
        self.models = models

    def __call__(self, windows: pyarrow.Table) -> dict:
        """Process whole windows (one per row), exactly as the local executor does."""
        import numpy

        records: list[Record] = []
        for rows in windows.column("jobs").to_pylist():
            jobs = [row_job(row) for row in rows]
            records += process_window(self.pipeline, jobs, self.outdir, self.batch, self.models)
        # Records travel back as Python objects (Ray Data pickles what Arrow cannot hold).
        column = numpy.empty(len(records), dtype=object)
        column[:] = records
        return {"record": column}


def job_row(job: Job) -> dict:
    return {
        "path": str(job.input.path.resolve()),
        "relative": job.input.relative,
        "member": job.input.member,
        "stem": job.output,
        "sha256": job.sha256,
        "key": job.key,
        "translation_key": job.translation_key,
        "text": job.input.text,
    }


def row_job(row: dict) -> Job:
    source = InputFile(Path(row["path"]), row["relative"], row["stem"], text=row.get("text"), member=row.get("member"))
    return Job(source, row["sha256"], row["key"], row.get("translation_key"))
