"""Model name or directory -> local directory, at the pinned revision.

Order: an existing local directory; else the Hugging Face cache at the pinned commit; else a
download of only the files tsum needs, at that commit. huggingface_hub does the caching and
downloading (resumable, shared with every other HF tool on the machine).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from translate_summarize.errors import ModelLoadError
from translate_summarize.models import hub
from translate_summarize.models.hub import download_model, not_available
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
    return None if hub.missing_files(folder, spec.files) else folder


def is_cached(spec: ModelSpec) -> bool:
    return _cached_snapshot(spec) is not None


def cached_folder(spec: ModelSpec) -> Path | None:
    """The folder in the Hugging Face cache holding ``spec`` complete at its revision; None if not cached."""
    return _cached_snapshot(spec)


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
        if not hub.hub_reachable(missing[0]):
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
        raise hub.cannot_download(missing, offline=True)
    if missing and not hub.hub_reachable(missing[0]):
        raise hub.cannot_download(missing, offline=False)
    return [_cached_snapshot(spec) or download_model(spec) for spec in specs]
