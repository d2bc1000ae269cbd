#!/usr/bin/env python
"""How long `tsum ARTICLE` takes to say the models cannot be had, for each way a Hub can fail.

    python benchmarks/offline_failure.py [--rounds 3]

The promise: one `Error:` line (exit 3) within 5 s, whether the Hub's address does not answer at
all, a listener accepts the connection and never answers (a dead proxy), a TLS handshake stalls,
or headers arrive and the body stalls. Each case is a listener on 127.0.0.1 (the Hub endpoint set
with HF_ENDPOINT) and a fresh `python -m translate_summarize` process with empty caches, so the
time includes tsum's start-up. Prints the slowest of the rounds per case, then `RESULT` lines.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS_THEN_STALL = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"


def listen(reply: bytes) -> tuple[int, threading.Event]:
    """A listener that accepts, sends ``reply`` (maybe nothing) and holds every connection open."""
    server = socket.create_server(("127.0.0.1", 0))
    stop, held = threading.Event(), []

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            held.append(connection)
            if reply:
                connection.sendall(reply)
        for connection in held:
            connection.close()
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1], stop


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]


def run(endpoint: str) -> tuple[float, int, str]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HOME": f"{home}/hf", "TSUM_CACHE_DIR": f"{home}/tsum"}
        env.pop("HF_HUB_OFFLINE", None)
        start = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "translate_summarize", str(ROOT / "examples" / "article-da.txt")],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        return time.monotonic() - start, result.returncode, result.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cases = {
        "refused": lambda: (f"http://127.0.0.1:{closed_port()}", None),
        "accepts_never_answers": lambda: ("http://127.0.0.1:{}", listen(b"")),
        "tls_handshake_stalls": lambda: ("https://127.0.0.1:{}", listen(b"")),
        "headers_then_stall": lambda: ("http://127.0.0.1:{}", listen(HEADERS_THEN_STALL)),
    }
    print(f"load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    failures = 0
    for name, make in cases.items():
        slowest, ok = 0.0, True
        for _ in range(args.rounds):
            endpoint, listener = make()
            if listener is not None:
                port, stop = listener
                endpoint = endpoint.format(port)
            try:
                seconds, code, stderr = run(endpoint)
            finally:
                if listener is not None:
                    stop.set()
            one_line = code == 3 and stderr.count("\n") == 1 and stderr.startswith("Error: ")
            ok = ok and one_line
            slowest = max(slowest, seconds)
            print(f"{name}: {seconds:.2f} s, exit {code}, {stderr.strip()[:100]}", file=sys.stderr)
        failures += not ok or slowest >= 5
        print(f"RESULT offline_{name}_seconds {slowest:.2f}")
        print(f"RESULT offline_{name}_one_line {int(ok)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
