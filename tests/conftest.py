"""Shared fixtures: tiny real models, an isolated cache and no network."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from helpers import EXAMPLE, ROOT, TRANSLATION_PAIRS, builder, known_article

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


@pytest.fixture
def model_args(tiny_models) -> list[str]:
    return ["--translation-model", str(tiny_models["translation"]), "--summary-model", str(tiny_models["summary"])]
