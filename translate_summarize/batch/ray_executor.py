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

import contextlib
import importlib.util
import logging
import math
import os
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate_summarize.batch.discover import InputFile
from translate_summarize.batch.jobs import Job, Plan, plan_windows, process_window
from translate_summarize.batch.results import Record, ResultsLog
from translate_summarize.errors import EngineError, MissingExtraError, UsageError
from translate_summarize.options import BatchOptions, PipelineOptions
from translate_summarize.util.files import remove_stale_temporaries
from translate_summarize.util.net import tcp_reachable

if TYPE_CHECKING:
    import pyarrow

    from translate_summarize.batch.local import Runner
    from translate_summarize.core.pipeline import Pipeline

# Ray prints into the terminal from its C++ core (error lines such as an actor's restart
# policy), from Ray Data (INFO and WARNING lines) and from a driver thread (the errors raylets
# report: a worker died, a task is retried), with no setting that silences all three. So while
# Ray runs, the process's stdout and stderr file descriptors point at /dev/null (a folder run
# writes nothing else there; Ray keeps its own logs in /tmp/ray/session_latest/logs) and only
# tsum's progress bar keeps the terminal. TSUM_RAY_VERBOSE=1 keeps all of Ray's output.
VERBOSE_ENV = "TSUM_RAY_VERBOSE"
QUIET_RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0"}
# ray.init retries an address that does not answer for a long time (a GCS address: about a
# minute; a ray:// client address: several retries) with nothing on the terminal, since Ray's
# output is set aside. A TCP probe of the address first answers within this many seconds.
CONNECT_TIMEOUT_S = 5.0
RAY_CLIENT_PORT = 10001  # Ray's default client server port (ray://HOST with no port)
RAY_GCS_PORT = 6379  # Ray's default GCS port (HOST with no port)


class ArticleWorker:
    """One Ray actor: loads the models once, then translates windows of articles."""

    def __init__(self, options: dict, batch: dict, outdir: str, models: dict):
        from translate_summarize.core.loading import load_models
        from translate_summarize.core.pipeline import Pipeline

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
            jobs = [_job(row) for row in rows]
            records += process_window(self.pipeline, jobs, self.outdir, self.batch, self.models)
        # Records travel back as Python objects (Ray Data pickles what Arrow cannot hold).
        column = numpy.empty(len(records), dtype=object)
        column[:] = records
        return {"record": column}


def _row(job: Job) -> dict:
    return {
        "path": str(job.input.path.resolve()),
        "relative": job.input.relative,
        "stem": job.output,
        "sha256": job.sha256,
        "key": job.key,
        "translation_key": job.translation_key,
        "text": job.input.text,
    }


def _job(row: dict) -> Job:
    source = InputFile(Path(row["path"]), row["relative"], row["stem"], text=row.get("text"))
    return Job(source, row["sha256"], row["key"], row.get("translation_key"))


def worker_options(options: PipelineOptions, batch: BatchOptions) -> PipelineOptions:
    """The options Ray workers run with: the runtime resolved once, on the driver, for them.

    ``--device auto`` means ``cuda`` when each worker reserves GPUs (``--gpus-per-worker``),
    else ``cpu``; engine, compute type and batch tokens follow as they would on such a machine.
    The driver keys resume on this runtime and the workers run it as given (resolving their
    own ``auto`` could pick another device than the key says); each worker checks that it has
    the device before loading. ``threads`` stays as given (see ``Runtime.pin``).

    Raises:
        EngineError: an impossible combination (see ``resolve_runtime``).
    """
    from translate_summarize.core.runtime import resolve_runtime

    device = options.device
    if device == "auto":
        device = "cuda" if batch.gpus_per_worker else "cpu"
    return resolve_runtime(replace(options, device=device)).pin(options)


def _probe_target(address: str) -> tuple[str, int] | None:
    """The (host, port) a Ray address connects to; None for names Ray resolves itself ("auto")."""
    from urllib.parse import urlsplit

    client = address.startswith("ray://")
    if not client and "://" in address:
        return None
    try:
        parts = urlsplit(address if client else f"tcp://{address}")
        port = parts.port
    except ValueError:
        return None  # not HOST:PORT: ray.init says what is wrong with it
    if not parts.hostname or parts.hostname in ("auto", "local"):
        return None
    return parts.hostname, port or (RAY_CLIENT_PORT if client else RAY_GCS_PORT)


def check_ray_address(address: str, quiet: bool = False, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Say that tsum connects to ``address`` and fail in bounded time when nothing answers there.

    Runs before Ray's output is set aside, so the line reaches the terminal.

    Raises:
        UsageError: nothing accepts a connection at ``address``.
    """
    if not quiet:
        print(f"tsum: connecting to Ray at {address}...", file=sys.stderr, flush=True)
    target = _probe_target(address)
    if target is not None and not tcp_reachable(*target, timeout):
        raise UsageError(
            f"no Ray cluster answers at --ray-address {address} (nothing accepted a connection at "
            f"{target[0]}:{target[1]} within {timeout:g} s): start one there (`ray start --head`) or leave out --ray-address"
        )


def _connect(batch: BatchOptions) -> bool:
    """Connect to ``--ray-address`` or start a new local Ray; True when we started it.

    Raises:
        UsageError: Ray could not connect to ``--ray-address``.
        MissingExtraError: a ray:// address without Ray's client package.
    """
    import ray

    if ray.is_initialized():
        return False
    verbose = _verbose()
    for name, value in QUIET_RAY_ENV.items():
        os.environ.setdefault(name, value)
    settings = {
        "include_dashboard": False,
        "log_to_driver": verbose,
        "logging_level": logging.INFO if verbose else logging.ERROR,
    }
    if batch.ray_address:
        try:
            ray.init(address=batch.ray_address, **settings)
        except (ConnectionError, TimeoutError, ValueError, RuntimeError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            if "ray[client]" in reason:
                raise MissingExtraError(
                    'a ray:// address needs Ray\'s client: pip install "translate-summarize[ray]"'
                ) from None
            raise UsageError(
                f"cannot connect to the Ray cluster at --ray-address {batch.ray_address}: {reason}; "
                "check the address (`ray status` on the head node prints it) or leave out --ray-address"
            ) from None
    else:
        # "local": always a new instance of our own, never a cluster some `ray start` left running.
        ray.init(address="local", _node_ip_address="127.0.0.1", **settings)
    return True


def worker_resources(nodes: list[dict], batch: BatchOptions) -> int:
    """CPUs to reserve per worker, checked against the cluster's live nodes.

    ``--cpus-per-worker`` when given; otherwise the cluster's CPUs shared between the workers,
    at most the largest node's (a worker runs on one node). Raises UsageError, with what the
    cluster has, when the workers cannot all be placed: Ray would otherwise wait forever.
    """
    alive = [node.get("Resources", {}) for node in nodes if node.get("Alive")]
    node_cpus = [int(resources.get("CPU", 0)) for resources in alive]
    node_gpus = [resources.get("GPU", 0.0) for resources in alive]
    cpus = batch.cpus_per_worker or max(1, min(max(node_cpus, default=0), sum(node_cpus) // batch.workers))
    gpus = batch.gpus_per_worker
    places = sum(
        min(c // cpus, math.floor(g / gpus + 1e-9) if gpus else c // cpus) for c, g in zip(node_cpus, node_gpus)
    )
    if places < batch.workers:
        need = f"{cpus} CPU{'s' if cpus > 1 else ''}" + (f" and {gpus:g} GPU" if gpus else "")
        have = ", ".join(f"{c} CPUs/{g:g} GPUs" if gpus else f"{c} CPUs" for c, g in zip(node_cpus, node_gpus))
        raise UsageError(
            f"the Ray cluster can place {places} of {batch.workers} workers needing {need} each "
            f"(nodes: {have or 'none'}): pass fewer --workers or a smaller --cpus-per-worker"
        )
    return cpus


def _verbose() -> bool:
    return os.environ.get(VERBOSE_ENV, "") not in ("", "0")


@contextlib.contextmanager
def ray_output_aside(bar):
    """Point file descriptors 1 and 2 at /dev/null, and ``bar`` (a tqdm bar) at the real stderr."""
    if _verbose():
        yield
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    saved: dict[int, int | None] = {}
    devnull = os.open(os.devnull, os.O_WRONLY)
    terminal = None
    drawn = not getattr(bar, "disable", True)
    try:
        for fd in (1, 2):
            try:
                saved[fd] = os.dup(fd)
            except OSError:
                saved[fd] = None  # closed: stays closed afterwards
            os.dup2(devnull, fd)
        if drawn and saved[2] is not None:
            terminal = os.fdopen(os.dup(saved[2]), "w", buffering=1, encoding="utf-8", errors="replace")
            previous = bar.fp
            bar.fp = terminal
            bar.sp = bar.status_printer(terminal)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()  # Ray's buffered prints go to /dev/null too
        if terminal is not None:
            bar.fp = previous
            bar.sp = bar.status_printer(previous)
            terminal.close()
        for fd, copy in saved.items():
            if copy is None:
                os.close(fd)
            else:
                os.dup2(copy, fd)
                os.close(copy)
        os.close(devnull)


def run_ray(plan: Plan, log: ResultsLog, pipeline: Pipeline, batch: BatchOptions, bar: Any) -> None:
    """Run ``plan``'s jobs on a Ray Data actor pool, appending each record to ``log``.

    Raises:
        UsageError: nothing answers at ``--ray-address``, or the cluster cannot place the workers.
        EngineError: a worker could not load the models.
    """
    if batch.ray_address:
        check_ray_address(batch.ray_address, quiet=batch.quiet)
    with ray_output_aside(bar):
        _run_ray(plan, log, pipeline, batch, bar)


def _run_ray(plan: Plan, log: ResultsLog, pipeline: Pipeline, batch: BatchOptions, bar: Any) -> None:
    import ray

    started = _connect(batch)
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
        dataset = ray.data.from_items([{"jobs": [_row(job) for job in window]} for window in windows])
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
