"""The servers the server test modules share. Each module gets its own (module scope); a module that
needs other options starts one with ``start_server`` in its own fixture, or defines a fixture of
the same name (a module's fixture takes the place of this one)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest
from support.server import API_KEY, BEARER, ORIGIN, serving


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, request) -> Path:
    """One folder per test module for its servers' caches and logs."""
    return tmp_path_factory.mktemp(request.module.__name__)


@pytest.fixture(scope="module")
def start_server(tiny_models, workdir, conversion_cache):
    """``start_server(*options, headers=None)``: a ready `tsum serve` with those options; every
    server a module starts this way is stopped after its last test."""
    with ExitStack() as servers:

        def start(*options: str, headers: dict | None = None):
            return servers.enter_context(serving(tiny_models, workdir, conversion_cache, *options, headers=headers))

        yield start


@pytest.fixture(scope="module")
def server(start_server):
    """A server with the defaults: no key, no CORS, 1 MiB bodies."""
    return start_server()


@pytest.fixture(scope="module")
def keyed(start_server):
    """A server that needs the API key, the defaults otherwise."""
    return start_server("--api-key", API_KEY, headers=BEARER)


@pytest.fixture(scope="module")
def locked(start_server):
    """An API key, a small body limit, a queue of one, one CORS origin, no summariser, Danish only."""
    options = ["--api-key", API_KEY, "--max-bytes", "8192", "--max-queue", "1", "--cors-origin", ORIGIN]
    return start_server(*options, "--no-summary", "--other-language", "fail", headers=BEARER)
