"""The Ray executor: the local executor's steps on a Ray Data actor pool.

Ray Data is built for this kind of batch inference, so tsum does not schedule anything itself:
``map_batches`` with a callable class gives a pool of workers that each load the models once
and are fed batches of articles from a stream. Ray restarts a worker that dies and retries its
batch; since every output is written atomically and a record reaches results.jsonl only from a
finished batch, a lost worker loses nothing and duplicates nothing.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from dataclasses import asdict, replace
from pathlib import Path

from translate_summarize.batch.discover import InputFile
from translate_summarize.batch.jobs import Job, failed_record, process_articles, read_job, windows
from translate_summarize.batch.results import Record
from translate_summarize.errors import InputError, MissingExtraError
from translate_summarize.options import BatchOptions, PipelineOptions


class ArticleWorker:
    """One Ray actor: loads the models once, then translates batches of articles."""

    def __init__(self, options: dict, batch: dict, outdir: str, models: dict):
        from translate_summarize.pipeline import Pipeline

        self.pipeline = Pipeline(PipelineOptions(**options), quiet=True)
        self.pipeline.resolve()
        _ = self.pipeline.translator, self.pipeline.summarizer if self.pipeline.summary_model else None
        self.batch = BatchOptions(**batch)
        self.outdir = Path(outdir)
        self.models = models

    def __call__(self, rows: dict) -> dict:
        """Process whole windows (one per row), exactly as the local executor groups them."""
        records: list[Record] = []
        for window in rows["window"]:
            parsed = []
            for item in json.loads(str(window)):
                source = InputFile(Path(item["path"]), item["relative"], item["stem"], text=item.get("text"))
                job = Job(source, item["sha256"], item["key"])
                try:
                    parsed.append((job, read_job(job, self.pipeline.options)))
                except InputError as exc:
                    records.append(failed_record(job, str(exc), self.models))
            records += process_articles(self.pipeline, parsed, self.outdir, self.batch, self.models)
        return {"record": [record.to_json() for record in records]}


def _connect(batch: BatchOptions) -> bool:
    """Connect to ``--ray-address`` or start a local Ray; True when we started it."""
    import ray

    if ray.is_initialized():
        return False
    settings = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
    if batch.ray_address:
        ray.init(address=batch.ray_address, **settings)
    else:
        # A local instance listens on loopback only.
        ray.init(_node_ip_address="127.0.0.1", **settings)
    return True


def run_ray(plan, log, pipeline, batch: BatchOptions, bar) -> None:
    import ray

    started = _connect(batch)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # tsum draws its own bar
        options = pipeline.options
        if not options.threads:  # share each node's cores between its workers
            cpus = int(ray.cluster_resources().get("CPU", 1))
            options = replace(options, threads=max(1, cpus // batch.workers))
        # The same windows as the local executor, so that the same articles share batches and
        # the outputs are identical; unreadable files are recorded here.
        rows = []
        for parsed, failures in windows(plan.jobs, batch, pipeline.options):
            for job, error in failures:
                log.append(failed_record(job, error, plan.models))
                bar.update(1)
            if parsed:
                rows.append({"window": json.dumps([_job_row(job) for job, _ in parsed])})
        if not rows:
            return
        dataset = ray.data.from_items(rows).map_batches(
            ArticleWorker,
            batch_size=1,
            concurrency=batch.workers,
            num_cpus=options.threads,
            num_gpus=batch.gpus_per_worker or None,
            fn_constructor_kwargs={
                "options": asdict(options),
                "batch": asdict(batch),
                "outdir": str(plan.outdir.resolve()),
                "models": plan.models,
            },
        )
        for row in dataset.iter_rows():
            log.append(Record(**json.loads(row["record"])))
            bar.update(1)
    finally:
        if started:
            ray.shutdown()


def _job_row(job: Job) -> dict:
    return {
        "path": str(job.input.path.resolve()),
        "relative": job.input.relative,
        "stem": job.output,
        "sha256": job.sha256,
        "key": job.key,
        "text": job.input.text,
    }


def make_ray_runner(batch: BatchOptions):
    """The runner for ``--executor ray``; a one-line error when Ray is not installed."""
    if importlib.util.find_spec("ray") is None:
        raise MissingExtraError('--executor ray needs Ray: pip install "translate-summarize[ray]"')
    return run_ray
