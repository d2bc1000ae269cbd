"""Helpers for the server tests: `tsum serve` in a subprocess (import only after importorskip)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.common import ROOT

httpx = pytest.importorskip("httpx")

API_KEY = "s3cret-key-for-tests"
ORIGIN = "http://newsroom.example"
# float32 and greedy decoding: the trained sentences come out exactly (as in test_cli.py).
EXACT = ["--compute-type", "float32", "--beam-size", "1"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`tsum serve` in a subprocess, its log in a file (a pipe nobody reads could block it)."""

    def __init__(self, tiny_models, workdir: Path, cache: Path, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"serve-{self.port}.log"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TSUM_CACHE_DIR": str(cache),
            "HF_HOME": str(workdir / "hf-home"),
            "HF_HUB_OFFLINE": "1",
        }
        env.pop("TSUM_API_KEY", None)
        command = [sys.executable, "-m", "translate_summarize", "serve", "--port", str(self.port)]
        command += ["--translation-model", str(tiny_models["translation"])]
        command += ["--summary-model", str(tiny_models["summary"]), *EXACT, *args]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def wait_ready(self, headers: dict | None = None, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited ({self.process.returncode}):\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/v1/health", headers=headers, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(f"the server was not ready in {timeout} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def ready_server(tiny_models, workdir: Path, cache: Path, *args: str, headers: dict | None = None):
    """A fixture body: a ready server, stopped afterwards (``yield from ready_server(...)``)."""
    running = Server(tiny_models, workdir, cache, *args)
    try:
        running.wait_ready(headers=headers)
        yield running
    finally:
        running.stop()
