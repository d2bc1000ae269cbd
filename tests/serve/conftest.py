"""Fixtures every server test module shares; a module that needs other server options defines
its own ``server`` fixture (a module's fixture takes the place of this one)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, request) -> Path:
    """One folder per test module for its servers' caches and logs."""
    return tmp_path_factory.mktemp(request.module.__name__)


@pytest.fixture(scope="module")
def server(tiny_models, workdir, conversion_cache):
    """A server with the defaults: no key, no CORS, 1 MiB bodies."""
    from support.server import ready_server

    yield from ready_server(tiny_models, workdir, conversion_cache)
