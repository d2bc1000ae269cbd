"""Reaching a Ray cluster and fitting tsum's workers on it: the runtime the workers are given,
the address probe that fails in bounded time, ``ray.init``, and the CPUs each worker reserves."""

from __future__ import annotations

import logging
import math
import os
from dataclasses import replace

from translate_summarize.batch.ray_output import verbose as verbose_ray
from translate_summarize.errors import MissingExtraError, UsageError
from translate_summarize.options import BatchOptions, PipelineOptions
from translate_summarize.util.net import tcp_reachable

logger = logging.getLogger(__name__)

QUIET_RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0"}
# ray.init retries an address that does not answer for a long time (a GCS address: about a
# minute; a ray:// client address: several retries) with nothing on the terminal, since Ray's
# output is set aside. A TCP probe of the address first answers within this many seconds.
CONNECT_TIMEOUT_S = 5.0
RAY_CLIENT_PORT = 10001  # Ray's default client server port (ray://HOST with no port)
RAY_GCS_PORT = 6379  # Ray's default GCS port (HOST with no port)


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
        logger.info("tsum: connecting to Ray at %s...", address)
    target = _probe_target(address)
    if target is not None and not tcp_reachable(*target, timeout):
        raise UsageError(
            f"no Ray cluster answers at --ray-address {address} (nothing accepted a connection at "
            f"{target[0]}:{target[1]} within {timeout:g} s): start one there (`ray start --head`) or leave out --ray-address"
        )


def connect(batch: BatchOptions) -> bool:
    """Connect to ``--ray-address`` or start a new local Ray; True when we started it.

    Raises:
        UsageError: Ray could not connect to ``--ray-address``.
        MissingExtraError: a ray:// address without Ray's client package.
    """
    import ray

    if ray.is_initialized():
        return False
    verbose = verbose_ray()
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
