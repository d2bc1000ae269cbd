"""`tsum serve`: nothing leaks (logs), nothing hangs (slow bodies, SIGTERM), no smuggling, and the
deployment options (startup warnings, CORS *, --root-path, --forwarded-allow-ips)."""

from __future__ import annotations

import signal
import socket
import threading
import time

import httpx
import pytest
from support.common import TRANSLATION_PAIRS
from support.polling import wait_for
from support.server import API_KEY, read_by_server, serving

from translate_summarize.options import PipelineOptions
from translate_summarize.serve.options import ServeOptions
from translate_summarize.serve.run import startup_lines

DA, EN = TRANSLATION_PAIRS[4]


@pytest.fixture(scope="module")
def proxied(start_server):
    """Behind a reverse proxy at /tsum that sends X-Forwarded-For; a public instance (CORS *)."""
    return start_server("--root-path", "/tsum", "--forwarded-allow-ips", "127.0.0.1", "--cors-origin", "*")


# -- nothing leaks ----------------------------------------------------------------------------------


def test_query_values_never_reach_the_log(keyed):
    """deep-translator sends q and api_key in the query string: the log keeps their names only."""
    secret_text = "Hemmeligkilde fortalte om fusionen."
    response = httpx.post(
        f"{keyed.url}/translate", params={"q": secret_text, "source": "da", "target": "en", "api_key": API_KEY}
    )
    assert response.status_code == 200
    wrong = httpx.post(f"{keyed.url}/detect", params={"q": secret_text, "api_key": "guessed-key-123"})
    assert wrong.status_code == 403
    wait_for(lambda: "/detect?" in keyed.log_path.read_text())
    log = keyed.log_path.read_text()
    assert '"POST /translate?q=...&source=...&target=...&api_key=..." 200' in log
    for secret in (API_KEY, "guessed-key-123", "Hemmeligkilde", "fusionen"):
        assert secret not in log


# -- nothing hangs ----------------------------------------------------------------------------------


def test_a_dripping_body_gets_408_and_cannot_hold_sigterm(tiny_models, workdir, conversion_cache):
    """One byte every second: the body deadline is the total time, and SIGTERM still ends the server."""
    with serving(tiny_models, workdir, conversion_cache, "--body-timeout", "2", "--no-summary") as running:
        answers: list[bytes] = []

        sock = socket.create_connection(("127.0.0.1", running.port))
        sock.sendall(
            b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        )

        def drip():
            with sock:
                try:
                    for _ in range(60):  # would take a minute
                        sock.sendall(b" ")
                        time.sleep(1)
                except OSError:
                    pass  # the server closed the connection
                sock.settimeout(5)
                try:
                    answers.append(sock.recv(4096))
                except OSError:
                    answers.append(b"")

        client = threading.Thread(target=drip, daemon=True)
        client.start()
        wait_for(lambda: read_by_server(sock), what="the server to read the request's head")
        running.process.send_signal(signal.SIGTERM)
        assert running.process.wait(30) == 0  # within the deadline, not after the client's minute
        client.join(70)
        log = running.log_path.read_text()
        assert '"POST /v1/translate" 408' in log and "Traceback" not in log


def test_content_length_with_transfer_encoding_is_refused_and_closed(keyed):
    """RFC 9112 6.1: the request smuggled behind such a request must never be answered."""
    smuggled = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    chunked = b"0\r\n\r\n"
    request = (
        (
            b"POST /detect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n" % (len(chunked) + len(smuggled))
        )
        + chunked
        + smuggled
    )
    with socket.create_connection(("127.0.0.1", keyed.port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):  # ends when the server closes the connection
            received += chunk
    assert received.startswith(b"HTTP/1.1 400 ")
    assert received.count(b"HTTP/1.1 ") == 1  # the smuggled GET got no answer
    assert b'{"status":"ok"}' not in received


# -- startup ----------------------------------------------------------------------------------------


def test_startup_log_names_models_auth_and_limits(keyed):
    log = keyed.log_path.read_text()
    assert "translation model: " in log and "auth: API key required" in log
    assert "limits: body 1048576 bytes (--max-bytes)" in log and "(--batch-limit)" in log
    assert "without an API key" not in log


@pytest.mark.parametrize(
    ("host", "api_key", "warned"),
    [
        ("0.0.0.0", None, True),
        ("::", None, True),
        ("10.1.2.3", None, True),
        ("news.example", None, True),
        ("0.0.0.0", "k", False),
        ("127.0.0.1", None, False),
        ("::1", None, False),
        ("localhost", None, False),
    ],
)
def test_a_public_address_without_key_is_warned_about(host, api_key, warned):
    lines = startup_lines(PipelineOptions(), ServeOptions(host=host, api_key=api_key))
    warnings = [line for level, line in lines if level >= 30]
    assert any("without an API key" in line for line in warnings) == warned


# -- CORS *, root path, X-Forwarded-For --------------------------------------------------------------


def test_cors_star_allows_any_origin(proxied):
    preflight = {"Origin": "http://any.example", "Access-Control-Request-Method": "POST"}
    answer = httpx.options(f"{proxied.url}/tsum/translate", headers=preflight)
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"
    refused = httpx.options(
        f"{proxied.url}/tsum/translate", headers={**preflight, "Access-Control-Request-Method": "DELETE"}
    )
    assert refused.status_code == 400 and refused.headers["content-type"] == "application/json"
    assert refused.json()["error"].startswith("Disallowed CORS method")


def test_root_path_with_and_without_a_stripping_proxy(proxied):
    for path in ("/tsum", "/tsum/", "/"):
        page = httpx.get(proxied.url + path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), path
    for path in ("/tsum/v1/health", "/v1/health", "/tsum/health"):
        assert httpx.get(proxied.url + path).status_code == 200, path
    # URLs the server builds carry the prefix.
    upload = httpx.post(
        f"{proxied.url}/tsum/translate_file",
        files={"file": ("a.txt", DA.encode())},
        data={"source": "da", "target": "en"},
        timeout=60,
    )
    assert upload.json()["translatedFileUrl"].startswith(f"{proxied.url}/tsum/download_file/")
    assert httpx.get(upload.json()["translatedFileUrl"]).text.strip() == EN


def test_x_forwarded_for_is_logged_only_from_allowed_proxies(proxied, keyed):
    forwarded = {"X-Forwarded-For": "203.0.113.77"}
    httpx.get(f"{proxied.url}/tsum/frontend/settings", headers=forwarded)
    httpx.get(f"{keyed.url}/frontend/settings", headers=forwarded)
    wait_for(lambda: "GET /tsum/frontend/settings" in proxied.log_path.read_text())
    wait_for(lambda: "GET /frontend/settings" in keyed.log_path.read_text())
    assert '203.0.113.77:0 - "GET /tsum/frontend/settings"' in proxied.log_path.read_text()
    keyed_log = keyed.log_path.read_text()
    assert "203.0.113.77" not in keyed_log and "127.0.0.1:" in keyed_log
