"""Load a pipeline's models once, before any article is processed.

This is the boundary where a broken model folder or an unusable device becomes one clear error
(exit 3) instead of a traceback, or instead of every article of a folder run failing alone.
"""

from __future__ import annotations

import errno
import importlib.util
import pickle
import platform
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from translate_summarize.errors import EngineError, ModelLoadError, TsumError
from translate_summarize.util.paths import tsum_cache_dir

if TYPE_CHECKING:
    from translate_summarize.core.pipeline import Pipeline, StageProgress


def _model_file_errors() -> tuple[type[BaseException], ...]:
    """What the model libraries raise for a damaged or incomplete model folder.

    A truncated checkpoint (RuntimeError from torch's zip reader, SafetensorError), missing
    weights (OSError), a pickle payload torch refuses to load (UnpicklingError), a truncated
    pickle (EOFError), or a broken config (ValueError, KeyError).
    """
    errors: list[type[BaseException]] = [OSError, RuntimeError, ValueError, KeyError, EOFError, pickle.UnpicklingError]
    if importlib.util.find_spec("safetensors") is not None:
        from safetensors import SafetensorError

        errors.append(SafetensorError)
    return tuple(errors)


def check_device(device: str, engine: str = "auto", compute_type: str = "auto") -> None:
    """Refuse a device (or a CTranslate2 compute type) this machine does not have, before anything is loaded.

    Runs where the models load (the local process, each Ray worker), not where the runtime was
    resolved; ``engine`` says which library looks for a CUDA GPU (CTranslate2 never needs torch).
    The compute type is checked before the model is converted, which can take minutes.

    Raises:
        EngineError: ``mps`` off Apple silicon, ``cuda`` without a visible CUDA GPU, or a compute
            type CTranslate2 cannot run on this machine's ``device``.
    """
    from translate_summarize.core.runtime import apple_silicon

    if device == "mps" and not apple_silicon():
        raise EngineError(
            f"--device mps needs Apple silicon (macOS on arm64); this machine is "
            f"{platform.system()} {platform.machine()}: use --device cpu (or auto)"
        )
    if device == "cuda" and not _cuda_visible(engine):
        raise EngineError("--device cuda was asked for but no CUDA GPU is visible: use --device cpu")
    if engine == "ctranslate2" and device in ("cpu", "cuda") and compute_type != "auto":
        import ctranslate2

        supported = ctranslate2.get_supported_compute_types(device)
        if compute_type not in supported:
            raise EngineError(
                f"--compute-type {compute_type} is not supported by CTranslate2 on this machine's {device}: "
                f"use one of {', '.join(sorted(supported))} (or auto)"
            )


def _cuda_visible(engine: str) -> bool:
    if engine == "ctranslate2":  # no torch on CTranslate2's path
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    import torch

    return torch.cuda.is_available()


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


# Errors no model folder causes: the disk or quota is full (only tsum's conversion cache is
# written while models load).
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def _in_cache(filename: object) -> bool:
    if not filename:
        return False
    try:
        return Path(str(filename)).resolve().is_relative_to(tsum_cache_dir().resolve())
    except (OSError, ValueError):
        return False


def _cache_error(exc: OSError) -> ModelLoadError | None:
    """The error for a failed write into tsum's conversion cache; None when ``exc`` is not one."""
    if exc.errno not in _DISK_FULL and not _in_cache(exc.filename):
        return None
    return ModelLoadError(
        f"cannot write the converted model into tsum's cache {tsum_cache_dir()} ({exc.strerror or exc}): "
        "make room there (or fix its permissions), or set TSUM_CACHE_DIR to a writable folder with space, and run again"
    )


def _load(load: Callable[[], object], role: str, folder: Path, option: str) -> object:
    """Run ``load`` (which reads the model in ``folder``); a failure becomes one line that says what failed.

    Raises:
        ModelLoadError: the CTranslate2 conversion could not be written into tsum's cache, or the
            model folder cannot be read, or is damaged or incomplete.
    """
    try:
        return load()
    except TsumError:
        raise
    except OSError as exc:
        cache = _cache_error(exc)
        if cache is not None:
            raise cache from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise ModelLoadError(
                f"cannot read the {_model(role)} in {folder} ({exc.strerror}: {exc.filename or folder}): "
                f"make it readable or pass another {option}"
            ) from exc
        raise _damaged(exc, role, folder, option) from exc
    except _model_file_errors() as exc:
        raise _damaged(exc, role, folder, option) from exc


def _model(role: str) -> str:
    return f"{role} model" if role else "model"


def _damaged(exc: BaseException, role: str, folder: Path, option: str) -> ModelLoadError:
    return ModelLoadError(
        f"cannot load the {_model(role)} in {folder} ({type(exc).__name__}: {_first_line(exc)}): the folder is "
        f"damaged or incomplete; download it again (tsum models download) or pass another {option}"
    )


def convert_models(names: tuple[str, ...], compute_type: str, offline: bool = False) -> Iterator[str]:
    """``tsum models convert``: convert each model to CTranslate2 ahead of time; one "NAME: FOLDER" line each.

    A damaged model folder fails here as it does when a run loads it (exit 3, one line).

    Raises:
        ModelNotAvailableError: a model is not cached and cannot be downloaded.
        ModelLoadError: a model folder is damaged or incomplete, or the cache is not writable.
        EngineError: CTranslate2 cannot convert the model.
    """
    from translate_summarize.models.convert import convert_model
    from translate_summarize.models.resolve import resolve_model

    for name in names:
        model = resolve_model(name, offline=offline)
        converted = _load(
            lambda model=model: convert_model(model, compute_type), "", model.path, "model name or folder"
        )
        yield f"{name}: {converted}"


def load_models(pipeline: Pipeline, progress: StageProgress | None = None) -> None:
    """Resolve and load every model the pipeline needs (each once; later calls reuse them).

    ``progress("load", done, total)`` hears each model loaded (the CLI's "loading the models").

    Raises:
        ModelNotAvailableError: a model is not cached and cannot be downloaded.
        ModelLoadError: a model folder is damaged or incomplete.
        EngineError: the engine cannot run on the requested device or settings.
    """
    check_device(pipeline.runtime.device, pipeline.runtime.engine, pipeline.runtime.compute_type)
    pipeline.resolve()
    total = 1 if pipeline.summary_model is None else 2
    if progress is not None:
        progress("load", 0, total)
    _load(lambda: pipeline.translator, "translation", pipeline.translation_model.path, "--translation-model")
    if progress is not None:
        progress("load", 1, total)
    if pipeline.summary_model is not None:
        _load(lambda: pipeline.summarizer, "summary", pipeline.summary_model.path, "--summary-model")
        if progress is not None:
            progress("load", 2, total)
