"""Talking to the Hugging Face Hub: a bounded probe, downloads with read timeouts, and the
messages that say what to do when the Hub cannot be had (every model named, the caches, the
commands)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from translate_summarize.errors import ModelNotAvailableError
from translate_summarize.models.registry import ModelSpec


def missing_files(path: Path, files: tuple[str, ...]) -> list[str]:
    return [name for name in files if not (path / name).is_file()]


# How long the reachability probe waits for the Hub's answer: name lookup, connect, TLS,
# headers and body together.
PROBE_TIMEOUT_S = 2.0  # with tsum's start-up, the one-line answer comes within 5 s
# Read timeout of every other Hub call during a download (huggingface_hub's own client waits
# for ever on a connection that accepted and never answers): a stall after the probe succeeded.
READ_TIMEOUT_S = 10.0
# The probe reads at most this much of the answer (the revision's file list is a few kB).
_PROBE_BODY_LIMIT = 1 << 20


def hub_reachable(spec: ModelSpec | None = None, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Whether the Hub (or the proxy in front of it) answers an HTTP request within ``timeout``.

    A whole request, not only a TCP connect: a proxy or firewall that accepts connections and
    never answers, a TLS handshake that stalls, or headers followed by a stalled body all count
    as unreachable. Any answer, an error status included, counts as reachable (the download then
    reports what the Hub said). huggingface_hub's own client makes the request, so its proxy,
    certificate and endpoint settings apply; it retries a failed connection for about 25 s, this
    answers in at most ``timeout``.
    """
    from huggingface_hub import constants, get_session

    from translate_summarize.util.net import answers_within

    spec = spec or next(iter(_registry_specs()))
    url = f"{constants.ENDPOINT}/api/models/{spec.repo_id}/revision/{spec.revision}"
    http = _http_client()

    def probe() -> bool:
        with get_session().stream("GET", url, timeout=http.Timeout(timeout)) as response:
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > _PROBE_BODY_LIMIT:
                    break
        return True

    return answers_within(probe, timeout, errors=_transport_errors())


def _registry_specs():
    from translate_summarize.models.registry import MODELS

    return MODELS.values()


@contextmanager
def _read_timeouts():
    """Give every request of huggingface_hub's shared client a read timeout while downloading.

    The client is huggingface_hub's (``get_session``); its default is no timeout at all. Calls
    that pass their own timeout (file downloads: ``HF_HUB_DOWNLOAD_TIMEOUT``) keep it.
    """
    from huggingface_hub import get_session

    session = get_session()
    previous = session.timeout
    session.timeout = _http_client().Timeout(READ_TIMEOUT_S, connect=PROBE_TIMEOUT_S)
    try:
        yield
    finally:
        session.timeout = previous


def _plural(specs: list[ModelSpec]) -> tuple[str, str, str]:
    return ("model", "is", "it") if len(specs) == 1 else ("models", "are", "them")


def _where_to_get(specs: list[ModelSpec]) -> str:
    """The commands that bring ``specs`` onto a machine that cannot download them."""
    from huggingface_hub import constants

    from translate_summarize.util.paths import tsum_cache_dir

    names = " ".join(spec.name for spec in specs)
    return (
        f"on a connected machine run `tsum models export tsum-models.tar {names}`, copy tsum-models.tar here and run "
        f"`tsum models import tsum-models.tar` (it fills the Hugging Face cache {constants.HF_HUB_CACHE} and "
        f"tsum's cache {tsum_cache_dir()}), or copy that machine's Hugging Face cache into {constants.HF_HUB_CACHE}"
    )


def not_available(specs: list[ModelSpec], offline: bool) -> ModelNotAvailableError:
    """One error naming every model a command needs that is neither cached nor downloadable."""
    from huggingface_hub import constants

    noun, verb, _ = _plural(specs)
    listed = ", ".join(f"{s.name} ({s.repo_id}@{s.revision[:12]}, {s.size})" for s in specs)
    cause = (
        "offline mode is on (--offline or HF_HUB_OFFLINE=1)"
        if offline
        else f"the Hugging Face Hub ({constants.ENDPOINT}) cannot be reached"
    )
    return ModelNotAvailableError(
        f"{cause} and {noun} {listed} {verb} not in the local cache: {_where_to_get(specs)}; then run again"
    )


def cannot_download(specs: list[ModelSpec], offline: bool) -> ModelNotAvailableError:
    """`tsum models download` where downloading is impossible: what to do instead."""
    from huggingface_hub import constants

    noun, _, pronoun = _plural(specs)
    names = ", ".join(spec.name for spec in specs)
    if offline:
        return ModelNotAvailableError(
            f"offline mode is on (HF_HUB_OFFLINE=1), so {noun} {names} cannot be downloaded: unset HF_HUB_OFFLINE "
            f"to download {pronoun}, or {_where_to_get(specs)}"
        )
    return ModelNotAvailableError(
        f"the Hugging Face Hub ({constants.ENDPOINT}) cannot be reached from this machine, so {noun} {names} "
        f"cannot be downloaded here: {_where_to_get(specs)}"
    )


def _unreachable(spec: ModelSpec) -> ModelNotAvailableError:
    return not_available([spec], offline=False)


@contextmanager
def _quiet_hub():
    """Keep huggingface_hub's retry warnings off stderr, and its progress bars unless on a terminal."""
    from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars
    from huggingface_hub.utils import logging as hub_logging

    verbosity = hub_logging.get_verbosity()
    hub_logging.set_verbosity_error()
    hide_bars = not sys.stderr.isatty() and not are_progress_bars_disabled()
    if hide_bars:
        disable_progress_bars()
    try:
        yield
    finally:
        hub_logging.set_verbosity(verbosity)
        if hide_bars:
            enable_progress_bars()


def _download_error(spec: ModelSpec, error: Exception) -> ModelNotAvailableError:
    """The user's message for an error huggingface_hub raises while downloading ``spec``."""
    from huggingface_hub import constants
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    where = f"{spec.repo_id}@{spec.revision[:12]}"
    if isinstance(error, LocalEntryNotFoundError) and isinstance(error.__cause__, HfHubHTTPError):
        error = error.__cause__  # the Hub answered, with an error: say which
    if isinstance(error, GatedRepoError) or (
        isinstance(error, HfHubHTTPError) and error.response is not None and error.response.status_code == 401
    ):
        return ModelNotAvailableError(f"{where} needs a Hugging Face login: run `hf auth login`, then try again")
    if isinstance(error, (RepositoryNotFoundError, RevisionNotFoundError)):
        return ModelNotAvailableError(
            f"the Hub no longer has {where}: the pinned revision may have been removed; pick another model "
            "(`tsum models list`) or pass a model directory"
        )
    if isinstance(error, HfHubHTTPError):
        status = error.response.status_code if error.response is not None else "an error"
        return ModelNotAvailableError(
            f"the Hub answered {status} while downloading {where}: try again later, or copy the model "
            "cache from a machine that has it"
        )
    if isinstance(error, (LocalEntryNotFoundError, _http_client().TransportError)):
        return _unreachable(spec)  # the connection failed or stalled during the download
    if isinstance(error, OSError):
        return ModelNotAvailableError(
            f"could not write {where} into the Hugging Face cache {constants.HF_HUB_CACHE}: "
            f"{error.strerror or error}; free some space or set HF_HOME to a writable folder"
        )
    return ModelNotAvailableError(f"could not download {where} ({error}): check the network or proxy settings")


def _http_client():
    """The HTTP library under huggingface_hub (httpx2 from huggingface_hub 2.x, httpx before)."""
    try:
        import httpx2 as http_client
    except ImportError:
        import httpx as http_client
    return http_client


def _transport_errors() -> tuple[type[Exception], ...]:
    """huggingface_hub's HTTP client's own error base, plus OSError."""
    return (OSError, _http_client().HTTPError)


def download_model(spec: ModelSpec) -> Path:
    """Download the files ``spec`` needs at its pinned revision into the HF cache.

    Raises:
        ModelNotAvailableError: the Hub cannot be reached (answered within ``PROBE_TIMEOUT_S``),
            refuses, or no longer has the revision; or the cache cannot be written.
    """
    from huggingface_hub import snapshot_download

    if not hub_reachable(spec):
        raise _unreachable(spec)
    try:
        with _quiet_hub(), _read_timeouts():
            folder = Path(snapshot_download(spec.repo_id, revision=spec.revision, allow_patterns=list(spec.files)))
    except _transport_errors() as error:
        raise _download_error(spec, error) from error
    missing = missing_files(folder, spec.files)
    if missing:
        raise ModelNotAvailableError(
            f"{spec.repo_id}@{spec.revision[:12]} lacks {', '.join(missing)}: "
            "the pinned revision may have been removed from the Hub"
        )
    return folder
