"""Moved to ``support.server``; this name stays until every test imports from there."""

from support.server import *  # noqa: F403
