#!/usr/bin/env python
"""Server micro-batching: 8 concurrent clients against the same requests sent one at a time.

    python benchmarks/serve.py --quick      # about 2 minutes on 2 CPU cores once models exist
    python benchmarks/serve.py              # more requests

Serves the random-weight opus-mt-da-en-sized model that benchmarks/run.py builds (built here
if missing) with `tsum serve`'s app under uvicorn on 127.0.0.1, default engine (CTranslate2 int8
on CPU), translation only (`"summary": false`: short newsroom snippets, as LibreTranslate
clients send). Requests are 1 to 3 Danish news sentences. Random weights never emit </s>, so
a batch would decode every sentence to the length bound of its longest one, a waste real
models do not have (each sentence stops at its own end); as in run.py, every sentence decodes
to a fixed 32 tokens instead (min = max length), so every request costs the same work
whichever way it is served.

- sequential: one client sends all requests, one at a time
- concurrent: 8 clients send the same requests (each its share, one at a time)
- latency of a one-sentence request: on the idle server, and from a 9th client during the
  concurrent run

Ends with `RESULT` lines; `serve_concurrency_speedup` is sequential time / concurrent time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

import run  # noqa: E402  (benchmarks/run.py: the real-size random-weight models and sentences)

CLIENTS = 8
ROUNDS = 2
OUTPUT_TOKENS = 32


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(marian: Path, share_batches: bool):
    import uvicorn

    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.options import PipelineOptions
    from translate_summarize.serve import ServeOptions, create_app

    pipeline = Pipeline(PipelineOptions(translation_model=str(marian), summarize=False, share_batches=share_batches))
    pipeline.translator.settings = run.fixed(pipeline.translator.settings, OUTPUT_TOKENS, beam=4)
    port = free_port()
    app = create_app(serve_options=ServeOptions(port=port), pipeline=pipeline)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{port}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def translate(client, text: str) -> float:
    start = time.perf_counter()
    response = await client.post("/v1/translate", json={"text": text, "summary": False})
    response.raise_for_status()
    return time.perf_counter() - start


async def wait_ready(client) -> None:
    for _ in range(1200):
        try:
            if (await client.get("/v1/health")).status_code == 200:
                return
        except Exception:  # noqa: BLE001  (not listening yet)
            pass
        await asyncio.sleep(0.25)
    raise SystemExit("the server did not become ready")


async def measure(url: str, requests: list[str], probe: str, probes: int) -> dict[str, float]:
    import httpx

    limits = httpx.Limits(max_connections=CLIENTS + 2)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        await wait_ready(client)
        for text in requests[:4]:  # warm-up
            await translate(client, text)
        idle = [await translate(client, probe) for _ in range(probes)]

        async def one_at_a_time() -> float:
            start = time.perf_counter()
            for text in requests:
                await translate(client, text)
            return time.perf_counter() - start

        async def worker(share: list[str]):
            for text in share:
                await translate(client, text)

        async def prober(latencies: list[float], done: asyncio.Event):
            await asyncio.sleep(0.5)  # let the load build up
            while not done.is_set():
                latencies.append(await translate(client, probe))

        async def concurrently(loaded: list[float]) -> float:
            done = asyncio.Event()
            probe_task = asyncio.create_task(prober(loaded, done))
            start = time.perf_counter()
            await asyncio.gather(*(worker(requests[i::CLIENTS]) for i in range(CLIENTS)))
            elapsed = time.perf_counter() - start
            done.set()
            await probe_task
            return elapsed

        # Two interleaved rounds, best of each: the machine's other load drifts, and timing the
        # two modes back to back twice keeps that drift out of their ratio.
        loaded: list[float] = []
        sequential = concurrent = float("inf")
        for _ in range(ROUNDS):
            sequential = min(sequential, await one_at_a_time())
            concurrent = min(concurrent, await concurrently(loaded))
        queue = (await client.get("/v1/health")).json()["queue"]
    print(f"# {queue['requests']} requests in {queue['rounds']} rounds (warm-up and probes included)")
    return {
        "serve_sequential_seconds": sequential,
        "serve_concurrent_seconds": concurrent,
        "serve_concurrency_speedup": sequential / concurrent,
        "serve_idle_p50_ms": 1000 * percentile(idle, 0.5),
        "serve_idle_p95_ms": 1000 * percentile(idle, 0.95),
        "serve_loaded_p50_ms": 1000 * percentile(loaded, 0.5),
        "serve_loaded_p95_ms": 1000 * percentile(loaded, 0.95),
        "serve_loaded_probes": len(loaded),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (about 2 minutes on 2 cores)")
    parser.add_argument(
        "--share-batches",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="serve as `tsum serve` does by default (requests' sentences share batches); "
        "--no-share-batches: each request batched on its own",
    )
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench-out", help="where the random models are kept")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TSUM_CACHE_DIR", str(args.workdir / "tsum-cache"))
    marian, _ = run.build_models(args.workdir)
    sentences = run.danish_sentences()
    count = 48 if args.quick else 160
    requests = [" ".join(sentences[(i * 7 + k) % len(sentences)] for k in range(1 + i % 3)) for i in range(count)]
    probe = sentences[0]
    server, thread, url = start_server(marian, args.share_batches)
    try:
        results = asyncio.run(measure(url, requests, probe, probes=10 if args.quick else 30))
    finally:
        server.should_exit = True
        thread.join(60)
    print(
        f"# {os.cpu_count()} CPUs; {count} requests of 1-3 sentences, {OUTPUT_TOKENS} target tokens each, "
        f"beam 4; {CLIENTS} concurrent clients; share_batches={args.share_batches}"
    )
    for name, value in results.items():
        print(f"RESULT {name} {value:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
