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


def cached_folder(spec: ModelSpec) -> Path | None:
    """The folder in the Hugging Face cache holding ``spec`` complete at its revision; None if not cached."""
    return _cached_snapshot(spec)


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
            raise not_available([spec], offline=True)
        folder = download_model(spec)
    return ResolvedModel(name=spec.name, revision=spec.revision, path=folder, spec=spec)


# What a model folder's config.json says it is: the model types of the other task are refused for
# a role before anything is loaded (a BART summariser as --translation-model would load, then
# translate into nonsense).
_SUMMARY_TYPES = frozenset({"bart", "pegasus", "pegasus_x", "led"})
_TRANSLATION_TYPES = frozenset({"marian", "m2m_100", "nllb-moe", "fsmt"})
_OPTION = {"translation": "--translation-model", "summary": "--summary-model"}


def _folder_kind(path: Path) -> tuple[str, str | None]:
    """(architecture, task) from a model folder's config.json; task None when it does not say."""
    import json

    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "unknown", None  # loading reports a damaged folder, with its own message
    if not isinstance(config, dict):
        return "unknown", None
    architectures = config.get("architectures") or []
    model_type = str(config.get("model_type", ""))
    architecture = str(architectures[0]) if architectures else model_type or "unknown"
    if model_type in _SUMMARY_TYPES:
        return architecture, "summary"
    if model_type in _TRANSLATION_TYPES:
        return architecture, "translation"
    return architecture, None


def _check_role(role: str, name: str, architecture: str, task: str | None) -> None:
    if task is None or task == role:
        return
    other = "summary" if role == "translation" else "translation"
    what = "a summarisation" if task == "summary" else "a translation"
    raise ModelLoadError(
        f"{_OPTION[role]} {name} holds {what} model ({architecture}, task {task}), not a {role} model: "
        f"pass it as {_OPTION[other]}, or give {_OPTION[role]} a {role} model (`tsum models list`)"
    )


def check_role(model: ResolvedModel, role: str) -> None:
    """Refuse a model given for the other task (``role``: "translation" or "summary"), before it is loaded.

    Raises:
        ModelLoadError: a registered model of the other task, or a folder whose config.json names
            an architecture of the other task.
    """
    if model.spec is not None:
        _check_role(role, model.name, model.spec.repo_id, model.spec.task)
    else:
        _check_role(role, model.name, *_folder_kind(model.path))


def _uncached_spec(name_or_path: str | os.PathLike) -> ModelSpec | None:
    """The registered model ``name_or_path`` names when it is not a folder and not cached; else None."""
    from translate_summarize.models.registry import get_spec

    text = os.fspath(name_or_path)
    if Path(text).expanduser().is_dir():
        return None
    spec = get_spec(text)
    return spec if spec is not None and not is_cached(spec) else None


def require_obtainable(names: list[str | os.PathLike], offline: bool = False) -> None:
    """Check that every registered model in ``names`` is cached or can be downloaded now.

    Raises:
        ModelNotAvailableError: one error naming every model that is neither (offline mode, or
            a Hub that does not answer within ``PROBE_TIMEOUT_S``).
    """
    missing = list(dict.fromkeys(spec for spec in map(_uncached_spec, names) if spec is not None))
    if missing:
        if offline_requested(offline):
            raise not_available(missing, offline=True)
        if not hub_reachable(missing[0]):
            raise not_available(missing, offline=False)


def resolve_models(models: dict[str, str | os.PathLike], offline: bool = False) -> dict[str, ResolvedModel]:
    """Resolve the models a command needs, by role ("translation", "summary"), as :func:`resolve_model`.

    Every model is checked before any is downloaded: when some cannot be had (offline, or the Hub
    does not answer), one error names all of them, not only the first; and a model given for the
    other role is refused before anything is loaded.

    Raises:
        ModelNotAvailableError: models not cached that cannot be downloaded now.
        ModelLoadError: a folder that holds no model, or a model of the other task.
    """
    from translate_summarize.models.registry import get_spec

    for role, name in models.items():  # a model of the other task: refused before any download
        folder = Path(os.fspath(name)).expanduser()
        if folder.is_dir():
            _check_role(role, os.fspath(name), *_folder_kind(folder))
        elif (spec := get_spec(os.fspath(name))) is not None:
            _check_role(role, spec.name, spec.repo_id, spec.task)
        else:
            resolve_model(name, offline=True)  # no such folder or name: its error, before any network
    require_obtainable(list(models.values()), offline)
    resolved = {role: resolve_model(name, offline=offline) for role, name in models.items()}
    for role, model in resolved.items():
        check_role(model, role)
    return resolved


def download_models(specs: list[ModelSpec]) -> list[Path]:
    """``tsum models download``: each model's cached folder, downloading those not cached yet.

    Raises:
        ModelNotAvailableError: offline mode is on or the Hub does not answer (one error naming
            every model still to download, and what to do instead), or a download failed.
    """
    missing = [spec for spec in specs if not is_cached(spec)]
    if missing and offline_requested():
        raise cannot_download(missing, offline=True)
    if missing and not hub_reachable(missing[0]):
        raise cannot_download(missing, offline=False)
    return [_cached_snapshot(spec) or download_model(spec) for spec in specs]
