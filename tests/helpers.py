"""Moved to ``support.common``; this name stays until every test imports from there."""

from support.common import *  # noqa: F403
