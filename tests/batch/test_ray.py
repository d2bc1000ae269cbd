"""The Ray executor with the tiny models: a local Ray instance, and a three-node cluster."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import FOLDER_FAST as FAST
from support.cli import assert_output_correct, make_tree, records, stray_files, timed_tsum
from support.common import ROOT
from support.polling import wait_for

from translate_summarize.batch.discover import InputFile
from translate_summarize.batch.jobs import Job, plan_windows
from translate_summarize.batch.ray_cluster import worker_resources
from translate_summarize.cli.main import main
from translate_summarize.errors import UsageError
from translate_summarize.options import BatchOptions

needs_ray = pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="needs the ray extra")


def tree_bytes(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in outdir.rglob("*.json")}


def tsum_env() -> dict[str, str]:
    # Only what keeps a test's local Ray small: tsum itself must keep Ray quiet.
    return {**os.environ, "RAY_num_cpus": "2"}


def run_tsum(args: list[str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "translate_summarize", *args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=tsum_env())


def worker_pids(driver: int) -> list[int]:
    """This run's Ray workers: descendants of its driver (never another run's)."""
    import psutil

    try:
        children = psutil.Process(driver).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if "ArticleWorker" in " ".join(child.cmdline()):
                found.append(child.pid)
        except psutil.Error:
            continue  # ended meanwhile
    return found


@needs_ray
def test_ray_executor_matches_local_and_survives_a_killed_worker(tmp_path, model_args):
    inputs = tmp_path / "in"
    make_tree(inputs, 50, sentences=8)
    local, distributed = tmp_path / "local", tmp_path / "ray"
    result = CliRunner().invoke(main, [str(inputs), "-o", str(local), *model_args, *FAST])
    assert result.exit_code == 0

    process = run_tsum([str(inputs), "-o", str(distributed), *model_args, *FAST, "--executor", "ray", "--workers", "2"])

    def busy_worker() -> int | str | None:
        """A worker's pid once outputs are being written; "ended" if the run ended first."""
        if process.poll() is not None:
            return "ended"
        pids = worker_pids(process.pid)
        return pids[0] if pids and any(distributed.rglob("*.json")) else None

    found = wait_for(busy_worker, timeout=240, interval=0.05, what="a Ray worker in the middle of the run")
    killed = None if found == "ended" else found
    if killed is not None:
        os.kill(killed, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()[-3000:]
    assert killed is not None, "the run ended before a worker could be killed"
    # --quiet: nothing from Ray either (no INFO lines, no "(raylet) A worker died" messages).
    assert (stdout, stderr) == (b"", b"")

    found = records(distributed)
    assert len(found) == 50 and all(r["status"] == "ok" for r in found.values())
    for record in found.values():
        assert_output_correct(distributed, record)
    assert tree_bytes(distributed) == tree_bytes(local)
    assert not stray_files(distributed)


@needs_ray
def test_ray_worker_that_cannot_load_the_models_fails_with_one_line(tmp_path, tiny_models):
    damaged = tmp_path / "damaged"
    shutil.copytree(tiny_models["translation"], damaged)
    weights = damaged / "pytorch_model.bin"
    weights.write_bytes(weights.read_bytes()[:1000])  # the driver only resolves the folder
    make_tree(tmp_path / "in", 2)
    args = ["--translation-model", str(damaged), "--no-summary", *FAST, "--executor", "ray", "--workers", "1"]
    process = run_tsum([str(tmp_path / "in"), "-o", str(tmp_path / "out"), *args])
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 3 and stdout == b""
    # The worker loads the models as a local run does (loading.load_models): the same message.
    assert stderr.decode().startswith(
        f"Error: a Ray worker could not load the models: cannot load the translation model in {damaged} (RuntimeError: "
    )
    assert "the folder is damaged or incomplete" in stderr.decode()
    assert stderr.decode().count("\n") == 1


@needs_ray
def test_ray_gpu_workers_are_checked_on_their_node_not_on_the_driver(tmp_path, model_args):
    # The driver (no GPU here) resolves the workers' runtime without probing for one; each
    # worker checks its own node before loading, and that check fails here with one line.
    make_tree(tmp_path / "in", 2)
    args = [*model_args, "--no-summary", *FAST, "--executor", "ray", "--workers", "1", "--device", "cuda"]
    process = run_tsum([str(tmp_path / "in"), "-o", str(tmp_path / "out"), *args])
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 3 and stdout == b""
    assert stderr.decode() == (
        "Error: a Ray worker could not load the models: "
        "--device cuda was asked for but no CUDA GPU is visible: use --device cpu\n"
    )


@pytest.fixture(scope="module")
def three_nodes():
    """A Ray cluster of three 1-CPU nodes on this machine (what a real cluster looks like)."""
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    for _ in range(2):
        cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    yield cluster
    cluster.shutdown()


@needs_ray
def test_ray_on_a_three_node_cluster_places_one_and_three_workers(tmp_path, model_args, three_nodes):
    inputs = tmp_path / "in"
    make_tree(inputs, 6, sentences=4)
    local = tmp_path / "local"
    assert CliRunner().invoke(main, [str(inputs), "-o", str(local), *model_args, *FAST]).exit_code == 0
    fast = [a for a in FAST if a != "--quiet"]  # quiet by default too: only tsum's own lines
    address = ["--executor", "ray", "--ray-address", three_nodes.address]
    for workers in (1, 3):
        out = tmp_path / f"workers-{workers}"
        process = run_tsum([str(inputs), "-o", str(out), *model_args, *fast, *address, "--workers", str(workers)])
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr.decode()[-3000:]
        assert stdout == b""
        lines = stderr.decode().splitlines()
        assert lines[0] == f"tsum: connecting to Ray at {three_nodes.address}..."
        assert lines[1].startswith("tsum: 6 ok, 0 failed, 0 skipped in ") and len(lines) == 2
        found = records(out)
        assert len(found) == 6 and all(r["status"] == "ok" for r in found.values())
        for record in found.values():
            assert_output_correct(out, record)
        if workers == 1:  # the local executor's windows: the same bytes
            assert tree_bytes(out) == tree_bytes(local)


@needs_ray
def test_ray_request_no_node_can_hold_fails_at_once(tmp_path, model_args, three_nodes):
    make_tree(tmp_path / "in", 2)
    args = ["--executor", "ray", "--ray-address", three_nodes.address, "--workers", "1", "--cpus-per-worker", "2"]
    process = run_tsum([str(tmp_path / "in"), "-o", str(tmp_path / "out"), *model_args, *FAST, *args])
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 2
    assert stderr.decode() == (
        "Error: the Ray cluster can place 0 of 1 workers needing 2 CPUs each (nodes: 1 CPUs, 1 CPUs, 1 CPUs): "
        "pass fewer --workers or a smaller --cpus-per-worker\n"
    )


def node(cpus: float, gpus: float = 0.0, alive: bool = True) -> dict:
    return {"Alive": alive, "Resources": {"CPU": cpus, **({"GPU": gpus} if gpus else {})}}


@pytest.mark.parametrize(
    ("nodes", "workers", "cpus_per_worker", "gpus", "expected"),
    [
        ([node(1), node(1), node(1)], 1, 0, 0.0, 1),  # was 2 (this machine's cores): never placed
        ([node(1), node(1), node(1)], 3, 0, 0.0, 1),
        ([node(16), node(16)], 4, 0, 0.0, 8),
        ([node(16), node(16)], 1, 0, 0.0, 16),  # at most one node's CPUs
        ([node(2)], 2, 0, 0.0, 1),
        ([node(8), node(8, alive=False)], 2, 0, 0.0, 4),
        ([node(8, gpus=2), node(8, gpus=2)], 4, 0, 1.0, 4),
        ([node(4)], 2, 2, 0.0, 2),
    ],
)
def test_worker_cpus_are_sized_from_the_cluster_nodes(nodes, workers, cpus_per_worker, gpus, expected):
    batch = BatchOptions(workers=workers, cpus_per_worker=cpus_per_worker, gpus_per_worker=gpus)
    assert worker_resources(nodes, batch) == expected


@pytest.mark.parametrize(
    ("nodes", "batch", "message"),
    [
        (
            [node(1), node(1)],
            BatchOptions(workers=3),
            "the Ray cluster can place 2 of 3 workers needing 1 CPU each (nodes: 1 CPUs, 1 CPUs)",
        ),
        (
            [node(8, gpus=1)],
            BatchOptions(workers=2, gpus_per_worker=1.0),
            "the Ray cluster can place 1 of 2 workers needing 4 CPUs and 1 GPU each (nodes: 8 CPUs/1 GPUs)",
        ),
        ([], BatchOptions(workers=1), "the Ray cluster can place 0 of 1 workers needing 1 CPU each (nodes: none)"),
    ],
)
def test_worker_request_that_cannot_be_placed_is_refused(nodes, batch, message):
    with pytest.raises(UsageError) as caught:
        worker_resources(nodes, batch)
    assert str(caught.value) == message + ": pass fewer --workers or a smaller --cpus-per-worker"


def jobs_of(tmp_path: Path, sizes: list[int]) -> list[Job]:
    jobs = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(b"x" * size)
        jobs.append(Job(InputFile(path, path.name, str(i)), "0" * 64, "k"))
    return jobs


def test_windows_are_planned_from_file_sizes_without_reading(tmp_path):
    jobs = jobs_of(tmp_path, [100] * 40 + [70_000, 100, 100])
    windows = plan_windows(jobs, BatchOptions())
    assert [len(w) for w in windows] == [16, 16, 8 + 1, 2]  # 16 articles, or 64 KiB reached


@pytest.mark.parametrize(
    ("articles", "workers", "sizes"),
    [(12, 3, [4, 4, 4]), (6, 4, [1, 1, 2, 2]), (2, 3, [1, 1]), (50, 2, [16, 16, 16, 2]), (1, 1, [1])],
)
def test_small_folders_get_a_window_per_worker(tmp_path, articles, workers, sizes):
    windows = plan_windows(jobs_of(tmp_path, [100] * articles), BatchOptions(), min_windows=workers)
    assert [len(w) for w in windows] == sizes
    assert [job.input.relative for w in windows for job in w] == [f"{i}.txt" for i in range(articles)]


def test_ray_missing_extra_message(monkeypatch, tmp_path, model_args):
    import translate_summarize.batch.ray_executor as ray_executor

    monkeypatch.setattr(ray_executor.importlib.util, "find_spec", lambda name: None)
    (tmp_path / "a.txt").write_text("Banken hæver renten.\n")
    result = CliRunner().invoke(main, [str(tmp_path), "-o", str(tmp_path / "out"), *model_args, "--executor", "ray"])
    assert result.exit_code == 3
    assert result.stderr == 'Error: --executor ray needs Ray: pip install "translate-summarize[ray]"\n'


def closed_port() -> int:
    """A local TCP port nothing listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@needs_ray
@pytest.mark.parametrize("scheme", ["", "ray://"])
def test_ray_address_where_nothing_answers_fails_at_once_with_one_line(tmp_path, model_args, scheme):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Banken hæver renten.\n")
    address = f"{scheme}127.0.0.1:{closed_port()}"
    args = [str(tmp_path / "in"), "-o", str(tmp_path / "out"), *model_args, "--executor", "ray"]
    result, elapsed = timed_tsum(*args, "--ray-address", address)
    assert elapsed < 30  # bounded, not hung
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"tsum: connecting to Ray at {address}..."
    assert lines[1].startswith(f"Error: no Ray cluster answers at --ray-address {address}")
    assert len(lines) == 2 and "Traceback" not in result.stderr


@needs_ray
def test_ray_init_errors_become_one_line(monkeypatch):
    import ray

    from translate_summarize.batch.ray_cluster import connect
    from translate_summarize.errors import MissingExtraError

    monkeypatch.setattr(ray, "is_initialized", lambda: False)

    def refuse(**kwargs):
        raise ValueError("Ray Client requires pip package `ray[client]`. If you installed ...")

    monkeypatch.setattr(ray, "init", refuse)
    with pytest.raises(MissingExtraError, match=r"pip install \"translate-summarize\[ray\]\""):
        connect(BatchOptions(ray_address="ray://10.0.0.1:10001"))

    def unreachable(**kwargs):
        raise ConnectionError("Could not find any running Ray instance.")

    monkeypatch.setattr(ray, "init", unreachable)
    with pytest.raises(UsageError, match="cannot connect to the Ray cluster at --ray-address auto: Could not find"):
        connect(BatchOptions(ray_address="auto"))


def test_ray_extra_includes_the_client_for_ray_addresses():

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(req.startswith("ray[") and "client" in req.split("]")[0] for req in extras["ray"])
