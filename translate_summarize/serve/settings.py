"""How the server behaves (not what it computes): every default once, read by the CLI."""

from __future__ import annotations

from dataclasses import dataclass

INSTALL_HINT = 'the server needs the serve extra: pip install "translate-summarize[serve]"'


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    max_bytes: int = 1024 * 1024
    """Largest request body accepted; larger ones get 413 before they are read."""
    body_timeout: float = 30.0
    """Seconds a request body may stop arriving before the request gets 408."""
    max_queue: int = 256
    """Requests waiting for the models beyond which new ones get 503 with Retry-After."""
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    round_tokens: int = 16384
    """Source tokens one micro-batching round takes from the queue (the first request always
    fits): about 40 articles of 400 tokens, a few of the engine's token-budget batches."""
    gather_seconds: float = 0.02
    """Before a round, wait for as many requests as the last round took, while they keep
    arriving at most this far apart (see worker.py), ..."""
    gather_max_seconds: float = 0.05
    """... and this long at most."""
