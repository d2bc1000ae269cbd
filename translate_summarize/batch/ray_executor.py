"""The Ray executor: the local executor's steps on a Ray Data actor pool.

Ray Data is built for this kind of batch inference, so tsum does not schedule anything itself:
``map_batches`` with a callable class gives a pool of workers that each load the models once
and are fed windows of articles from a stream. Ray restarts a worker that dies and retries its
window; since every output is written atomically and a record reaches results.jsonl only from a
finished window, a lost worker loses nothing and duplicates nothing. The temporary file a worker
killed mid-write leaves behind is removed by the driver once every window has finished.

The driver plans the same windows as the local executor (from file sizes, reading nothing) and
sends them as typed records (paths, hashes, resume keys); each worker reads and parses its
window's articles once.
"""

from __future__ import annotations

import importlib.util
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from translate_summarize.batch.jobs import Plan, plan_windows
from translate_summarize.batch.ray_cluster import check_ray_address, connect, worker_resources
from translate_summarize.batch.ray_output import ray_output_aside
from translate_summarize.batch.ray_worker import ArticleWorker, job_row
from translate_summarize.batch.results import ResultsLog
from translate_summarize.errors import EngineError, MissingExtraError
from translate_summarize.options import BatchOptions
from translate_summarize.util.files import remove_stale_temporaries

if TYPE_CHECKING:
    from translate_summarize.batch.driver import Runner
    from translate_summarize.core.pipeline import Pipeline


def run_ray(plan: Plan, log: ResultsLog, pipeline: Pipeline, batch: BatchOptions, bar: Any) -> None:
    """Run ``plan``'s jobs on a Ray Data actor pool, appending each record to ``log``.

    Raises:
        UsageError: nothing answers at ``--ray-address``, or the cluster cannot place the workers.
        EngineError: a worker could not load the models.
    """
    if batch.ray_address:
        check_ray_address(batch.ray_address, quiet=batch.quiet)
    with ray_output_aside():
        _run_ray(plan, log, pipeline, batch, bar)


def _run_ray(plan: Plan, log: ResultsLog, pipeline: Pipeline, batch: BatchOptions, bar: Any) -> None:
    import ray

    started = connect(batch)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # tsum draws its own bar
        context.print_on_execution_start = False
        context.enable_auto_log_stats = False
        windows = plan_windows(plan.jobs, batch, min_windows=batch.workers)
        workers = min(batch.workers, len(windows))  # never more workers than windows
        cpus = worker_resources(ray.nodes(), replace(batch, workers=workers))
        options = pipeline.options
        if not options.threads:  # each worker uses the CPUs it reserved
            options = replace(options, threads=cpus)
        dataset = ray.data.from_items([{"jobs": [job_row(job) for job in window]} for window in windows])
        results = dataset.map_batches(
            ArticleWorker,
            batch_size=1,
            batch_format="pyarrow",
            # One window in flight per worker: windows spread over all workers.
            compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
            num_cpus=cpus,
            num_gpus=batch.gpus_per_worker or None,
            fn_constructor_kwargs={
                "options": asdict(options),
                "batch": asdict(batch),
                "outdir": str(plan.outdir.resolve()),
                "models": plan.models,
            },
        )
        try:
            for row in results.iter_rows():
                log.append(row["record"])
                bar.update(1)
        except ray.exceptions.RayActorError as exc:
            if not exc.actor_init_failed:
                raise
            # The worker's exception arrives as text: its last line names it (e.g. a node
            # without the models, or a damaged checkpoint).
            reason = str(exc).strip().splitlines()[-1]
            name, _, message = reason.partition(": ")
            if name.startswith("translate_summarize.errors."):  # tsum's own error: its message says what to do
                reason = message
            raise EngineError(f"a Ray worker could not load the models: {reason}") from None
        # Every window has finished: a temporary file left now is a killed attempt's.
        remove_stale_temporaries(plan.outdir)
    finally:
        if started:
            ray.shutdown()


def make_ray_runner(batch: BatchOptions) -> Runner:
    """The runner for ``--executor ray``; a one-line error when Ray is not installed."""
    if importlib.util.find_spec("ray") is None:
        raise MissingExtraError('--executor ray needs Ray: pip install "translate-summarize[ray]"')
    return run_ray
