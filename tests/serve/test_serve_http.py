"""`tsum serve` at the edges of HTTP: odd bodies and forms, paths and methods, hung-up and stalled
clients, many clients at once, requests before the models are loaded, and shutdown with requests in
flight; real servers in subprocesses, and raw sockets where httpx is too polite."""

from __future__ import annotations

import gzip
import json
import signal
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from support.common import TRANSLATION_PAIRS
from support.polling import wait_for
from support.server import read_by_server, serving

from translate_summarize.serve.options import ServeOptions

DA, EN = TRANSLATION_PAIRS[0]


def no_traceback(server) -> None:
    log = server.log_path.read_text()
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log


def queue(server, headers=None) -> dict:
    return httpx.get(f"{server.url}/v1/health", headers=headers, timeout=30).json()["queue"]


# -- bodies -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"text": "x", "summary_length": ["short"]}',
        b'{"text": "x", "summary_length": {"a": 1}}',
        b'{"text": "x", "format": ["html"]}',
    ],
    ids=["nested-100000-deep", "summary-length-list", "summary-length-object", "format-list"],
)
def test_odd_json_bodies_get_400_not_500(server, body):
    response = httpx.post(
        f"{server.url}/v1/translate", content=body, headers={"Content-Type": "application/json"}, timeout=60
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith(("invalid JSON", '"summary_length"', '"format"'))
    no_traceback(server)


def test_a_compressed_body_is_refused_with_415(server):
    body = gzip.compress(json.dumps({"text": DA, "summary": False}).encode())
    response = httpx.post(
        f"{server.url}/v1/translate",
        content=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        timeout=60,
    )
    assert response.status_code == 415
    assert response.json() == {"error": "Content-Encoding gzip is not supported: send the body uncompressed"}


def test_detect_refuses_a_q_that_is_not_text(server):
    for q in ([1, 2], {"a": 1}):
        response = httpx.post(f"{server.url}/detect", json={"q": q}, timeout=60)
        assert response.status_code == 400
        assert response.json() == {"error": "Invalid request: q must be a string or a list of strings"}
    no_traceback(server)


def test_a_repeated_form_key_counts_by_its_first_value_as_in_libretranslate(server):
    other = TRANSLATION_PAIRS[1][0]
    body = f"q={DA}&q={other}&source=da&source=xx&target=en".encode()
    response = httpx.post(
        f"{server.url}/translate",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=60,
    )
    assert response.status_code == 200 and response.json() == {"translatedText": EN}


def test_a_list_at_the_batch_limit_comes_back_in_order_and_one_more_is_refused(server):
    limit = ServeOptions().batch_limit  # the default --batch-limit
    texts = [TRANSLATION_PAIRS[i % 3][0] for i in range(limit)]
    response = httpx.post(f"{server.url}/translate", json={"q": texts, "source": "da", "target": "en"}, timeout=300)
    assert response.json()["translatedText"] == [TRANSLATION_PAIRS[i % 3][1] for i in range(limit)]
    over = httpx.post(f"{server.url}/translate", json={"q": [*texts, DA], "source": "da", "target": "en"})
    assert over.status_code == 400 and "(--batch-limit)" in over.json()["error"]


# -- paths and methods ------------------------------------------------------------------------


def test_a_trailing_slash_is_an_unknown_path_not_a_redirect(server):
    for path in ("/v1/translate/", "/translate/", "/languages/", "/v1/health/"):
        response = httpx.request("GET" if "languages" in path or "health" in path else "POST", server.url + path)
        assert response.status_code == 404 and response.json() == {"error": "Not Found"}, path
    # Nor does a forged Host header ever come back as a Location.
    raw = raw_request(server, b"GET /languages/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 404") and b"evil.example" not in raw


def test_every_wrong_method_is_a_json_405_with_allow(server):
    routes = {"/": "GET", "/v1/health": "GET", "/v1/models": "GET", "/languages": "GET"}
    routes |= {"/v1/translate": "POST", "/translate": "POST", "/detect": "POST"}
    for path, allowed in routes.items():
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            if method == allowed:
                continue
            response = httpx.request(method, server.url + path)
            assert response.status_code == 405, (method, path)
            assert response.json() == {"error": "Method Not Allowed"}
            assert set(response.headers["allow"].split(", ")) == ({"GET", "HEAD"} if allowed == "GET" else {"POST"})
        head = httpx.head(server.url + path)
        assert head.status_code == (200 if allowed == "GET" else 405) and head.content == b""


# -- hung-up clients --------------------------------------------------------------------------


def raw_request(server, data: bytes, hang_up: bool = False) -> bytes:
    """Send ``data`` on a new connection and read the answer, or with ``hang_up``, close the
    connection once the server has read what was sent."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall(data)
        if hang_up:
            wait_for(lambda: read_by_server(conn), what="the server to read the request")
            return b""
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_a_client_that_hangs_up_before_its_body_arrives_leaves_no_traceback(server):
    head = b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    raw_request(server, head + b'{"text": "', hang_up=True)  # promised 500 bytes, sent 10
    # Not a sleep: the next request's access line, once logged, shows the server went on, and a
    # traceback from the hang-up (it comes at once) would be above it.
    lines_before = server.log_path.read_text().count('"POST /v1/translate" 200')
    assert httpx.post(f"{server.url}/v1/translate", json={"text": DA, "summary": False}).json()["translation"] == EN
    wait_for(lambda: server.log_path.read_text().count('"POST /v1/translate" 200') > lines_before)
    no_traceback(server)


def test_requests_whose_clients_hung_up_are_not_decoded(server):
    wait_for(lambda: queue(server)["active"] == 0)
    before = queue(server)
    long = " ".join(d for d, _ in TRANSLATION_PAIRS) * 150  # keeps the model thread busy for seconds
    answer = {}
    first = threading.Thread(
        target=lambda: answer.setdefault(
            "r", httpx.post(f"{server.url}/v1/translate", json={"text": long, "summary": False}, timeout=300)
        )
    )
    first.start()
    wait_for(lambda: queue(server)["active"] == 1 and queue(server)["waiting"] == 0)  # in the model thread
    body = json.dumps({"text": DA, "summary": False}).encode()
    head = b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    conns = [socket.create_connection(("127.0.0.1", server.port), timeout=30) for _ in range(3)]
    for conn in conns:
        conn.sendall(head % len(body) + body)
    wait_for(lambda: queue(server)["waiting"] == 3)
    for conn in conns:
        conn.close()
    first.join(300)
    assert answer["r"].status_code == 200
    wait_for(lambda: queue(server)["active"] == 0 and queue(server)["waiting"] == 0)
    after = queue(server)
    assert after["requests"] - before["requests"] == 1  # the three abandoned ones were dropped, not decoded
    no_traceback(server)
    assert httpx.post(f"{server.url}/v1/translate", json={"text": DA, "summary": False}).json()["translation"] == EN


# -- many clients and shutdown ----------------------------------------------------------------


def test_64_concurrent_mixed_requests_are_all_correct(server):
    def request(i):
        da, en = TRANSLATION_PAIRS[i % len(TRANSLATION_PAIRS)]
        kind = i % 4
        if kind == 0:
            return (
                httpx.post(f"{server.url}/v1/translate", json={"text": da, "summary": False}, timeout=300).json()[
                    "translation"
                ]
                == en
            )
        if kind == 1:
            length = ("short", "medium", "long")[i % 3]
            data = httpx.post(
                f"{server.url}/v1/translate", json={"text": da, "summary_length": length}, timeout=300
            ).json()
            return data["translation"] == en and bool(data["summary"])
        if kind == 2:
            lt = {"q": da, "source": "da", "target": "en"}
            return httpx.post(f"{server.url}/translate", data=lt, timeout=300).json() == {"translatedText": en}
        data = httpx.post(
            f"{server.url}/translate", json={"q": [da, da], "source": "auto", "target": "en"}, timeout=300
        ).json()
        return data["translatedText"] == [en, en] and data["detectedLanguage"][0]["language"] == "da"

    with ThreadPoolExecutor(64) as pool:
        results = list(pool.map(request, range(64)))
    assert all(results), results


def test_sigterm_with_8_requests_in_flight_finishes_all_and_exits_0(tiny_models, workdir, conversion_cache):
    with serving(tiny_models, workdir, conversion_cache) as running:
        texts = [" ".join(d for d, _ in TRANSLATION_PAIRS) * (12 + i) for i in range(8)]

        def send(text):
            return httpx.post(f"{running.url}/v1/translate", json={"text": text, "summary": False}, timeout=300)

        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(send, text) for text in texts]
            # All 8 submitted: in flight, or already answered by a finished round.
            wait_for(lambda: (lambda q: q["active"] >= 1 and q["active"] + q["requests"] == 8)(queue(running)))
            running.process.send_signal(signal.SIGTERM)
            responses = [future.result() for future in futures]
        assert [r.status_code for r in responses] == [200] * 8
        assert running.process.wait(60) == 0
        no_traceback(running)


# -- before the models are loaded -------------------------------------------------------------


def test_translate_calls_before_the_models_are_loaded_get_503_with_retry_after(tiny_models):
    from starlette.testclient import TestClient

    from translate_summarize.options import PipelineOptions
    from translate_summarize.serve import create_app

    options = PipelineOptions(translation_model=str(tiny_models["translation"]), summarize=False)
    # Without the ASGI lifespan (no `with`), the model thread never starts: the app stays loading.
    client = TestClient(create_app(options))
    for path, body in (("/v1/translate", {"text": DA}), ("/translate", {"q": DA, "source": "da", "target": "en"})):
        response = client.post(path, json=body)
        assert response.status_code == 503 and response.headers["retry-after"] == "5", path
        assert response.json() == {"error": "the models are still loading: try again shortly"}
    health = client.get("/v1/health")
    assert health.status_code == 503 and health.json()["status"] == "loading"


def test_a_text_over_the_one_article_limit_is_refused_as_for_files(tiny_models):
    from starlette.testclient import TestClient

    from translate_summarize.options import PipelineOptions
    from translate_summarize.serve import ServeOptions, create_app
    from translate_summarize.text.reading import MAX_ARTICLE_BYTES

    options = PipelineOptions(translation_model=str(tiny_models["translation"]), summarize=False)
    client = TestClient(create_app(options, ServeOptions(max_bytes=2 * MAX_ARTICLE_BYTES)))
    text = "Banken hæver renten. " * (MAX_ARTICLE_BYTES // 20)
    response = client.post("/v1/translate", json={"text": text, "summary": False})
    assert response.status_code == 422
    assert response.json()["error"] == "text is 22.0 MiB, over the 20 MiB limit for one article: split it into articles"


def test_a_stalled_body_gets_408_and_does_not_hold_sigterm_forever(tiny_models, workdir, conversion_cache):
    with serving(tiny_models, workdir, conversion_cache, "--no-summary") as running:
        with socket.create_connection(("127.0.0.1", running.port), timeout=120) as conn:
            head = b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
            conn.sendall(head + b'{"te')  # and nothing more: a stalled (or slowloris) client
            wait_for(lambda: read_by_server(conn), what="the server to read the request")
            running.process.send_signal(signal.SIGTERM)
            answer = b""
            while chunk := conn.recv(65536):  # the server closes the connection as it shuts down
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 408")
        assert answer.endswith(b'{"error":"the request body stopped arriving for 30 s"}')
        assert running.process.wait(60) == 0
        no_traceback(running)
