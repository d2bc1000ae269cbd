"""Shared fixtures: tiny real models, an isolated cache and no network."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLE, ROOT, TRANSLATION_PAIRS, builder, check_tsum_json, known_article

__all__ = ["EXAMPLE", "ROOT", "TRANSLATION_PAIRS", "builder", "known_article"]


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """A trained tiny MarianMT and a tiny BART, built once per test session (~15-60 s).

    Developers may set TSUM_TEST_MODELS to a folder that ``scripts/make_test_models.py`` filled
    (it is built there when empty) to share the models between test sessions; CI builds fresh.
    """
    shared = os.environ.get("TSUM_TEST_MODELS")
    if shared:
        folder = Path(shared)
        paths = {"translation": folder / "translation", "summary": folder / "summary"}
        if all((p / "config.json").is_file() for p in paths.values()):
            return paths
        return builder.make_test_models(folder)
    return builder.make_test_models(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def conversion_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tsum-cache")


_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if self.family == socket.AF_UNIX or host in ("127.0.0.1", "::1", "localhost"):
        return _real_connect(self, address)
    raise OSError(f"tests must not use the network (tried to reach {address})")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path, conversion_cache):
    """HF_HOME and tsum's caches in tmp dirs; any connection off this machine fails."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    # The CTranslate2 conversions of the session's tiny models are shared between tests.
    monkeypatch.setenv("TSUM_CACHE_DIR", str(conversion_cache))
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    monkeypatch.setattr(socket, "getaddrinfo", _fake_getaddrinfo)
    import huggingface_hub.constants as hf_constants

    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(tmp_path / "hf-home" / "hub"))
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", False)


_real_getaddrinfo = socket.getaddrinfo


def _fake_getaddrinfo(host, *args, **kwargs):
    if host in ("127.0.0.1", "::1", "localhost", None):
        return _real_getaddrinfo(host, *args, **kwargs)
    raise socket.gaierror(f"tests must not use the network (looked up {host})")


_real_loads = json.loads


def _loads_checked(text, *args, **kwargs):
    """json.loads, and when a test (or its HTTP client) parses tsum's JSON, its schema check.
    tsum's own parsing (its journal, JSON archives) is left alone: tests plant damaged records there."""
    data = _real_loads(text, *args, **kwargs)
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("json"):
        frame = frame.f_back  # json.load -> json.loads
    if frame is None or not frame.f_globals.get("__name__", "").startswith("translate_summarize"):
        check_tsum_json(data)
    return data


@pytest.fixture(autouse=True)
def tsum_json_follows_its_schema(monkeypatch):
    """Every JSON output and results.jsonl record that tsum makes in the test process, and every
    one a test parses (json.loads, which httpx's ``.json()`` calls too; outputs of tsum run as a
    process or a server included), must validate against the schemas the package ships."""
    from translate_summarize.batch.results import Record
    from translate_summarize.core.pipeline import ArticleResult

    to_dict, to_json = ArticleResult.to_dict, Record.to_json

    def checked_to_dict(self):
        data = to_dict(self)
        check_tsum_json(data)
        return data

    def checked_to_json(self):
        text = to_json(self)
        check_tsum_json(_real_loads(text))
        return text

    monkeypatch.setattr(ArticleResult, "to_dict", checked_to_dict)
    monkeypatch.setattr(Record, "to_json", checked_to_json)
    monkeypatch.setattr(json, "loads", _loads_checked)


@pytest.fixture
def model_args(tiny_models) -> list[str]:
    return ["--translation-model", str(tiny_models["translation"]), "--summary-model", str(tiny_models["summary"])]
