"""The Ray executor on a local 2-CPU Ray instance, with the tiny models."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from test_batch import FAST, assert_output_correct, make_tree, records, stray_files

from translate_summarize.cli import main

pytestmark = pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="needs the ray extra")


def tree_bytes(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in outdir.rglob("*.json")}


def ray_env() -> dict[str, str]:
    env = os.environ.copy()
    # Keep the local Ray instance small and quiet, on loopback, with no usage reporting.
    env.update({"RAY_USAGE_STATS_ENABLED": "0", "RAY_DEDUP_LOGS": "0", "RAY_num_cpus": "2"})
    return env


def run_tsum(args: list[str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "translate_summarize", *args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ray_env())


def worker_pids() -> list[int]:
    import psutil

    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if "ArticleWorker" in cmdline:
            found.append(process.info["pid"])
    return found


def test_ray_executor_matches_local_and_survives_a_killed_worker(tmp_path, model_args):
    inputs = tmp_path / "in"
    make_tree(inputs, 50, sentences=8)
    local, distributed = tmp_path / "local", tmp_path / "ray"
    result = CliRunner().invoke(main, [str(inputs), "-o", str(local), *model_args, *FAST])
    assert result.exit_code == 0

    process = run_tsum([str(inputs), "-o", str(distributed), *model_args, *FAST, "--executor", "ray", "--workers", "2"])
    killed = None
    deadline = time.time() + 240
    while time.time() < deadline and process.poll() is None and killed is None:
        pids = worker_pids()
        if pids and any(distributed.rglob("*.json")):
            killed = pids[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.05)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()[-3000:]
    assert killed is not None, "the run ended before a worker could be killed"

    found = records(distributed)
    assert len(found) == 50 and all(r["status"] == "ok" for r in found.values())
    for record in found.values():
        assert_output_correct(distributed, record)
    assert tree_bytes(distributed) == tree_bytes(local)
    assert not stray_files(distributed)


def test_ray_missing_extra_message(monkeypatch, tmp_path, model_args):
    import translate_summarize.batch.ray_executor as ray_executor

    monkeypatch.setattr(ray_executor.importlib.util, "find_spec", lambda name: None)
    (tmp_path / "a.txt").write_text("Banken hæver renten.\n")
    result = CliRunner().invoke(main, [str(tmp_path), "-o", str(tmp_path / "out"), *model_args, "--executor", "ray"])
    assert result.exit_code == 3
    assert result.stderr == 'Error: --executor ray needs Ray: pip install "translate-summarize[ray]"\n'
