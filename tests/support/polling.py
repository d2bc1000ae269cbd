"""Waiting for something that happens in another process or thread, with a deadline.

Poll with a deadline rather than sleep a guessed time. To show that something did *not* happen,
wait for a later event that would come after it (the next request's log line, the process's exit)
and then assert: a sleep followed by an assertion passes on a slow machine for the wrong reason.
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
