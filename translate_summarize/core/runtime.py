"""Where and how the models run, decided once: engine, device, compute type, threads, batch size.

``resolve_runtime`` turns the user's choices (``auto`` included) into one frozen
:class:`Runtime`; engines, conversion, outputs' ``generation`` records and the folder resume
key all read that value, so what is recorded is what ran. (As faster-whisper's model
constructor takes ``device`` and ``compute_type`` once and every later step reads them.)
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

from translate_summarize.errors import EngineError
from translate_summarize.options import BATCH_TOKENS, PipelineOptions

# compute type chosen by ``auto`` for each (engine, device); transformers runs float32 anywhere.
AUTO_COMPUTE_TYPE = {("ctranslate2", "cpu"): "int8", ("ctranslate2", "cuda"): "int8_float16"}
AUTO_COMPUTE_FALLBACK = "float32"
# What --compute-type auto picks, in words: the CLI's help reads it from here.
AUTO_COMPUTE_WORDS = ", ".join(
    [
        *(f"{ct} for {engine} on {device}" for (engine, device), ct in AUTO_COMPUTE_TYPE.items()),
        f"{AUTO_COMPUTE_FALLBACK} for transformers",
    ]
)
TRANSFORMERS_COMPUTE_TYPES = ("float32", "float16", "bfloat16")
# Options that change neither what is computed nor how batches are formed: left out of the
# folder resume key (see ``runtime_key``). Threads never change results: CTranslate2's
# sub-batch size is fixed, not derived from the thread count.
NOT_IN_RESUME_KEY = ("offline", "threads")


@dataclass(frozen=True)
class Runtime:
    """Resolved runtime: no ``auto`` left in any field."""

    engine: str
    device: str
    compute_type: str
    threads: int
    batch_tokens: int

    def as_dict(self) -> dict:
        return asdict(self)

    def pin(self, options: PipelineOptions) -> PipelineOptions:
        """``options`` with engine, device, compute type and batch tokens set to this runtime's.

        Resolving the pinned options anywhere gives this runtime back (Ray workers run exactly
        what the driver's resume key says). ``threads`` is left as given: it never changes
        results, and each Ray worker uses the CPUs it reserved.
        """
        return replace(
            options,
            engine=self.engine,
            device=self.device,
            compute_type=self.compute_type,
            batch_tokens=self.batch_tokens,
        )

    def record(self) -> dict:
        """What outputs record: everything but ``threads``, which never changes results and
        would make the same article's output differ between the local and Ray executors."""
        return {k: v for k, v in asdict(self).items() if k != "threads"}


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def apple_silicon() -> bool:
    """Whether this machine is Apple silicon (macOS on arm64), the only one with ``mps``."""
    import platform

    return platform.system() == "Darwin" and platform.machine() == "arm64"


def choose_device(device: str) -> str:
    """``auto`` -> ``cuda`` when a GPU is visible, ``mps`` on Apple silicon, else ``cpu``.

    A device named explicitly is taken as it is: whether the machine that loads the models has
    it is checked there, before loading (``loading.check_device``), since a Ray driver resolves
    the runtime for workers on other machines.
    """
    if device != "auto":
        return device
    if _has("ctranslate2"):
        import ctranslate2  # much lighter than torch: keeps the CTranslate2 path torch-free

        if ctranslate2.get_cuda_device_count() == 0 and not apple_silicon():
            return "cpu"
    if _has("torch"):
        import torch

        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
    return "cpu"


def choose_engine(engine: str, device: str) -> str:
    """``auto``: CTranslate2 on CPU (measured fastest, see docs/benchmarks.md), transformers elsewhere.

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
    return AUTO_COMPUTE_TYPE.get((engine, device), AUTO_COMPUTE_FALLBACK)


def choose_batch_tokens(batch_tokens: int | None, device: str) -> int:
    if batch_tokens is not None:
        return batch_tokens
    return BATCH_TOKENS.get(device, BATCH_TOKENS["cuda"])


@lru_cache(maxsize=32)
def resolve_runtime(options: PipelineOptions) -> Runtime:
    """The one place where ``auto`` values are decided (and checked against each other).

    Raises:
        EngineError: an unknown engine, or a combination that cannot run.
    """
    device = choose_device(options.device)
    engine = choose_engine(options.engine, device)
    if engine not in ("ctranslate2", "transformers"):
        raise EngineError(f"unknown engine {engine!r}: use auto, transformers or ctranslate2")
    compute_type = choose_compute_type(options.compute_type, engine, device)
    if engine == "ctranslate2" and device not in ("cpu", "cuda"):
        raise EngineError(f"CTranslate2 runs on cpu or cuda, not {device}: pass --engine transformers")
    if engine == "transformers" and compute_type not in TRANSFORMERS_COMPUTE_TYPES:
        raise EngineError(
            f"compute type {compute_type} is not available with --engine transformers: "
            f"use one of {', '.join(TRANSFORMERS_COMPUTE_TYPES)}, or --engine ctranslate2 for int8"
        )
    threads = options.threads or os.cpu_count() or 1
    return Runtime(engine, device, compute_type, threads, choose_batch_tokens(options.batch_tokens, device))


def runtime_key(options: PipelineOptions) -> dict:
    """What decides an article's output, for the folder resume key: the options with the
    runtime resolved (so ``auto`` and the same runtime spelled out agree, and a different
    device or compute type does not count as done)."""
    runtime = resolve_runtime(options).as_dict()
    key_options = {**asdict(options), **runtime}
    # The glossary's entries, not its path: an edited glossary redoes the flags, a moved one
    # does not. The built-in terms count too: the package version is not in the key, and an
    # edit of the exonym table's institutions and events must redo the flags as well.
    from translate_summarize.text.glossary import checked_glossary

    key_options["glossary"] = checked_glossary(options.glossary).fingerprint
    return {k: v for k, v in key_options.items() if k not in NOT_IN_RESUME_KEY}
