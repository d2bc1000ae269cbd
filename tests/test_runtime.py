"""The runtime decided once: resolution, what outputs record, the resume key, reproducibility."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import EXAMPLE, TRANSLATION_PAIRS, danish_news_sentences

from translate_summarize.cli.main import main
from translate_summarize.core import runtime as runtime_module
from translate_summarize.core.runtime import Runtime, resolve_runtime, runtime_key
from translate_summarize.errors import EngineError
from translate_summarize.options import PipelineOptions

CORES = os.cpu_count() or 1


def test_auto_resolves_to_ctranslate2_int8_on_this_cpu():
    assert resolve_runtime(PipelineOptions()) == Runtime("ctranslate2", "cpu", "int8", CORES, 1024)
    assert resolve_runtime(PipelineOptions(engine="transformers")) == Runtime(
        "transformers", "cpu", "float32", CORES, 1024
    )
    spelled = PipelineOptions(engine="ctranslate2", device="cpu", compute_type="int8", threads=CORES, batch_tokens=1024)
    assert resolve_runtime(spelled) == resolve_runtime(PipelineOptions())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (PipelineOptions(engine="transformers", compute_type="int8"), "compute type int8 is not available"),
        (PipelineOptions(engine="ctranslate2", device="mps"), "CTranslate2 runs on cpu or cuda, not mps"),
    ],
)
def test_impossible_runtimes_are_refused_before_loading(options, message):
    with pytest.raises(EngineError, match=message):
        resolve_runtime(options)


def test_auto_on_a_gpu_machine_resolves_to_transformers_float32(monkeypatch):
    # No GPU here: the hardware probe is the only thing replaced.
    monkeypatch.setattr(runtime_module, "choose_device", lambda device: "cuda" if device == "auto" else device)
    resolved = resolve_runtime.__wrapped__(PipelineOptions())
    assert (resolved.engine, resolved.device, resolved.compute_type, resolved.batch_tokens) == (
        "transformers",
        "cuda",
        "float32",
        8192,
    )


def test_resume_key_holds_the_resolved_runtime(monkeypatch):
    auto = runtime_key(PipelineOptions())
    assert (auto["engine"], auto["device"], auto["compute_type"]) == ("ctranslate2", "cpu", "int8")
    assert "threads" not in auto and "offline" not in auto
    assert runtime_key(PipelineOptions(engine="ctranslate2", device="cpu", compute_type="int8")) == auto
    assert runtime_key(PipelineOptions(compute_type="float32")) != auto
    # The same options on a machine where "auto" finds a GPU give another key.
    resolve_runtime.cache_clear()
    monkeypatch.setattr(runtime_module, "choose_device", lambda device: "cuda" if device == "auto" else device)
    monkeypatch.setattr(runtime_module, "choose_engine", lambda engine, device: "ctranslate2")
    on_gpu = runtime_key(PipelineOptions())
    resolve_runtime.cache_clear()
    assert on_gpu["device"] == "cuda" and on_gpu != auto


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.stderr
    return result


def statuses(outdir: Path) -> list[str]:
    lines = (outdir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(json.loads(line)["status"] for line in lines)


def test_folder_resume_uses_the_resolved_runtime(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for i in range(2):
        (inputs / f"a{i}.txt").write_text(" ".join(da for da, _ in TRANSLATION_PAIRS[i : i + 3]), encoding="utf-8")
    common = [str(inputs), "-o", str(out), *model_args, "--no-summary", "--beam-size", "1", "--quiet"]
    run(*common)
    assert statuses(out) == ["ok", "ok"]
    run(*common, "--engine", "ctranslate2", "--device", "cpu", "--compute-type", "int8", "--threads", "1")
    assert statuses(out) == ["skipped", "skipped"]  # the same runtime, spelled out
    run(*common, "--compute-type", "float32")
    assert statuses(out) == ["ok", "ok"]  # another compute type: redone
    run(*common, "--engine", "transformers")
    assert statuses(out) == ["ok", "ok"]  # another engine: redone


def test_outputs_record_the_runtime_that_ran(model_args, tmp_path):
    result = run(str(EXAMPLE), *model_args, "--format", "json", "--beam-size", "2")
    generation = json.loads(result.stdout)["generation"]
    for record in generation.values():
        assert (record["engine"], record["device"], record["compute_type"]) == ("ctranslate2", "cpu", "int8")
        assert record["beam_size"] == 2 and "threads" not in record  # threads never change results
    assert generation["translation"]["batch_tokens"] == generation["summary"]["batch_tokens"] == 1024


def write_articles(folder: Path) -> list[Path]:
    """Three articles of different lengths and vocabularies, trained and unseen sentences mixed."""
    folder.mkdir()
    gold = danish_news_sentences()
    texts = [
        EXAMPLE.read_text(encoding="utf-8"),
        " ".join(da for da, _ in TRANSLATION_PAIRS) + "\n\n" + " ".join(gold[:12]),
        " ".join(gold[12:40]) + "\n\n" + " ".join(da for da, _ in TRANSLATION_PAIRS[3:8]),
    ]
    paths = []
    for i, text in enumerate(texts):
        paths.append(folder / f"article{i}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    return paths


def test_an_article_gets_the_same_output_alone_and_in_a_folder(tmp_path, model_args):
    paths = write_articles(tmp_path / "in")
    out = tmp_path / "out"
    run(str(tmp_path / "in"), "-o", str(out), *model_args, "--format", "json", "--quiet")
    for path in paths:
        alone = json.loads(run(str(path), *model_args, "--format", "json").stdout)
        together = json.loads((out / f"{path.stem}.json").read_text(encoding="utf-8"))
        assert alone["segments"] == together["segments"]
        assert alone["summary"] == together["summary"] and alone["summary"]


def test_ray_workers_are_given_the_runtime_the_driver_resolved_for_them():
    from translate_summarize.batch.ray_cluster import worker_options
    from translate_summarize.options import BatchOptions

    on_cpus = worker_options(PipelineOptions(), BatchOptions(executor="ray"))
    assert (on_cpus.engine, on_cpus.device, on_cpus.compute_type, on_cpus.batch_tokens) == (
        "ctranslate2",
        "cpu",
        "int8",
        1024,
    )
    assert on_cpus.threads == 0  # each worker runs the CPUs it reserved
    # Workers that reserve GPUs run CUDA, decided on this GPU-less driver without probing.
    on_gpus = worker_options(PipelineOptions(), BatchOptions(executor="ray", gpus_per_worker=1.0))
    assert resolve_runtime(on_gpus) == Runtime("transformers", "cuda", "float32", CORES, 8192)
    assert runtime_key(on_gpus)["device"] == "cuda"  # what the driver's resume key holds


def test_a_ray_worker_that_sees_a_gpu_still_runs_the_drivers_runtime(monkeypatch, tiny_models, tmp_path):
    from dataclasses import asdict

    from translate_summarize.batch.ray_cluster import worker_options
    from translate_summarize.batch.ray_worker import ArticleWorker
    from translate_summarize.options import BatchOptions

    options = PipelineOptions(
        translation_model=str(tiny_models["translation"]), summary_model=str(tiny_models["summary"])
    )
    batch = BatchOptions(executor="ray")
    driver = worker_options(options, batch)
    resolve_runtime.cache_clear()
    # The worker's node has a GPU: its own "auto" would now say cuda (and transformers).
    monkeypatch.setattr(runtime_module, "choose_device", lambda device: "cuda" if device == "auto" else device)
    assert resolve_runtime(options).device == "cuda"
    worker = ArticleWorker(asdict(driver), {**asdict(batch), "glob": list(batch.glob)}, str(tmp_path), {})
    resolve_runtime.cache_clear()
    assert worker.pipeline.runtime == Runtime("ctranslate2", "cpu", "int8", CORES, 1024)
    assert worker.pipeline.translator.engine.name == "ctranslate2"


def test_a_device_this_machine_lacks_is_refused_where_the_models_load(model_args):
    result = CliRunner().invoke(main, [str(EXAMPLE), *model_args, "--device", "cuda", "--engine", "ctranslate2"])
    assert result.exit_code == 3
    assert result.stderr.strip() == "Error: --device cuda was asked for but no CUDA GPU is visible: use --device cpu"
