"""Helpers for the server tests: `tsum serve` in a subprocess, and what it has read from a client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from support.common import ROOT
from support.polling import wait_for

API_KEY = "s3cret-key-for-tests"
BEARER = {"Authorization": f"Bearer {API_KEY}"}
ORIGIN = "http://newsroom.example"
# float32 and greedy decoding: the trained sentences come out exactly (as in test_cli.py).
EXACT = ["--compute-type", "float32", "--beam-size", "1"]


def post(server: Server, payload: dict, path: str = "/v1/translate", **kwargs) -> httpx.Response:
    """POST ``payload`` as JSON to ``server``'s ``path``, with time for the tiny models to answer."""
    return httpx.post(f"{server.url}{path}", json=payload, timeout=120, **kwargs)


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
        def answering() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited ({self.process.returncode}):\n{self.log_path.read_text()}")
            try:
                return httpx.get(f"{self.url}/v1/health", headers=headers, timeout=5).status_code == 200
            except httpx.TransportError:
                return False

        try:
            wait_for(answering, timeout=timeout, interval=0.2, what="the server to answer /v1/health")
        except AssertionError as late:
            pytest.fail(f"{late}:\n{self.log_path.read_text()}")

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


# A context manager for a server a test starts itself: `with serving(...) as running:`.
serving = contextmanager(ready_server)


def read_by_server(conn: socket.socket) -> bool:
    """True once the server's end of ``conn`` holds nothing unread: the server process has taken
    in all the client sent so far (Linux: the receive queue in /proc/net/tcp)."""
    client = f"0100007F:{conn.getsockname()[1]:04X}"  # 127.0.0.1 as the kernel writes it (little-endian)
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[2] == client:  # the server's end: its remote address is the client's
            return int(fields[4].split(":")[1], 16) == 0
    return False
