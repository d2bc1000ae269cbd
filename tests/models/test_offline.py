"""Machines without the Hub: one line within 5 s for every kind of stall, and models carried in a file.

The stalls are real listeners on 127.0.0.1 (one that accepts and never answers, one that sends
headers and then stalls); the export and import run end to end with the tiny models laid out in a
Hub-style cache. How long a stall takes to report is measured by benchmarks/offline_failure.py.
"""

from __future__ import annotations

import json
import socket
import tarfile
import threading
import time
from pathlib import Path

import huggingface_hub.constants as hf_constants
import pytest
from click.testing import CliRunner
from support.cli import timed_tsum
from support.common import EXAMPLE, hub_cache, not_available_message

from translate_summarize.cli.main import main
from translate_summarize.models.registry import MODELS

TRANSLATION, SUMMARY = MODELS["opus-mt-da-en"], MODELS["distilbart-cnn-12-6"]


class Listener:
    """A TCP server on 127.0.0.1 that accepts connections and answers each with ``reply`` (maybe
    nothing), then holds the connection open without another byte until the test ends."""

    def __init__(self, reply: bytes = b"", answer_probe: bytes | None = None):
        self.reply, self.answer_probe = reply, answer_probe
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.stop = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self.stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.held.append(connection)
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        if self.answer_probe is not None:
            request = connection.recv(65536)
            if b"/api/models/" in request and b"/revision/" in request:
                connection.sendall(self.answer_probe)
                return
        if self.reply:
            connection.sendall(self.reply)

    def close(self) -> None:
        self.stop.set()
        for connection in self.held:
            connection.close()
        self.server.close()


@pytest.fixture
def listener(monkeypatch, request):
    reply, scheme = request.param
    server = Listener(reply)
    monkeypatch.setattr(hf_constants, "ENDPOINT", f"{scheme}://127.0.0.1:{server.port}")
    yield server
    server.close()


HEADERS_THEN_STALL = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"id":'


@pytest.mark.parametrize(
    "listener",
    [(b"", "http"), (b"", "https"), (HEADERS_THEN_STALL, "http")],
    ids=["accepts-never-answers", "tls-handshake-stalls", "headers-then-stall"],
    indirect=True,
)
def test_a_hub_that_stalls_gets_one_line_naming_every_model_within_5_s(listener):
    result, elapsed = timed_tsum(str(EXAMPLE))
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == f"Error: {not_available_message([TRANSLATION, SUMMARY], endpoint=hf_constants.ENDPOINT)}\n"
    # Not a timing test (benchmarks/offline_failure.py measures the 5-s promise): this only tells a
    # bounded wait (about PROBE_TIMEOUT_S) from the hang it replaced (killed at 330 s).
    assert elapsed < 60


def test_a_hub_that_stalls_after_answering_the_probe_is_given_up(monkeypatch):
    """The probe answered, then the download's next call stalls: the read timeout ends it."""
    from translate_summarize.models import hub

    body = json.dumps({"id": TRANSLATION.repo_id, "sha": TRANSLATION.revision, "siblings": []}).encode()
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    server = Listener(answer_probe=answer)
    monkeypatch.setattr(hf_constants, "ENDPOINT", f"http://127.0.0.1:{server.port}")
    monkeypatch.setattr(hub, "READ_TIMEOUT_S", 1.0)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # huggingface_hub's back-off between retries
    try:
        result, elapsed = timed_tsum("models", "download", "opus-mt-da-en")
    finally:
        server.close()
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"Error: the Hugging Face Hub ({hf_constants.ENDPOINT}) cannot be reached")
    assert result.stderr.count("\n") == 1 and elapsed < 60  # bounded, not hung (see above)


def test_models_download_offline_says_what_to_do_instead(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = CliRunner().invoke(main, ["models", "download"])
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "Error: offline mode is on (HF_HUB_OFFLINE=1), so models opus-mt-da-en, distilbart-cnn-12-6 cannot be "
        "downloaded: unset HF_HUB_OFFLINE to download them, or on a connected machine run "
        "`tsum models export tsum-models.tar opus-mt-da-en distilbart-cnn-12-6`"
    )
    assert "tsum models download" not in result.stderr


def _machine(monkeypatch, root: Path) -> None:
    """Point the Hugging Face cache and tsum's cache at ``root`` (another machine's disks)."""
    monkeypatch.setenv("HF_HOME", str(root / "hf-home"))
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(root / "hf-home" / "hub"))
    monkeypatch.setenv("TSUM_CACHE_DIR", str(root / "tsum-cache"))


@pytest.fixture
def exported(tiny_models, tmp_path, monkeypatch) -> tuple[Path, dict]:
    """`tsum models export` on a "connected" machine whose cache holds the tiny models; and its output."""
    _machine(monkeypatch, tmp_path / "connected")
    hub_cache(TRANSLATION, tiny_models["translation"])
    hub_cache(SUMMARY, tiny_models["summary"])
    file = tmp_path / "transfer" / "tsum-models.tar"
    result = CliRunner().invoke(main, ["models", "export", str(file)])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[-1] == f"wrote {file}: on the offline machine run `tsum models import {file.name}`"
    )
    reference = CliRunner().invoke(main, [str(EXAMPLE), "--format", "json", "--offline"])
    assert reference.exit_code == 0, reference.output
    _machine(monkeypatch, tmp_path / "offline")
    return file, json.loads(reference.stdout)


def test_export_then_import_makes_tsum_work_offline(exported):
    file, reference = exported
    before = CliRunner().invoke(main, [str(EXAMPLE)])
    assert before.exit_code == 3 and "opus-mt-da-en" in before.stderr and "distilbart-cnn-12-6" in before.stderr
    with tarfile.open(file) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert [(m["name"], m["revision"]) for m in manifest["models"]] == [
        (TRANSLATION.name, TRANSLATION.revision),
        (SUMMARY.name, SUMMARY.revision),
    ]
    assert all(len(f["sha256"]) == 64 for m in manifest["models"] for f in m["files"] + m["conversion"]["files"])

    result = CliRunner().invoke(main, ["models", "import", str(file)])
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [TRANSLATION.name, SUMMARY.name]
    listing = {
        row["name"]: row["cached"] for row in json.loads(CliRunner().invoke(main, ["models", "list", "--json"]).stdout)
    }
    assert listing[TRANSLATION.name] and listing[SUMMARY.name]

    after = CliRunner().invoke(main, [str(EXAMPLE), "--format", "json", "--offline"])
    assert after.exit_code == 0, after.output
    assert "Converting" not in after.stderr  # the imported conversions are used, not made again
    output = json.loads(after.stdout)
    assert output["translation"] == reference["translation"] and output["summary"] == reference["summary"]
    assert output["models"]["translation"]["revision"] == TRANSLATION.revision


def _damage_member(file: Path, name_end: str) -> None:
    with tarfile.open(file) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(name_end))
    with open(file, "r+b") as handle:
        handle.seek(member.offset_data + member.size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.parametrize(
    "damage, reason",
    [
        (
            lambda f: _damage_member(f, "opus-mt-da-en/pytorch_model.bin"),
            "models/opus-mt-da-en/pytorch_model.bin does not match its SHA-256 in the manifest",
        ),
        (lambda f: _damage_member(f, "/model.bin"), "does not match its SHA-256 in the manifest"),
        (lambda f: f.write_bytes(f.read_bytes()[: f.stat().st_size // 2]), "ReadError"),
        (lambda f: f.write_text("not a tar file"), "ReadError"),
    ],
    ids=["checkpoint-byte", "conversion-byte", "truncated", "not-a-tar"],
)
def test_a_damaged_export_is_refused_and_nothing_is_placed(exported, tmp_path, damage, reason):
    file, _ = exported
    damage(file)
    result = CliRunner().invoke(main, ["models", "import", str(file)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {file} is damaged or not a tsum models export (")
    assert reason in result.stderr and result.stderr.count("\n") == 1
    hub = tmp_path / "offline" / "hf-home" / "hub"
    assert not list(hub.glob("models--*")) and not list(hub.glob(".tsum-import-*"))
    assert not [p for p in (tmp_path / "offline" / "tsum-cache" / "ctranslate2").iterdir()]


def test_importing_a_missing_file_or_folder_is_an_input_error(tmp_path):
    result = CliRunner().invoke(main, ["models", "import", str(tmp_path / "nope.tar")])
    assert (result.exit_code, result.stderr.count("\n")) == (2, 1)
    assert result.stderr.startswith(f"Error: cannot read {tmp_path / 'nope.tar'} (No such file or directory)")
