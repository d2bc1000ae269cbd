"""Model name or directory -> local directory, at the pinned revision.

Order: an existing local directory; else the Hugging Face cache at the pinned commit; else a
download of only the files tsum needs, at that commit. huggingface_hub does the caching and
downloading (resumable, shared with every other HF tool on the machine).
"""

from __future__ import annotations

import os
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

    try:
        folder = snapshot_download(
            spec.repo_id,
            revision=spec.revision,
            allow_patterns=list(spec.files),
            local_files_only=True,
        )
    except Exception:  # huggingface_hub raises several types for "not in the cache"
        return None
    folder = Path(folder)
    return None if _missing_files(folder, spec.files) else folder


def is_cached(spec: ModelSpec) -> bool:
    return _cached_snapshot(spec) is not None


def download_model(spec: ModelSpec) -> Path:
    """Download the files ``spec`` needs at its pinned revision into the HF cache."""
    from huggingface_hub import snapshot_download

    try:
        folder = Path(snapshot_download(spec.repo_id, revision=spec.revision, allow_patterns=list(spec.files)))
    except Exception as exc:
        raise ModelNotAvailableError(
            f"could not download {spec.repo_id} at revision {spec.revision[:12]} "
            f"({type(exc).__name__}): check the network, or copy the model cache from a "
            "connected machine (`tsum models download` there)"
        ) from exc
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
