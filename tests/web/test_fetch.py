"""Fetching URLs (web/fetch.py, web/guard.py) against a real HTTP server on 127.0.0.1.

pytest-httpserver runs a real werkzeug server in a thread; httpx talks to it over TCP. Timing
checks are lower bounds only (a wait that must have happened), never speed limits.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import subprocess
import threading
import time

import brotli
import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response

from translate_summarize import __version__
from translate_summarize.errors import BlockedAddressError, FetchError
from translate_summarize.options import PROJECT_URL, FetchOptions
from translate_summarize.text.reading import MAX_ARTICLE_BYTES
from translate_summarize.web import guard
from translate_summarize.web.articles import page_article, url_output_name
from translate_summarize.web.fetch import Fetcher, decode_page, fetch

FAST = {"rate": 0, "backoff": 0.05, "robots": False}
PAGE = "<html><head><title>Møde</title></head><body><article><p>Æblerne blev høstet i går. Prisen steg.</p></article></body></html>"


@pytest.fixture
def server():
    with HTTPServer(host="127.0.0.1", port=0) as httpserver:
        yield httpserver


def get(url: str, **changes):
    return fetch(url, options=FetchOptions(**{**FAST, **changes}))


def times_of(server: HTTPServer, path: str) -> list[float]:
    return [entry[0].environ["tsum.time"] for entry in server.log if entry[0].path == path]


@pytest.fixture
def stamped(server):
    """Record when each request arrived (server side), for lower-bound gap checks."""
    original = server.dispatch

    def dispatch(request):
        request.environ["tsum.time"] = time.monotonic()
        return original(request)

    server.dispatch = dispatch
    return server


def test_the_max_bytes_default_is_the_article_size_limit():
    assert FetchOptions().max_bytes == MAX_ARTICLE_BYTES


def test_a_page_is_fetched_with_tsums_user_agent(server):
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    page = get(server.url_for("/a"))
    assert (page.status, page.content_type, page.charset) == (200, "text/html", "utf-8")
    assert "Æblerne" in page.text
    agent = server.log[0][0].headers["User-Agent"]
    assert agent == f"tsum/{__version__} (+{PROJECT_URL})"


@pytest.mark.parametrize(
    "body, header, expected_charset",
    [
        (PAGE.encode("utf-8"), "text/html; charset=iso-8859-1", "utf-8"),  # a wrong single-byte label
        (PAGE.encode("cp1252"), "text/html; charset=utf-8", "detected"),  # a wrong UTF-8 label
        (PAGE.replace("<head>", "<head><meta charset='windows-1252'>").encode("cp1252"), "text/html", "cp1252"),
        (PAGE.encode("cp1252"), "text/html", "detected"),  # no label at all
    ],
)
def test_charset_from_header_then_page_then_detection(server, body, header, expected_charset):
    server.expect_request("/a").respond_with_data(body, content_type=header)
    page = get(server.url_for("/a"))
    assert "Æblerne blev høstet" in page.text
    assert page.charset == expected_charset


def test_decode_page_prefers_the_header():
    assert decode_page("Æble".encode("iso-8859-15"), "iso-8859-15", "x") == ("Æble", "iso8859-15")


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_pages_are_decoded(server, encoding):
    packed = gzip.compress(PAGE.encode()) if encoding == "gzip" else brotli.compress(PAGE.encode())
    server.expect_request("/a").respond_with_data(
        packed, content_type="text/html; charset=utf-8", headers={"Content-Encoding": encoding}
    )
    assert "Æblerne" in get(server.url_for("/a")).text


def test_robots_txt_is_obeyed_unless_ignored(server):
    server.expect_request("/robots.txt").respond_with_data("User-agent: tsum\nDisallow: /private\n")
    server.expect_request("/private/a").respond_with_data(PAGE, content_type="text/html")
    server.expect_request("/open").respond_with_data(PAGE, content_type="text/html")
    url = server.url_for("/private/a")
    with pytest.raises(FetchError) as caught:
        get(url, robots=True)
    assert (
        str(caught.value)
        == f"{url} is disallowed for tsum by the site's robots.txt: pass --ignore-robots to fetch it anyway"
    )
    assert not [entry for entry in server.log if entry[0].path == "/private/a"]
    assert get(server.url_for("/open"), robots=True).status == 200
    assert get(url, robots=False).status == 200


def test_a_missing_robots_txt_allows_everything_and_is_read_once(server):
    server.expect_request("/robots.txt").respond_with_data("no", status=404)
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    with Fetcher(FetchOptions(**{**FAST, "robots": True})) as fetcher:
        fetcher.get(server.url_for("/a"))
        fetcher.get(server.url_for("/a"))
    assert [entry[0].path for entry in server.log] == ["/robots.txt", "/a", "/a"]


def _chain(server, length: int) -> str:
    for i in range(length):
        server.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
    server.expect_request(f"/r{length}").respond_with_data(PAGE, content_type="text/html")
    return server.url_for("/r0")


def test_five_redirects_are_followed(server):
    page = get(_chain(server, 5))
    assert page.url == server.url_for("/r5") and page.requested_url == server.url_for("/r0")


def test_a_chain_of_six_redirects_fails(server):
    url = _chain(server, 6)
    with pytest.raises(FetchError, match=r"redirects more than 5 times \(a redirect loop\?\)"):
        get(url)


@pytest.mark.parametrize(
    ("status", "headers", "message", "requests"),
    [
        pytest.param(301, {"Location": "/a"}, "redirects more than 5 times", 6, id="redirect-loop"),
        pytest.param(503, {}, "HTTP 503", 4, id="server-error-three-retries"),
        pytest.param(429, {"Retry-After": "3600"}, "asks tsum to wait 3600 s", 1, id="long-retry-after-at-once"),
    ],
)
def test_how_many_requests_before_giving_up(server, status, headers, message, requests):
    server.expect_request("/a").respond_with_data("", status=status, headers=headers)
    with pytest.raises(FetchError, match=message):
        get(server.url_for("/a"))
    assert len(server.log) == requests


def test_a_redirect_to_another_scheme_is_refused(server):
    server.expect_request("/r").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="is not an http or https URL"):
        get(server.url_for("/r"))


@pytest.mark.parametrize(
    "status, hint", [(404, "no such page: check the URL"), (403, "the site refuses tsum (a paywall, or a block")]
)
def test_http_errors_name_the_status_and_url(server, status, hint):
    server.expect_request("/a").respond_with_data("no", status=status)
    url = server.url_for("/a")
    with pytest.raises(FetchError) as caught:
        get(url)
    assert str(caught.value).startswith(f"HTTP {status} for {url}: {hint}")
    assert caught.value.status == status and caught.value.category == "input"


def test_429_waits_as_retry_after_says(stamped):
    server = stamped
    server.expect_ordered_request("/a").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    server.expect_ordered_request("/a").respond_with_data(PAGE, content_type="text/html")
    assert get(server.url_for("/a")).status == 200
    first, second = times_of(server, "/a")
    assert second - first >= 0.95


def test_500_then_success_is_retried(server):
    server.expect_ordered_request("/a").respond_with_data("oops", status=500)
    server.expect_ordered_request("/a").respond_with_data(PAGE, content_type="text/html")
    assert get(server.url_for("/a")).status == 200


def test_a_slow_server_times_out(server):
    answer = threading.Event()

    def slow(request):
        answer.wait(60)  # until the client has given up, however long that took on a loaded machine
        return Response(PAGE, content_type="text/html")

    server.expect_request("/slow").respond_with_handler(slow)
    url = server.url_for("/slow")
    try:
        with pytest.raises(FetchError) as caught:
            get(url, timeout=0.3, retries=0)
    finally:
        answer.set()
    assert str(caught.value) == f"{url} did not answer within 0.3 s (timeout): try again later"


def test_connection_refused_is_retried_then_one_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(FetchError, match=r"cannot connect to http://127\.0\.0\.1:\d+/a"):
        get(f"http://127.0.0.1:{port}/a", retries=1)


@pytest.mark.parametrize("allow_private", [True, False])
def test_a_name_that_does_not_resolve_is_a_dns_failure(allow_private):
    with pytest.raises(FetchError, match=r"cannot resolve nowhere\.invalid \(DNS failure\)"):
        get("http://nowhere.invalid/a", retries=0, allow_private=allow_private)


LIMIT = 64 * 1024


def test_a_body_over_the_cap_with_content_length_is_refused_unread(server):
    server.expect_request("/big").respond_with_data(b"a" * (LIMIT + 1), content_type="text/html")
    with pytest.raises(FetchError, match="is larger than 0 MiB"):
        get(server.url_for("/big"), max_bytes=LIMIT)


def test_a_streamed_body_over_the_cap_is_cut_while_reading(server):
    sent = []

    def endless(request):
        def chunks():
            for _ in range(10_000):  # 640 MB if nothing stopped it
                sent.append(1)
                yield b"a" * 65536

        return Response(chunks(), content_type="text/html")  # no Content-Length: chunked

    server.expect_request("/stream").respond_with_handler(endless)
    with pytest.raises(FetchError, match="larger than"):
        get(server.url_for("/stream"), max_bytes=LIMIT)
    assert len(sent) < 100


def test_gzip_that_inflates_over_the_cap_is_refused(server):
    bomb = gzip.compress(b"a" * (LIMIT * 50))
    assert len(bomb) < LIMIT
    server.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="larger than"):
        get(server.url_for("/bomb"), max_bytes=LIMIT)


def test_a_non_html_type_has_no_reader(server):
    server.expect_request("/img").respond_with_data(b"\x89PNG\r\n\x1a\n" + bytes(100), content_type="image/png")
    page = get(server.url_for("/img"))
    assert page.text is None
    with pytest.raises(FetchError, match=r"is image/png, which tsum cannot read as an article"):
        page_article(page)


def test_a_page_becomes_article_text_with_its_url(server):
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    text, kind = page_article(get(server.url_for("/a")))
    assert kind == "text"
    assert text.split("\n\n")[0].splitlines() == ["title: Møde", f"url: {server.url_for('/a')}"]
    assert "Æblerne blev høstet i går." in text


def test_the_rate_keeps_a_gap_between_requests_to_one_host(stamped):
    server = stamped
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    with Fetcher(FetchOptions(**{**FAST, "rate": 4})) as fetcher:
        for _ in range(4):
            fetcher.get(server.url_for("/a"))
    times = times_of(server, "/a")
    # Each request starts a full gap after the previous answer arrived, which came after the
    # server saw that request: so the server sees them at least a gap apart (no timing margin).
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.25


@pytest.mark.parametrize(
    "address, public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),  # cloud metadata
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("100.64.0.1", False),
        ("8.8.8.8", True),
        ("2a00:1450:4001:80b::200e", True),
    ],
)
def test_public_addresses(address, public):
    assert guard.is_public_address(address) is public


def test_private_addresses_are_refused_when_not_allowed(server):
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    with pytest.raises(BlockedAddressError, match="resolves to 127.0.0.1, a loopback, private"):
        get(server.url_for("/a"), allow_private=False)
    assert server.log == []  # refused before connecting
    assert get(server.url_for("/a"), allow_private=True).status == 200


def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch):
    """news.test counts as public here, intranet.test resolves to a loopback address: the
    redirect from one to the other is checked when its connection is made."""
    names = {"news.test": "127.0.0.1", "intranet.test": "127.0.0.2"}

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names.get(host, host), port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(guard, "is_public_address", lambda address: address == "127.0.0.1")
    port = server.port
    server.expect_request("/r").respond_with_data(
        "", status=302, headers={"Location": f"http://intranet.test:{port}/admin"}
    )
    with pytest.raises(BlockedAddressError, match="intranet.test resolves to 127.0.0.2"):
        get(f"http://news.test:{port}/r", allow_private=False)
    assert [entry[0].path for entry in server.log] == ["/r"]


@pytest.mark.parametrize(
    "url, name",
    [
        ("https://www.dr.dk/nyheder/indland/a-b", "www.dr.dk/nyheder/indland/a-b"),
        ("https://www.dr.dk/", "www.dr.dk/index"),
        ("https://www.dr.dk/a/?id=1", "www.dr.dk/a-" + __import__("hashlib").sha256(b"id=1").hexdigest()[:8]),
        ("http://127.0.0.1:8000/x/../æbler", "127.0.0.1_8000/x/_/æbler"),  # never a ".." in a name
    ],
)
def test_url_output_names(url, name):
    assert url_output_name(url) == name


def test_an_untrusted_certificate_is_a_tls_failure(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1"]
        + ["-subj", "/CN=127.0.0.1"],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with HTTPServer(host="127.0.0.1", port=0, ssl_context=context) as server:
        server.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
        url = server.url_for("/a")
        assert url.startswith("https://")
        with pytest.raises(
            FetchError, match=r"^TLS failure for https://127\.0\.0\.1:\d+/a \(.*CERTIFICATE_VERIFY_FAILED"
        ):
            get(url, retries=0)


def test_a_robots_txt_that_answers_5xx_disallows_the_site(server):
    server.expect_request("/robots.txt").respond_with_data("oops", status=503)
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    with pytest.raises(FetchError) as caught:
        get(server.url_for("/a"), robots=True, retries=1)
    origin = server.url_for("/").rstrip("/")
    assert str(caught.value) == (
        f"the robots.txt of {origin} answered HTTP 503, so the site counts as disallowing everything (RFC 9309): "
        "try again later, or pass --ignore-robots"
    )
    assert not [entry for entry in server.log if entry[0].path == "/a"]
