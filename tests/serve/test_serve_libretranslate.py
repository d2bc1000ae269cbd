"""`tsum serve` as a drop-in LibreTranslate: real clients (npm, deep-translator, libretranslatepy)
and its API surface (html, files, settings, health, /spec, limits, statuses)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from support.common import TRANSLATION_PAIRS, docx_bytes, odt_bytes
from support.server import API_KEY, ROOT

DA, EN = TRANSLATION_PAIRS[4]
NPM_FOLDER = ROOT / ".ci" / "npm"  # .ci/run installs the npm client here; the test does when it is missing
NPM_CLIENT = "libretranslate@1.0.1"


@pytest.fixture(scope="module")
def server(start_server):
    """No key; LibreTranslate's limits set low enough to reach."""
    return start_server("--char-limit", "300", "--batch-limit", "4")


# -- real clients -----------------------------------------------------------------------------------


def npm_client() -> Path:
    """The npm package `libretranslate`, installed with npm into a folder the tests own."""
    module = NPM_FOLDER / "node_modules" / "libretranslate"
    if not module.is_dir():
        npm = shutil.which("npm")
        assert npm, "npm is not installed (apt-get install npm): the npm client test needs it"
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NPM_FOLDER), NPM_CLIENT],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return module


def test_the_npm_libretranslate_client_works(server):
    """Its first call is GET /languages with a JSON Content-Type and no body: never parsed as JSON."""
    module = npm_client()
    script = (
        f"const {{translate}} = require({json.dumps(str(module))});"
        f"translate({{query: {json.dumps(DA)}, source: 'da', target: 'en', apiurl: {json.dumps(server.url)}}})"
        ".then((t) => console.log(JSON.stringify(t))).catch((e) => { console.error(String(e)); process.exit(1); });"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == EN
    # The same first call by hand: a JSON Content-Type and no body is no invalid JSON.
    languages = httpx.get(f"{server.url}/languages", headers={"Content-Type": "application/json"})
    assert languages.status_code == 200 and languages.json()[0]["code"] == "da"


def test_deep_translator_with_a_custom_url(server, keyed):
    import deep_translator as deep

    # deep-translator insists on some key; a server without --api-key takes any.
    anonymous = deep.LibreTranslator(source="auto", target="en", api_key="unused", custom_url=server.url + "/")
    assert anonymous.translate(DA) == EN
    pairs = TRANSLATION_PAIRS[:3]
    assert anonymous.translate_batch([d for d, _ in pairs]) == [e for _, e in pairs]
    # Its language list has no Danish: "auto" is how its users reach a Danish model.
    with_key = deep.LibreTranslator(source="auto", target="en", api_key=API_KEY, custom_url=keyed.url + "/")
    assert with_key.translate(DA) == EN
    wrong = deep.LibreTranslator(source="auto", target="en", api_key="wrong", custom_url=keyed.url + "/")
    with pytest.raises(deep.exceptions.AuthorizationException):  # our 403, as LibreTranslate answers
        wrong.translate(DA)


def test_libretranslatepy_translate_detect_languages(keyed):
    from libretranslatepy import LibreTranslateAPI

    client = LibreTranslateAPI(keyed.url, api_key=API_KEY)
    assert client.translate(DA, "da", "en") == EN
    assert client.detect("Politiet efterlyser vidner til ulykken.")[0]["language"] == "da"
    assert {"code": "da", "name": "Danish", "targets": ["en"]} in client.languages()
    # /languages needs no key (clients call it before they know of keys).
    assert LibreTranslateAPI(keyed.url).languages()[0]["code"] == "da"


# -- format html ----------------------------------------------------------------------------------


def test_html_keeps_the_markup_and_translates_the_text(server):
    fragment = httpx.post(
        f"{server.url}/translate", json={"q": f"<b>{DA}</b>", "source": "da", "target": "en", "format": "html"}
    )
    assert fragment.status_code == 200, fragment.text
    assert fragment.json() == {"translatedText": f"<b>{EN}</b>"}
    (d1, e1), (d2, e2) = TRANSLATION_PAIRS[:2]
    page = (
        f'<div class="article" title="Overskrift"><p>{d1}</p>\n<p><a href="/x?a=1&amp;b=2">{d2}</a> &amp;</p>'
        "<!-- kommentar --><script>var s = 'Banken hæver renten.';</script><style>p { color: red }</style>&nbsp;</div>"
    )
    answer = httpx.post(
        f"{server.url}/translate", json={"q": page, "source": "da", "target": "en", "format": "html"}
    ).json()["translatedText"]
    assert answer == (
        f'<div class="article" title="Overskrift"><p>{e1}</p>\n<p><a href="/x?a=1&amp;b=2">{e2}</a> &amp;</p>'
        "<!-- kommentar --><script>var s = 'Banken hæver renten.';</script><style>p { color: red }</style>&nbsp;</div>"
    )


# -- files ------------------------------------------------------------------------------------------


def _pdf(paragraphs: list[str], tmp_path: Path) -> bytes:
    """A real PDF: LibreOffice prints the .docx (as a newsroom's press release would be made)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    source = tmp_path / "udgivelse.docx"
    source.write_bytes(docx_bytes(paragraphs))
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "udgivelse.pdf").read_bytes()


def _translate_file(server, name: str, data: bytes, **fields) -> httpx.Response:
    return httpx.post(
        f"{server.url}/translate_file",
        files={"file": (name, data)},
        data={"source": "da", "target": "en", **fields},
        timeout=120,
    )


@pytest.mark.parametrize("kind", ["txt", "html", "docx", "odt"])
def test_translate_file_and_download_it(server, kind, tmp_path):
    (d1, e1), (d2, e2) = TRANSLATION_PAIRS[:2]
    data = {
        "txt": f"{d1}\n\n{d2}\n".encode(),
        "html": f"<!DOCTYPE html><html><body><p>{d1}</p><p>{d2}</p></body></html>".encode(),
        "docx": docx_bytes([d1, d2]) if kind == "docx" else b"",
        "odt": odt_bytes([d1, d2]) if kind == "odt" else b"",
    }[kind]
    response = _translate_file(server, f"artikel.{kind}", data)
    assert response.status_code == 200, response.text
    url = response.json()["translatedFileUrl"]
    assert url.startswith(server.url + "/download_file/")
    download = httpx.get(url)
    assert download.status_code == 200
    expected_name = "artikel.html" if kind == "html" else "artikel.txt"
    assert download.headers["content-disposition"] == f'attachment; filename="{expected_name}"'
    if kind == "html":  # the markup kept, the text translated
        assert download.text.startswith("<!DOCTYPE html>") and f"<p>{e1}</p><p>{e2}</p>" in download.text
    else:
        assert download.text.split() == f"{e1}\n\n{e2}".split()


def test_translate_file_reads_a_real_pdf_and_returns_text(server, tmp_path):
    (d1, e1), (d2, e2) = TRANSLATION_PAIRS[:2]
    response = _translate_file(server, "udgivelse.pdf", _pdf([d1, d2], tmp_path))
    assert response.status_code == 200, response.text
    download = httpx.get(response.json()["translatedFileUrl"])
    assert download.headers["content-disposition"] == 'attachment; filename="udgivelse.txt"'
    assert e1 in download.text and e2 in download.text


def test_download_names_cannot_be_guessed_or_traversed(server):
    url = _translate_file(server, "../../etc/passwd.txt", DA.encode()).json()["translatedFileUrl"]
    name = url.rsplit("/", 1)[1]
    assert name.endswith(".passwd.txt") and "/" not in name and len(name.split(".")[0]) >= 22
    for other in ("passwd.txt", "..%2F..%2Fetc%2Fpasswd", name[1:], name.upper(), "%2e%2e"):
        response = httpx.get(f"{server.url}/download_file/{other}")
        assert response.status_code == 404 and "error" in response.json()
    assert httpx.get(url).text.strip() == EN


@pytest.mark.parametrize(
    ("files", "data", "message"),
    [
        ({"file": ("a.exe", b"MZ")}, {"source": "da", "target": "en"}, "Invalid request: file format not supported"),
        ({"file": ("a.txt", DA.encode())}, {"target": "en"}, "Invalid request: missing source parameter"),
        (None, {"source": "da", "target": "en", "q": "x"}, "Invalid request: missing file parameter"),
        ({"file": ("a.docx", b"not a zip")}, {"source": "da", "target": "en"}, "a.docx cannot be read"),
    ],
)
def test_translate_file_errors(server, files, data, message):
    response = httpx.post(f"{server.url}/translate_file", files=files or {"q": (None, "x")}, data=data)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith(message)


def test_the_key_is_checked_before_the_body_is_parsed(keyed):
    broken = {"Content-Type": "application/json"}
    assert httpx.post(f"{keyed.url}/v1/translate", content=b"{not json", headers=broken).status_code == 401
    assert httpx.post(f"{keyed.url}/translate?api_key=x", content=b"{not json", headers=broken).status_code == 403
    assert httpx.post(f"{keyed.url}/translate_file?api_key=x", content=b"--", headers=broken).status_code == 403


def test_translate_file_needs_the_key(keyed):
    files = {"file": ("a.txt", DA.encode())}
    lt = {"source": "da", "target": "en"}
    assert httpx.post(f"{keyed.url}/translate_file", files=files, data=lt).status_code == 400
    assert httpx.post(f"{keyed.url}/translate_file", files=files, data={**lt, "api_key": "x"}).status_code == 403
    ok = httpx.post(f"{keyed.url}/translate_file", files=files, data={**lt, "api_key": API_KEY}, timeout=120)
    assert ok.status_code == 200 and httpx.get(ok.json()["translatedFileUrl"]).text.strip() == EN


# -- settings, health, spec, limits -----------------------------------------------------------------


def test_frontend_settings_and_health(server, keyed):
    settings = httpx.get(f"{server.url}/frontend/settings").json()
    assert settings["charLimit"] == 300 and settings["keyRequired"] is False and settings["suggestions"] is False
    assert settings["frontendTimeout"] > 0 and settings["apiKeys"] is False
    assert {".txt", ".html", ".docx", ".odt", ".pdf"} <= set(settings["supportedFilesFormat"])
    assert settings["language"] == {
        "source": {"code": "da", "name": "Danish"},
        "target": {"code": "en", "name": "English"},
    }
    assert httpx.get(f"{keyed.url}/frontend/settings").json()["keyRequired"] is True
    assert httpx.get(f"{keyed.url}/health").json() == {"status": "ok"}  # no key needed, as LibreTranslate


def test_spec_is_a_valid_openapi_document_of_every_route(server):
    import openapi_spec_validator as validator
    from starlette.routing import Route

    from translate_summarize.serve import create_app

    spec = httpx.get(f"{server.url}/spec").json()
    validator.validate(spec)
    routes = {route.path for route in create_app().routes if isinstance(route, Route)}
    assert set(spec["paths"]) == routes


def test_char_and_batch_limits(server):
    long = httpx.post(f"{server.url}/translate", json={"q": "a" * 301, "source": "da", "target": "en"})
    assert long.status_code == 400
    assert long.json() == {"error": "Invalid request: request (301) exceeds text limit (300) (--char-limit)"}
    many = httpx.post(f"{server.url}/translate", json={"q": [DA] * 5, "source": "da", "target": "en"})
    assert many.status_code == 400
    assert many.json() == {"error": "Invalid request: request (5) exceeds text limit (4) (--batch-limit)"}
    four = httpx.post(f"{server.url}/translate", json={"q": [DA] * 4, "source": "da", "target": "en"}, timeout=60)
    assert four.json() == {"translatedText": [EN] * 4}


@pytest.mark.parametrize(
    "body",
    [
        b'{"q": "Hej", "source": "da", "target": "en", "alternatives": ' + b"9" * 4301 + b"}",
        b'{"q": "Hej", "source": "da", "target": "en", "alternatives": 1e400}',
        b'{"q": "Hej", "source": "da", "target": "en", "alternatives": NaN}',
        b'{"q": "Hej", "source": "da", "target": "en", "alternatives": -Infinity}',
    ],
    ids=["4301-digits", "1e400", "NaN", "-Infinity"],
)
def test_huge_json_numbers_are_400(server, body):
    response = httpx.post(f"{server.url}/translate", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"].startswith("invalid JSON: ")


def test_a_million_digit_summary_is_400(server):
    body = b'{"text": "Hej", "summary": ' + b"1" * 1_000_000 + b"}"
    response = httpx.post(
        f"{server.url}/v1/translate", content=body, headers={"Content-Type": "application/json"}, timeout=60
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid JSON: a number has over 64 digits"}


def test_translated_files_are_kept_for_a_bounded_time_and_space(monkeypatch):
    from translate_summarize.serve import files

    clock = [1000.0]
    monkeypatch.setattr(files.time, "monotonic", lambda: clock[0])
    store = files.FileStore(ttl=60, space=10)
    try:
        first = store.put(b"12345", "a.txt")
        second = store.put(b"67890", "b.txt")
        assert store.get(first).path.read_bytes() == b"12345" and store.get(second) is not None
        clock[0] += 1
        third = store.put(b"abc", "c.txt")  # 13 bytes > 10: the oldest goes
        assert store.get(first) is None and store.get(second) is not None and store.get(third) is not None
        folder = store.get(third).path.parent
        assert sorted(p.name for p in folder.iterdir()) == sorted([second, third])
        clock[0] += 61
        assert store.get(second) is None and store.get(third) is None  # expired
        assert list(folder.iterdir()) == []
    finally:
        store.close()
    assert not folder.exists()
