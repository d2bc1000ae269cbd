"""Pinned registry and model resolution against a Hub-style cache built in tmp_path."""

from __future__ import annotations

import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

import huggingface_hub.constants as hf_constants
import pytest
from click.testing import CliRunner
from support.cli import timed_tsum
from support.common import EXAMPLE, hub_cache, not_available_message

from translate_summarize.cli.main import main
from translate_summarize.errors import ModelLoadError, ModelNotAvailableError
from translate_summarize.models.registry import MODELS, get_spec
from translate_summarize.models.resolve import resolve_model

# Far above the 5 s that benchmarks/offline_failure.py measures, far below the 25 s and more that
# huggingface_hub's retries take: a loaded machine cannot fail the test, a hang still does.
HUNG = 20


def test_every_model_is_pinned_to_a_full_commit():
    for spec in MODELS.values():
        assert re.fullmatch(r"[0-9a-f]{40}", spec.revision), spec.name
        assert spec.task in ("translation", "summary") and spec.license and "published" in spec.published_scores
    assert get_spec("Helsinki-NLP/opus-mt-da-en") is MODELS["opus-mt-da-en"]


def test_models_list_shows_revisions_and_cache_state(tiny_models):
    hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    result = CliRunner().invoke(main, ["models", "list"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert set(lines) == set(MODELS)
    for name, spec in MODELS.items():
        assert spec.revision in lines[name]
    assert "  yes     OPUS-MT Danish->English" in lines["opus-mt-da-en"]
    assert "  no      Distilled BART news summariser" in lines["distilbart-cnn-12-6"]
    rows = json.loads(CliRunner().invoke(main, ["models", "list", "--json"]).stdout)
    assert {r["name"]: r["cached"] for r in rows}["opus-mt-da-en"] is True
    assert {r["name"]: r["description"] for r in rows}["bart-large-cnn"].startswith("BART-large news summariser")


def test_resolution_uses_the_cache_at_the_pinned_revision_offline(tiny_models, monkeypatch):
    snapshot = hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = resolve_model("opus-mt-da-en")
    assert model.path == snapshot and model.revision == MODELS["opus-mt-da-en"].revision
    assert CliRunner().invoke(main, ["models", "path", "opus-mt-da-en", "--offline"]).stdout.strip() == str(snapshot)


def test_cached_model_runs_end_to_end_offline(tiny_models, monkeypatch):
    hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = CliRunner().invoke(main, [str(EXAMPLE), "--no-summary", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["models"]["translation"] == {
        "name": "opus-mt-da-en",
        "revision": MODELS["opus-mt-da-en"].revision,
    }


def test_incomplete_cache_is_not_used(tiny_models, monkeypatch):
    snapshot = hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    (snapshot / "pytorch_model.bin").unlink()
    with pytest.raises(ModelNotAvailableError):
        resolve_model("opus-mt-da-en", offline=True)


def test_offline_with_an_empty_cache_gives_one_actionable_line(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = CliRunner().invoke(main, [str(EXAMPLE)])
    assert result.exit_code == 3
    # Every model the run needs is named, not only the first.
    assert result.stderr == f"Error: {not_available_message([TRANSLATION, SUMMARY], offline=True)}\n"


TRANSLATION, SUMMARY = MODELS["opus-mt-da-en"], MODELS["distilbart-cnn-12-6"]


def unreachable(args) -> str:
    """What a command answers without the Hub: every model it needs, or for download what to do instead."""
    if args[:2] == ["models", "download"]:
        from translate_summarize.util.paths import tsum_cache_dir

        hub = hf_constants.HF_HUB_CACHE
        return (
            "the Hugging Face Hub (https://huggingface.co) cannot be reached from this machine, so model "
            "opus-mt-da-en cannot be downloaded here: on a connected machine run `tsum models export "
            "tsum-models.tar opus-mt-da-en`, copy tsum-models.tar here and run `tsum models import tsum-models.tar` "
            f"(it fills the Hugging Face cache {hub} and tsum's cache {tsum_cache_dir()}), or copy that machine's "
            f"Hugging Face cache into {hub}"
        )
    return not_available_message([TRANSLATION] if args[0] == "models" else [TRANSLATION, SUMMARY])


@pytest.mark.parametrize(
    "args",
    [[str(EXAMPLE)], ["models", "download", "opus-mt-da-en"], ["models", "path", "opus-mt-da-en"]],
    ids=["run", "download", "path"],
)
def test_unreachable_hub_with_an_empty_cache_answers_one_line_within_5_s(args):
    # The autouse fixture makes every name lookup and connection off this machine fail.
    result, elapsed = timed_tsum(*args)
    assert elapsed < HUNG  # bounded, not hung: benchmarks/offline_failure.py times it
    assert result.exit_code == 3
    assert result.stderr == f"Error: {unreachable(args)}\n"


def test_a_hub_behind_a_black_hole_is_given_up_within_5_s(monkeypatch):
    # A firewall that drops packets: connect() hangs until the test ends.
    released = threading.Event()

    def hang(sock, address):
        released.wait(60)
        raise OSError("dropped")

    monkeypatch.setattr(socket.socket, "connect", hang)
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.1", 443))],
    )
    try:
        result, elapsed = timed_tsum(str(EXAMPLE))
    finally:
        released.set()
    assert elapsed < HUNG  # bounded, not hung: benchmarks/offline_failure.py times it
    assert (result.exit_code, result.stderr) == (3, f"Error: {unreachable([str(EXAMPLE)])}\n")


# The same blocking as conftest's fixture, in a fresh process, so that stderr is the real one.
NO_NETWORK_TSUM = """
import socket, sys
def no_network(host, *args, **kwargs):
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
socket.getaddrinfo = no_network
from translate_summarize.cli.main import main
sys.argv[0] = "tsum"
main()
"""


def test_unreachable_hub_in_a_fresh_process_prints_exactly_one_line(tmp_path):
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "TSUM_CACHE_DIR": str(tmp_path / "tsum")}
    env.pop("HF_HUB_OFFLINE", None)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", NO_NETWORK_TSUM, str(EXAMPLE), "--lang", "en"], capture_output=True, text=True, env=env
    )
    assert time.monotonic() - start < HUNG  # bounded, not hung: benchmarks/offline_failure.py times it
    env_hub = tmp_path / "hf" / "hub"
    expected = not_available_message([TRANSLATION, SUMMARY]).replace(hf_constants.HF_HUB_CACHE, str(env_hub))
    expected = expected.replace(os.environ["TSUM_CACHE_DIR"], str(tmp_path / "tsum"))
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "", f"Error: {expected}\n")


def test_python_api_raises_the_same_error_as_fast():
    from translate_summarize import translate

    start = time.monotonic()
    with pytest.raises(ModelNotAvailableError) as raised:
        translate("De to lande mødtes onsdag.")
    assert time.monotonic() - start < HUNG  # bounded, not hung: benchmarks/offline_failure.py times it
    assert str(raised.value) == not_available_message([TRANSLATION])


def test_a_bug_during_download_is_not_reported_as_a_network_problem(monkeypatch):
    import huggingface_hub

    from translate_summarize.models import hub, resolve

    def broken(*args, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr(hub, "hub_reachable", lambda *args: True)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", broken)
    with pytest.raises(TypeError, match="a bug"):
        resolve.download_model(MODELS["opus-mt-da-en"])
    with pytest.raises(TypeError, match="a bug"):
        resolve_model("opus-mt-da-en")


def test_bad_names_and_directories(tmp_path):
    # An unknown name and a folder that does not exist are the same failure: exit 3 both.
    with pytest.raises(ModelNotAvailableError, match="unknown model 'nope'"):
        resolve_model("nope")
    with pytest.raises(ModelLoadError, match="no config.json"):
        resolve_model(tmp_path)
    with pytest.raises(ModelLoadError, match="does not exist"):
        resolve_model(str(tmp_path / "missing-dir"))


class _HubAnswering(http.server.BaseHTTPRequestHandler):
    """A stand-in Hub on 127.0.0.1 that answers every request with one status and error code."""

    status, error_code = 404, "RepoNotFound"

    def do_GET(self):
        self.send_response(self.status)
        self.send_header("X-Error-Code", self.error_code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "from the test hub"}')

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    ("status", "error_code", "message"),
    [
        (
            404,
            "RepoNotFound",
            "the Hub no longer has Helsinki-NLP/opus-mt-da-en@062063cf0ee1: the pinned revision may have been "
            "removed; pick another model (`tsum models list`) or pass a model directory",
        ),
        (
            500,
            "",
            "the Hub answered 500 while downloading Helsinki-NLP/opus-mt-da-en@062063cf0ee1: try again later, "
            "or copy the model cache from a machine that has it",
        ),
    ],
    ids=["gone", "server-error"],
)
def test_a_hub_that_answers_with_an_error_is_named_as_such(monkeypatch, status, error_code, message):
    import huggingface_hub.constants as hf_constants

    handler = type("Handler", (_HubAnswering,), {"status": status, "error_code": error_code})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(hf_constants, "ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    if status >= 500:  # huggingface_hub retries server errors with ~20 s of back-off: skip the waiting
        monkeypatch.setattr(time, "sleep", lambda seconds: None)
    try:
        result, elapsed = timed_tsum("models", "download", "opus-mt-da-en")
    finally:
        server.shutdown()
    assert (result.exit_code, result.stderr) == (3, f"Error: {message}\n")
    assert elapsed < HUNG  # bounded, not hung: benchmarks/offline_failure.py times it


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_models_list_fits_the_terminal_width(columns):
    result = CliRunner().invoke(main, ["models", "list"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + len(MODELS) and max(map(len, lines)) <= columns
    assert [line.split()[0] for line in lines[1:]] == list(MODELS)
    assert all(spec.revision[:12] in line for spec, line in zip(MODELS.values(), lines[1:]))


def test_models_list_json_gives_sizes_in_bytes(tiny_models):
    snapshot = hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    rows = {r["name"]: r for r in json.loads(CliRunner().invoke(main, ["models", "list", "--json"]).stdout)}
    cached = rows["opus-mt-da-en"]
    assert (cached["size"], cached["size_source"]) == (
        sum((snapshot / name).stat().st_size for name in MODELS["opus-mt-da-en"].files),
        "cache",
    )
    assert (rows["bart-large-cnn"]["size"], rows["bart-large-cnn"]["size_source"]) == (1_630_000_000, "published")
    assert all(isinstance(row["size"], int) for row in rows.values())
