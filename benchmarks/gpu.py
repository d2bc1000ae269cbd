"""The GPU half of benchmarks/run.py (``--device cuda``): tsum's engines on one CUDA GPU.

    python benchmarks/run.py --device cuda             # on the GPU machine (a few minutes)
    python benchmarks/run.py --device cuda --dry-run   # the same path on the CPU, tiny models

Models: random weights of the real opus-mt-da-en and distilbart-cnn-12-6 sizes (run.py builds
them); every system decodes to a fixed output length, so speeds compare the same work.

Measured:
  hf_naive   transformers float32 generate() with the checkpoint's defaults, batches of 16 in
             file order (the baseline of gpu_summarize_speedup_vs_hf)
  tsum_hf    tsum's transformers engine at float32 / bfloat16 / float16: translation greedy
             and beam 4 at two token budgets, summaries beam 4
  ct2        tsum's CTranslate2 engine on CUDA, when its CUDA 12 cuBLAS loads (the [gpu] extra)
Diagnostics for half precision (issue 15: float16 greedy measured slower than float32), each
setting of translate_summarize/engines/gpu.py against its absence (greedy translation):
  - tsum_hf_unpadded_vocab: the output projection not padded to 64 entries;
  - tsum_hf_cudnn_sdpa: PyTorch's cuDNN attention backend left on;
  - projection_ms: the output projection's matrix product alone, 58,930 against 58,944 columns.
Also: the share of greedy translations identical to float32's, per precision.

Writes benchmarks/results/<gpu>-<date>.json (a dry run: a temporary folder, "dry_run": true)
and ends with `RESULT <name> <value>` lines.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DTYPES = ("float32", "bfloat16", "float16")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def device_info(dry_run: bool) -> dict:
    if dry_run:
        return {"name": "cpu (dry run)"}
    query = "--query-gpu=name,driver_version,memory.total"
    try:
        line = subprocess.run(
            ["nvidia-smi", query, "--format=csv,noheader"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[0]
        name, driver, memory = (part.strip() for part in line.split(","))
    except (OSError, subprocess.CalledProcessError, IndexError, ValueError):
        import torch

        name, driver, memory = torch.cuda.get_device_name(0), "unknown", "unknown"
    return {"name": name, "driver": driver, "memory": memory}


def versions() -> dict:
    import torch
    import transformers

    found = {"python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__}
    found["cuda"] = torch.version.cuda
    try:
        import ctranslate2

        found["ctranslate2"] = ctranslate2.__version__
    except ImportError:
        pass
    return found


def synchronize(device: str) -> None:
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def timed(device: str, function) -> float:
    synchronize(device)
    start = time.perf_counter()
    function()
    synchronize(device)
    return time.perf_counter() - start


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def hf_naive(model_dir: Path, texts: list[str], length: int, beam: int, device: str, batch: int = 16) -> float:
    """The baseline: transformers float32 with the checkpoint's defaults, file order."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).to(device).eval()

    def run(items):
        with torch.inference_mode():
            for part in chunks(items, batch):
                inputs = tokenizer(part, return_tensors="pt", padding=True, truncation=True).to(device)
                model.generate(**inputs, num_beams=beam, min_new_tokens=length, max_new_tokens=length)

    run(texts[:batch])  # warm-up: CUDA context, kernels
    return timed(device, lambda: run(texts))


def fixed(settings, length: int, beam: int):
    return replace(
        settings, beam_size=beam, min_length=length, max_length=length, max_length_ratio=None, min_length_ratio=None
    )


def load(model_dir: Path, engine: str, device: str, compute_type: str, workload: str, **settings):
    """Load an engine; ``settings`` override engines/gpu.py's (VOCAB_MULTIPLE, CUDNN_ATTENTION)."""
    from translate_summarize.core.runtime import resolve_runtime
    from translate_summarize.engines import gpu as engine_gpu
    from translate_summarize.engines import load_engine
    from translate_summarize.models.resolve import resolve_model
    from translate_summarize.options import PipelineOptions

    defaults = {name: getattr(engine_gpu, name) for name in settings}
    for name, value in settings.items():
        setattr(engine_gpu, name, value)
    try:
        runtime = resolve_runtime(PipelineOptions(engine=engine, device=device, compute_type=compute_type))
        return load_engine(resolve_model(model_dir), runtime, workload)
    finally:
        for name, value in defaults.items():
            setattr(engine_gpu, name, value)


def with_budget(loaded, batch_tokens: int):
    """``loaded`` with its runtime's batch budget set to ``batch_tokens`` (the sweep reuses one
    loaded engine; the translator and summariser read the budget from the engine's runtime)."""
    from dataclasses import replace

    loaded.runtime = replace(loaded.runtime, batch_tokens=batch_tokens)
    return loaded


def translate(loaded, texts: list[str], length: int, beam: int, batch_tokens: int, device: str) -> tuple[float, list]:
    from translate_summarize.core.translator import Translator
    from translate_summarize.options import TRANSLATION_GENERATION

    translator = Translator(with_budget(loaded, batch_tokens), fixed(TRANSLATION_GENERATION, length, beam))
    translator.translate(texts[:32])  # warm-up
    outputs: list = []
    seconds = timed(device, lambda: outputs.extend([output.text for output in translator.translate(texts)]))
    return seconds, outputs


def summarize(loaded, texts: list[str], length: int, beam: int, batch_tokens: int, device: str) -> float:
    from translate_summarize.core.summarizer import Summarizer
    from translate_summarize.options import SUMMARY_GENERATION

    summarizer = Summarizer(with_budget(loaded, batch_tokens), fixed(SUMMARY_GENERATION, length, beam))
    summarizer.summarize(texts[:2])  # warm-up
    return timed(device, lambda: summarizer.summarize(texts))


def projection_ms(rows: int, hidden: int, columns: int, dtype: str, device: str, repeats: int) -> float:
    """One decoding step's output projection, alone: (rows x hidden) @ (hidden x columns)."""
    import torch

    kind = getattr(torch, dtype)
    states = torch.randn(rows, hidden, device=device, dtype=kind)
    weight = torch.randn(columns, hidden, device=device, dtype=kind)
    with torch.inference_mode():
        torch.nn.functional.linear(states, weight)
        seconds = timed(device, lambda: [torch.nn.functional.linear(states, weight) for _ in range(repeats)])
    return 1000 * seconds / repeats


def agreement(outputs: list[str], reference: list[str]) -> float:
    return sum(a == b for a, b in zip(outputs, reference)) / max(1, len(reference))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "gpu"


def main(args) -> int:
    import torch
    from transformers.utils import logging as hf_logging

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run as cpu_bench

    hf_logging.disable_progress_bar()

    dry = args.dry_run
    device = "cpu" if dry else "cuda"
    if not dry and not torch.cuda.is_available():
        log("no CUDA GPU is visible: run on a GPU machine, or pass --dry-run to check the path on the CPU")
        return 2
    if dry:
        shared = os.environ.get("TSUM_TEST_MODELS")
        folder = Path(shared) if shared else args.workdir / "tiny-models"
        if not all((folder / kind / "config.json").is_file() for kind in ("translation", "summary")):
            log(f"building the tiny test models in {folder}...")
            cpu_bench.fixtures.make_test_models(folder)
        marian, bart = folder / "translation", folder / "summary"
        sentences = cpu_bench.danish_sentences()[:48]
        articles = cpu_bench.english_articles(4, 300)
        t_len, s_len, budgets, summary_budget, repeats = 6, 6, (1024,), 2048, 3
        dtypes = DTYPES
    else:
        marian, bart = cpu_bench.build_models(args.workdir)
        sentences = cpu_bench.danish_sentences() * 16
        articles = cpu_bench.english_articles(64, 700)
        t_len, s_len, budgets, summary_budget, repeats = 32, 64, (8192, 32768), 65536, 50
        dtypes = DTYPES
    log(f"{device}: {len(sentences)} sentences x {t_len} target tokens; {len(articles)} articles x {s_len}")
    report: dict = {
        "dry_run": dry,
        "date": datetime.date.today().isoformat(),
        "device": device_info(dry),
        "versions": versions(),
        "workload": {
            "sentences": len(sentences),
            "translate_target_tokens": t_len,
            "articles": len(articles),
            "summary_target_tokens": s_len,
            "models": "random weights, opus-mt-da-en and distilbart-cnn-12-6 sizes" if not dry else "tiny test models",
        },
        "systems": {},
    }
    systems = report["systems"]
    t_target, s_target = len(sentences) * t_len, len(articles) * s_len

    log("hf_naive float32 (translate greedy, beam 4; summarize beam 4)...")
    systems["hf_naive/float32/translate/beam1"] = t_target / hf_naive(marian, sentences, t_len, 1, device)
    systems["hf_naive/float32/translate/beam4"] = t_target / hf_naive(marian, sentences, t_len, 4, device)
    systems["hf_naive/float32/summarize/beam4"] = s_target / hf_naive(bart, articles, s_len, 4, device)

    greedy_outputs: dict[str, list] = {}
    for dtype in dtypes:
        log(f"tsum_hf {dtype}...")
        loaded = load(marian, "transformers", device, dtype, "sentences")
        for beam in (1, 4):
            for budget in budgets:
                seconds, outputs = translate(loaded, sentences, t_len, beam, budget, device)
                systems[f"tsum_hf/{dtype}/translate/beam{beam}/bt{budget}"] = t_target / seconds
                if beam == 1:
                    greedy_outputs[dtype] = outputs
        del loaded
        # Each CUDA setting of engines/gpu.py against its absence (greedy, the larger budget).
        for label, settings in (("unpadded_vocab", {"VOCAB_MULTIPLE": 1}), ("cudnn_sdpa", {"CUDNN_ATTENTION": True})):
            variant = load(marian, "transformers", device, dtype, "sentences", **settings)
            seconds, _ = translate(variant, sentences, t_len, 1, budgets[-1], device)
            systems[f"tsum_hf_{label}/{dtype}/translate/beam1/bt{budgets[-1]}"] = t_target / seconds
            del variant
            if device == "cuda":
                torch.backends.cuda.enable_cudnn_sdp(False)  # back to tsum's setting
        loaded = load(bart, "transformers", device, dtype, "documents")
        systems[f"tsum_hf/{dtype}/summarize/beam4"] = s_target / summarize(
            loaded, articles, s_len, 4, summary_budget, device
        )
        del loaded
        if device == "cuda":
            torch.cuda.empty_cache()
    report["agreement_with_float32_greedy"] = {
        dtype: agreement(greedy_outputs[dtype], greedy_outputs["float32"]) for dtype in dtypes
    }
    report["projection_ms"] = {
        f"{dtype}/{columns}": projection_ms(256, 512, columns, dtype, device, repeats)
        for dtype in dtypes
        for columns in ((58930, 58944) if not dry else (250, 256))
    }

    report["ctranslate2"] = ct2_figures(marian, bart, sentences, articles, t_len, s_len, device, systems)

    best = {}
    for name, pattern in (
        ("gpu_translate_greedy_tok_s", "/translate/beam1"),
        ("gpu_translate_beam4_tok_s", "/translate/beam4"),
        ("gpu_summarize_beam4_tok_s", "/summarize/beam4"),
    ):
        candidates = {k: v for k, v in systems.items() if pattern in k and not k.startswith("hf_naive")}
        winner = max(candidates, key=candidates.get)
        report[name] = candidates[winner]
        best[name] = winner
    report["gpu_summarize_speedup_vs_hf"] = (
        report["gpu_summarize_beam4_tok_s"] / systems["hf_naive/float32/summarize/beam4"]
    )
    report["fastest"] = best
    write(report, args, dry)
    for name, value in systems.items():
        print(f"RESULT {name.replace('/', '_')}_tok_s {value:.0f}")
    for name in ("gpu_translate_greedy_tok_s", "gpu_translate_beam4_tok_s", "gpu_summarize_beam4_tok_s"):
        print(f"RESULT {name} {report[name]:.0f}")
    print(f"RESULT gpu_summarize_speedup_vs_hf {report['gpu_summarize_speedup_vs_hf']:.2f}")
    return 0


def ct2_figures(marian, bart, sentences, articles, t_len, s_len, device, systems) -> dict:
    """CTranslate2 on the GPU when its CUDA libraries load (on the CPU in a dry run)."""
    from translate_summarize.engines.cuda_libs import preload_for_device
    from translate_summarize.errors import EngineError

    try:
        preload_for_device(device)
    except EngineError as exc:
        log(f"ctranslate2: skipped ({exc})")
        return {"skipped": str(exc)}
    types = ("int8",) if device == "cpu" else ("float16", "int8_float16")
    try:
        for compute_type in types:
            log(f"ctranslate2 {compute_type}...")
            loaded = load(marian, "ctranslate2", device, compute_type, "sentences")
            for beam in (1, 4):
                seconds, _ = translate(loaded, sentences, t_len, beam, 8192, device)
                systems[f"ct2/{compute_type}/translate/beam{beam}"] = len(sentences) * t_len / seconds
            loaded = load(bart, "ctranslate2", device, compute_type, "documents")
            seconds = summarize(loaded, articles, s_len, 4, 8192, device)
            systems[f"ct2/{compute_type}/summarize/beam4"] = len(articles) * s_len / seconds
    except (EngineError, RuntimeError) as exc:
        log(f"ctranslate2: failed ({exc})")
        return {"failed": str(exc)}
    return {"measured": list(types)}


def write(report: dict, args, dry: bool) -> Path:
    folder = args.results_dir or (
        Path(tempfile.gettempdir()) / "tsum-gpu-dry-run" if dry else ROOT / "benchmarks" / "results"
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(report['device']['name'])}-{report['date']}.json"
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    log(f"wrote {path}")
    return path
