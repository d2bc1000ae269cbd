"""Model name or directory -> local directory, at the pinned revision.

Order: an existing local directory; else the Hugging Face cache at the pinned commit; else a
download of only the files tsum needs, at that commit. huggingface_hub does the caching and
downloading (resumable, shared with every other HF tool on the machine).
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from translate_summarize.errors import ModelLoadError, ModelNotAvailableError
from translate_summarize.models.registry import ModelSpec, require_spec


@dataclass(frozen=True)
class ResolvedModel:
    """A model on local disk, with the name and revision that go into every output."""

    name: str
    revision: str
    path: Path
    spec: ModelSpec | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "revision": self.revision}

    def fingerprint(self) -> str:
        """The pinned revision, or for a local folder a digest of its path and file stamps."""
        if self.revision != "local":
            return self.revision
        import hashlib

        digest = hashlib.sha256(str(self.path).encode())
        for file in sorted(self.path.iterdir()):
            if file.is_file():
                stat = file.stat()
                digest.update(f"{file.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return "local-" + digest.hexdigest()[:16]


def offline_requested(offline: bool = False) -> bool:
    value = os.environ.get("HF_HUB_OFFLINE", "").strip().lower()
    return offline or value in ("1", "true", "yes", "on")


def _missing_files(path: Path, files: tuple[str, ...]) -> list[str]:
    return [name for name in files if not (path / name).is_file()]


def _local_directory(path: Path) -> ResolvedModel:
    if not (path / "config.json").is_file():
        raise ModelLoadError(
            f"{path} is not a model directory (no config.json): pass a folder saved with "
            "save_pretrained() or a model name from `tsum models list`"
        )
    return ResolvedModel(name=str(path), revision="local", path=path)


def _cached_snapshot(spec: ModelSpec) -> Path | None:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = snapshot_download(
            spec.repo_id,
            revision=spec.revision,
            allow_patterns=list(spec.files),
            local_files_only=True,
        )
    except LocalEntryNotFoundError:  # not cached, or cached incompletely (IncompleteSnapshotError)
        return None
    folder = Path(folder)
    return None if _missing_files(folder, spec.files) else folder


def is_cached(spec: ModelSpec) -> bool:
    return _cached_snapshot(spec) is not None


# How long the reachability probe waits for the Hub (name lookup and TCP connect together).
PROBE_TIMEOUT_S = 2.5


def _probe_address() -> tuple[str, int]:
    """Host and port a download would connect to first: the Hub endpoint, or its HTTPS proxy."""
    import urllib.request
    from urllib.parse import urlsplit

    from huggingface_hub import constants

    endpoint = urlsplit(constants.ENDPOINT)
    host = endpoint.hostname or "huggingface.co"
    proxy = urllib.request.getproxies().get(endpoint.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        proxy_url = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        return proxy_url.hostname or host, proxy_url.port or 8080
    return host, endpoint.port or (443 if endpoint.scheme == "https" else 80)


def hub_reachable(timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Whether a TCP connection to the Hub (or the proxy in front of it) opens within ``timeout``.

    huggingface_hub retries a failed connection five times with back-off (about 25 s) before it
    gives up; this probe answers in at most ``timeout``.
    """
    from translate_summarize.util.net import tcp_reachable

    return tcp_reachable(*_probe_address(), timeout)


def _unreachable(spec: ModelSpec) -> ModelNotAvailableError:
    from huggingface_hub import constants

    return ModelNotAvailableError(
        f"the Hugging Face Hub ({constants.ENDPOINT}) cannot be reached and model {spec.name} "
        f"({spec.repo_id}@{spec.revision[:12]}) is not in the local cache: run `tsum models download "
        f"{spec.name}` on a connected machine, copy its Hugging Face cache here and run with --offline "
        "(or HF_HUB_OFFLINE=1)"
    )


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
    if isinstance(error, LocalEntryNotFoundError):  # the connection failed during the download
        return _unreachable(spec)
    if isinstance(error, OSError):
        return ModelNotAvailableError(
            f"could not write {where} into the Hugging Face cache {constants.HF_HUB_CACHE}: "
            f"{error.strerror or error}; free some space or set HF_HOME to a writable folder"
        )
    return ModelNotAvailableError(f"could not download {where} ({error}): check the network or proxy settings")


def _transport_errors() -> tuple[type[Exception], ...]:
    """huggingface_hub's HTTP client's own error base (httpx2 from 2.x, httpx before), plus OSError."""
    try:
        import httpx2 as http_client
    except ImportError:
        import httpx as http_client
    return (OSError, http_client.HTTPError)


def download_model(spec: ModelSpec) -> Path:
    """Download the files ``spec`` needs at its pinned revision into the HF cache.

    Raises:
        ModelNotAvailableError: the Hub cannot be reached (answered within ``PROBE_TIMEOUT_S``),
            refuses, or no longer has the revision; or the cache cannot be written.
    """
    from huggingface_hub import snapshot_download

    if not hub_reachable():
        raise _unreachable(spec)
    try:
        with _quiet_hub():
            folder = Path(snapshot_download(spec.repo_id, revision=spec.revision, allow_patterns=list(spec.files)))
    except _transport_errors() as error:
        raise _download_error(spec, error) from error
    missing = _missing_files(folder, spec.files)
    if missing:
        raise ModelNotAvailableError(
            f"{spec.repo_id}@{spec.revision[:12]} lacks {', '.join(missing)}: "
            "the pinned revision may have been removed from the Hub"
        )
    return folder


def resolve_model(name_or_path: str | os.PathLike, offline: bool = False) -> ResolvedModel:
    """Turn a registered model name, Hub repo id or local directory into a local directory.

    Args:
        name_or_path: e.g. ``"opus-mt-da-en"``, ``"Helsinki-NLP/opus-mt-da-en"`` or a folder.
        offline: never touch the network (also implied by ``HF_HUB_OFFLINE=1``).

    Raises:
        ModelNotAvailableError: not cached and offline, or the download failed.
        ModelLoadError: a local directory that holds no model.
        UsageError: an unknown model name.
    """
    text = os.fspath(name_or_path)
    path = Path(text).expanduser()
    if path.is_dir():
        return _local_directory(path.resolve())
    if os.sep in text and text.count("/") != 1 or text.startswith((".", "~")):
        raise ModelLoadError(f"model directory {text} does not exist")
    spec = require_spec(text)
    folder = _cached_snapshot(spec)
    if folder is None:
        if offline_requested(offline):
            raise ModelNotAvailableError(
                f"model {spec.name} ({spec.repo_id}@{spec.revision[:12]}) is not in the local "
                "cache and offline mode is on: run `tsum models download "
                f"{spec.name}` on a connected machine and copy the cache, or pass a model directory"
            )
        folder = download_model(spec)
    return ResolvedModel(name=spec.name, revision=spec.revision, path=folder, spec=spec)
