"""Network questions tsum asks before handing a connection to a library: does it answer, in time?"""

from __future__ import annotations

from collections.abc import Callable


def answers_within(
    probe: Callable[[], bool], timeout: float, errors: tuple[type[BaseException], ...] = (OSError,)
) -> bool:
    """``probe()``'s answer if it comes within ``timeout`` seconds; False if late or if it raised one of ``errors``.

    The probe runs in a daemon thread, so that no step of it can hold the caller longer than
    ``timeout``: socket timeouts do not cover the name lookup, and libraries' own timeouts are
    per phase (connect, then each read), not for the whole exchange. A late probe is left to
    end on its own timeouts.
    """
    import threading

    outcome: list[bool] = []

    def run() -> None:
        try:
            outcome.append(bool(probe()))
        except errors:
            outcome.append(False)

    thread = threading.Thread(target=run, name="tsum-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(outcome and outcome[0])


def tcp_reachable(host: str, port: int, timeout: float) -> bool:
    """Whether a TCP connection to (``host``, ``port``) opens within ``timeout`` seconds.

    Libraries retry a dead address for a long time (Ray for minutes); this answers in at most
    ``timeout``.
    """
    import socket

    def connect() -> bool:
        with socket.create_connection((host, port), timeout=timeout):
            return True

    return answers_within(connect, timeout)
