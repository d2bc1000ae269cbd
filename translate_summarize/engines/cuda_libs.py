"""CUDA 12 libraries for CTranslate2 on a GPU, from the ``[gpu]`` extra's NVIDIA wheels.

The PyPI ctranslate2 4.x wheel is built against CUDA 12 and opens ``libcublas.so.12`` when it
first runs on a GPU (since 4.8 it needs no cuDNN). A machine with another CUDA (13, say) or none
installed system-wide lacks it; ``pip install "translate-summarize[gpu]"`` brings it as the
``nvidia-cublas-cu12`` wheel, whose folder (site-packages/nvidia/cublas/lib) is on no library
search path. Loading the library here, by full path and with RTLD_GLOBAL, before CTranslate2
starts makes CTranslate2's own ``dlopen("libcublas.so.12")`` find the loaded copy.
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

from translate_summarize.errors import EngineError

CUBLAS = "libcublas.so.12"
# What libcublas.so.12 itself loads, from its own folder: loaded first.
CUBLAS_DEPENDENCIES = ("libcublasLt.so.12",)
GPU_EXTRA = 'pip install "translate-summarize[gpu]"'

_loaded: dict[str, str] = {}


def nvidia_library_folders(package: str, search_path: list[str] | None = None) -> list[Path]:
    """``nvidia/<package>/lib`` folders of the NVIDIA wheels installed on ``sys.path``."""
    folders = []
    for entry in sys.path if search_path is None else search_path:
        folder = Path(entry or ".") / "nvidia" / package / "lib"
        if folder.is_dir():
            folders.append(folder)
    return folders


def load_library(name: str, folders: list[Path], system: bool = True, dependencies: tuple[str, ...] = ()) -> str:
    """Load ``name`` globally from the first of ``folders`` that has it, else from the system.

    ``dependencies`` found beside it are loaded first. Returns where ``name`` was loaded from.
    Raises EngineError naming the library and the extra to install.
    """
    if name in _loaded:
        return _loaded[name]
    for folder in folders:
        if (folder / name).is_file():
            for library in (*dependencies, name):
                path = folder / library
                if not path.is_file():
                    continue
                try:
                    ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
                except OSError as exc:
                    raise EngineError(f"cannot load {path}: {exc}: reinstall the [gpu] extra: {GPU_EXTRA}") from exc
                _loaded[library] = str(path)
            return _loaded[name]
    if system:
        try:  # a system-wide CUDA 12 (ldconfig, LD_LIBRARY_PATH)
            ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)
            _loaded[name] = name
            return name
        except OSError:
            pass
    raise EngineError(
        f"CTranslate2 on CUDA needs {name} (CUDA 12 cuBLAS), which is not installed: "
        f"{GPU_EXTRA}, or use --engine transformers"
    )


def preload_for_device(device: str) -> None:
    """Before CTranslate2 starts on ``device``: make its CUDA 12 libraries loadable (Linux)."""
    if device != "cuda" or not sys.platform.startswith("linux"):
        return
    load_library(CUBLAS, nvidia_library_folders("cublas"), dependencies=CUBLAS_DEPENDENCIES)
