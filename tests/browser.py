"""Moved to ``support.browser``; this name stays until every test imports from there."""

from support.browser import *  # noqa: F403
