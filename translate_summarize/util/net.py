"""One network question tsum asks before handing a connection to a library: does it answer?"""

from __future__ import annotations


def tcp_reachable(host: str, port: int, timeout: float) -> bool:
    """Whether a TCP connection to (``host``, ``port``) opens within ``timeout`` seconds.

    Libraries retry a dead address for a long time (huggingface_hub about 25 s, Ray longer);
    this answers in at most ``timeout``. It runs in a daemon thread because
    ``socket.create_connection``'s timeout does not cover the name lookup, which can hang.
    """
    import socket
    import threading

    outcome: list[bool] = []

    def connect() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                outcome.append(True)
        except OSError:
            outcome.append(False)

    thread = threading.Thread(target=connect, name="tsum-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(outcome and outcome[0])
