"""Waiting for something that happens in another process or thread, with a deadline.

A test that must show something did *not* happen polls for it until a deadline instead of sleeping
and then asserting once: the deadline bounds the wait, and a failure shows up as soon as it exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float = 30, interval: float = 0.02, what: str = "") -> T:
    """Call ``condition`` until it returns something truthy and return that; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {timeout} s: {what or condition}")
        time.sleep(interval)


def stays_false(condition: Callable[[], object], duration: float, interval: float = 0.02) -> bool:
    """True when ``condition`` never became truthy during ``duration`` s (checked every ``interval``)."""
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        if condition():
            return False
        time.sleep(interval)
    return not condition()
