"""The GPU code paths that a CPU can check: loading CUDA libraries, the CUDA model settings,
and the GPU benchmark's dry run. Speeds on a GPU come only from benchmarks/gpu.py on one."""

from __future__ import annotations

import ctypes.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.common import ROOT, TRANSLATION_PAIRS

from translate_summarize.engines import cuda_libs
from translate_summarize.engines.cuda_libs import load_library, nvidia_library_folders, preload_for_device
from translate_summarize.errors import EngineError

MISSING = (
    'CTranslate2 on CUDA needs libcublas.so.12 (CUDA 12 cuBLAS), which is not installed: pip install "translate-summarize[gpu]", '
    "or use --engine transformers"
)


def a_real_shared_library() -> Path:
    """Any shared library this process has mapped (zlib, via Python's zlib module)."""
    import zlib  # noqa: F401 - maps libz

    for line in Path("/proc/self/maps").read_text().splitlines():
        path = line.split()[-1]
        if "/libz.so" in path and Path(path).is_file():
            return Path(path)
    pytest.skip("no libz mapped in this process")


def mapped(path: Path) -> bool:
    return str(path) in Path("/proc/self/maps").read_text()


@pytest.fixture(autouse=True)
def fresh_loader(monkeypatch):
    monkeypatch.setattr(cuda_libs, "_loaded", {})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the nvidia wheels' layout is Linux's")
def test_cublas_from_an_nvidia_wheel_folder_is_loaded_before_ctranslate2(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    folder = site / "nvidia" / "cublas" / "lib"
    folder.mkdir(parents=True)
    real = a_real_shared_library()
    names = (cuda_libs.CUBLAS, *cuda_libs.CUBLAS_DEPENDENCIES)
    for name in names:  # stand-ins: real ELF files under cuBLAS's names
        shutil.copy(real, folder / name)
    monkeypatch.syspath_prepend(str(site))
    assert nvidia_library_folders("cublas")[0] == folder
    preload_for_device("cuda")
    assert cuda_libs._loaded == {name: str(folder / name) for name in names}
    assert all(mapped(folder / name) for name in names)


def test_missing_cublas_names_the_library_and_the_extra(tmp_path):
    with pytest.raises(EngineError) as caught:
        load_library("libcublas.so.12", nvidia_library_folders("cublas", [str(tmp_path)]), system=False)
    assert str(caught.value) == MISSING


def test_a_broken_library_file_names_its_path(tmp_path):
    folder = tmp_path / "nvidia" / "cublas" / "lib"
    folder.mkdir(parents=True)
    (folder / "libcublas.so.12").write_bytes(b"not an ELF file")
    with pytest.raises(EngineError) as caught:
        load_library("libcublas.so.12", [folder], system=False)
    assert str(caught.value).startswith(f"cannot load {folder / 'libcublas.so.12'}: ")
    assert str(caught.value).endswith('reinstall the [gpu] extra: pip install "translate-summarize[gpu]"')


def test_cpu_runs_load_no_cuda_library(monkeypatch):
    monkeypatch.setattr(sys, "path", [])
    preload_for_device("cpu")
    assert cuda_libs._loaded == {}


@pytest.mark.skipif(ctypes.util.find_library("cublas") is not None, reason="this machine has a system cuBLAS")
def test_ctranslate2_engine_on_cuda_without_cublas_fails_before_converting(tiny_models, monkeypatch, conversion_cache):
    from translate_summarize.core.runtime import Runtime
    from translate_summarize.engines.ctranslate2_engine import CTranslate2Engine
    from translate_summarize.models.resolve import resolve_model

    monkeypatch.setattr(sys, "path", [p for p in sys.path if not (Path(p or ".") / "nvidia" / "cublas").is_dir()])
    before = sorted(conversion_cache.rglob("*"))
    with pytest.raises(EngineError) as caught:
        runtime = Runtime("ctranslate2", "cuda", "float16", threads=1, batch_tokens=8192)
        CTranslate2Engine(resolve_model(str(tiny_models["translation"])), runtime, "sentences", quiet=True)
    assert str(caught.value) == MISSING
    assert sorted(conversion_cache.rglob("*")) == before


@pytest.mark.parametrize("kind", ["translation", "summary"])
def test_padded_vocabulary_leaves_outputs_unchanged(tiny_models, kind):
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from translate_summarize.engines.gpu import pad_vocabulary

    path = tiny_models[kind]
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSeq2SeqLM.from_pretrained(path).eval()
    texts = [da for da, _ in TRANSLATION_PAIRS[:12]]
    if kind == "summary":
        texts = [" ".join(en for _, en in TRANSLATION_PAIRS[i : i + 6]) for i in range(0, 12, 3)]
    batch = tokenizer(texts, return_tensors="pt", padding=True)
    outputs = {}
    for padded in (False, True):
        if padded:
            vocab = model.get_output_embeddings().weight.shape[0]
            model = pad_vocabulary(model)
            assert vocab % 64 and model.get_output_embeddings().weight.shape[0] == -(-vocab // 64) * 64
        for beams in (1, 4):
            with torch.inference_mode():
                ids = model.generate(**batch, num_beams=beams, max_new_tokens=40, do_sample=False)
            outputs[padded, beams] = tokenizer.batch_decode(ids, skip_special_tokens=True)
    assert outputs[True, 1] == outputs[False, 1] and outputs[True, 4] == outputs[False, 4]
    assert any(outputs[False, 1])


def test_prepare_for_cuda_leaves_cpu_models_alone(tiny_models):
    from transformers import AutoModelForSeq2SeqLM

    from translate_summarize.engines.gpu import prepare_for_cuda

    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_models["translation"])
    weight = model.get_output_embeddings().weight
    assert prepare_for_cuda(model, "cpu") is model and model.get_output_embeddings().weight is weight


@pytest.mark.slow
def test_gpu_benchmark_dry_run_writes_every_key(tmp_path, tiny_models):
    out = tmp_path / "results"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--device",
        "cuda",
        "--dry-run",
        "--workdir",
        str(tmp_path / "work"),
        "--results-dir",
        str(out),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (written,) = out.glob("*.json")
    data = json.loads(written.read_text())
    assert data["dry_run"] is True and data["device"]["name"] == "cpu (dry run)"
    for key in ("gpu_translate_greedy_tok_s", "gpu_translate_beam4_tok_s", "gpu_summarize_beam4_tok_s"):
        assert data[key] > 0
    assert data["gpu_summarize_speedup_vs_hf"] > 0
    assert {"torch", "transformers"} <= set(data["versions"])
    assert f"RESULT gpu_translate_greedy_tok_s {data['gpu_translate_greedy_tok_s']:.0f}" in done.stdout
