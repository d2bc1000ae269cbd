"""Moved to ``support.cli``; this name stays until every test imports from there."""

from support.cli import *  # noqa: F403
