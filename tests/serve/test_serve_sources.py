"""`tsum serve` reads documents and links: /v1/translate takes a file upload, and a URL only with
--allow-urls (private addresses only with --allow-private-urls). Pages come from a local server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from support.common import TRANSLATION_PAIRS, docx_bytes, odt_bytes

(D1, E1), (D2, E2) = TRANSLATION_PAIRS[:2]
PAGE = (
    "<!doctype html><html><head><title>Møde i Bruxelles</title></head><body><nav>Forside</nav>"
    f"<article><h1>Møde i Bruxelles</h1><p>{D1}</p><p>{D2}</p></article></body></html>"
)


@pytest.fixture(scope="module")
def plain(start_server):
    return start_server("--no-summary")


@pytest.fixture(scope="module")
def fetching(start_server):
    return start_server("--no-summary", "--allow-urls")


@pytest.fixture(scope="module")
def intranet(start_server):
    return start_server("--no-summary", "--allow-urls", "--allow-private-urls")


@pytest.fixture(scope="module")
def site():
    """A news site on 127.0.0.1: an article, a redirect to it, a 404."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/nyheder/artikel":
                body = PAGE.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/kort":
                self.send_response(302)
                self.send_header("Location", "/nyheder/artikel")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def upload(server, name: str, data: bytes, **fields) -> httpx.Response:
    return httpx.post(
        f"{server.url}/v1/translate", files={"file": (name, data)}, data={"summary": "false", **fields}, timeout=120
    )


@pytest.mark.parametrize("kind", ["txt", "html", "docx", "odt"])
def test_v1_translate_takes_a_document_upload(plain, kind):
    data = {
        "txt": f"{D1}\n\n{D2}\n".encode(),
        "html": PAGE.encode(),
        "docx": docx_bytes([D1, D2], heading="Pressemeddelelse") if kind == "docx" else b"",
        "odt": odt_bytes([D1, D2]) if kind == "odt" else b"",
    }[kind]
    response = upload(plain, f"artikel.{kind}", data)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["translation"].endswith(f"{E1}\n\n{E2}")
    assert result["summary"] is None


def test_upload_errors_are_json(plain):
    assert upload(plain, "a.exe", b"MZ").status_code == 422
    broken = upload(plain, "a.docx", b"not a zip")
    assert broken.status_code == 422 and broken.json()["error"].startswith("a.docx cannot be read")
    assert upload(plain, "a.txt", b"x", summary="maybe").json() == {"error": '"summary" must be true or false'}
    assert upload(plain, "a.txt", D1.encode(), lang="de").status_code == 400


def test_urls_are_refused_unless_allowed(plain, site):
    response = httpx.post(f"{plain.url}/v1/translate", json={"url": f"{site}/nyheder/artikel", "summary": False})
    assert response.status_code == 403
    assert "--allow-urls" in response.json()["error"]


def test_private_addresses_are_refused_even_with_allow_urls(fetching, site):
    for url in (f"{site}/nyheder/artikel", site.replace("127.0.0.1", "localhost") + "/nyheder/artikel"):
        response = httpx.post(f"{fetching.url}/v1/translate", json={"url": url, "summary": False}, timeout=60)
        assert response.status_code == 403, response.text
        assert "public addresses only" in response.json()["error"]


def test_allow_private_urls_fetches_the_article(intranet, site):
    for path in ("/nyheder/artikel", "/kort"):  # directly, and through a redirect
        response = httpx.post(f"{intranet.url}/v1/translate", json={"url": site + path, "summary": False}, timeout=120)
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["translation"].endswith(f"{E1}\n\n{E2}")
        assert result["metadata"].get("title") == "Møde i Bruxelles"
    missing = httpx.post(f"{intranet.url}/v1/translate", json={"url": site + "/mangler", "summary": False})
    assert missing.status_code == 422 and "404" in missing.json()["error"]
