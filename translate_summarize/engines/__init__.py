"""Inference engines behind one narrow interface (:class:`Seq2SeqEngine`).

``load_engine`` picks and loads one; callers never import an engine module directly, so
heavy libraries (torch, ctranslate2) are imported only when a model is loaded.
"""

from __future__ import annotations

import importlib.util

from translate_summarize.engines.base import Seq2SeqEngine
from translate_summarize.errors import EngineError
from translate_summarize.models.resolve import ResolvedModel

__all__ = ["Seq2SeqEngine", "choose_compute_type", "choose_device", "choose_engine", "load_engine"]


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _has_mps() -> bool:
    import platform

    return platform.system() == "Darwin" and platform.machine() == "arm64"


def choose_device(device: str) -> str:
    """``auto`` -> ``cuda`` when torch sees a GPU, ``mps`` on Apple silicon, else ``cpu``."""
    if device != "auto":
        if device == "cuda":
            import torch

            if not torch.cuda.is_available():
                raise EngineError("--device cuda was asked for but no CUDA GPU is visible: use --device cpu")
        return device
    if _has("ctranslate2"):
        import ctranslate2  # much lighter than torch: keeps the CTranslate2 path torch-free

        if ctranslate2.get_cuda_device_count() == 0 and not _has_mps():
            return "cpu"
    if _has("torch"):
        import torch

        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
    return "cpu"


def choose_engine(engine: str, device: str) -> str:
    """``auto``: CTranslate2 on CPU (measured fastest, see README), transformers elsewhere.

    On GPU the transformers engine is chosen because CTranslate2's CUDA build needs CUDA 12
    and its GPU speed was not measured by this project.
    """
    if engine != "auto":
        return engine
    if device == "cpu" and _has("ctranslate2"):
        return "ctranslate2"
    return "transformers"


def choose_compute_type(compute_type: str, engine: str, device: str) -> str:
    if compute_type != "auto":
        return compute_type
    if engine == "ctranslate2":
        return "int8" if device == "cpu" else "int8_float16"
    return "float32"


def load_engine(
    model: ResolvedModel,
    engine: str = "auto",
    device: str = "auto",
    compute_type: str = "auto",
    threads: int = 0,
    quiet: bool = False,
    workload: str = "sentences",
) -> Seq2SeqEngine:
    """Load ``model`` into the requested engine (``auto`` values resolved here).

    ``workload`` is ``"sentences"`` (many short inputs: translation) or ``"documents"`` (few
    long inputs: summaries); CTranslate2 arranges its threads and sub-batches for it.
    """
    device = choose_device(device)
    engine = choose_engine(engine, device)
    compute_type = choose_compute_type(compute_type, engine, device)
    if engine == "ctranslate2":
        from translate_summarize.engines.ctranslate2_engine import CTranslate2Engine

        return CTranslate2Engine(
            model, device=device, compute_type=compute_type, threads=threads, quiet=quiet, workload=workload
        )
    if engine == "transformers":
        from translate_summarize.engines.transformers_engine import TransformersEngine

        return TransformersEngine(model.path, device=device, compute_type=compute_type, threads=threads)
    raise EngineError(f"unknown engine {engine!r}: use auto, transformers or ctranslate2")
