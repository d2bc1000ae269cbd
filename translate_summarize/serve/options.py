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
    """Seconds from a request's start by which its whole body must have arrived, else 408."""
    max_queue: int = 256
    """Requests waiting for the models beyond which new ones get 503 with Retry-After."""
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    char_limit: int = -1
    """LibreTranslate's --char-limit: characters per text on its routes (-1: only --max-bytes)."""
    batch_limit: int = 64
    """LibreTranslate's --batch-limit: texts in one list ``q`` (-1: no limit)."""
    root_path: str = ""
    """The path prefix a reverse proxy serves the app under (``/tsum``)."""
    forwarded_allow_ips: str | None = None
    """Proxies whose X-Forwarded-For is believed (uvicorn's option); None: the header is ignored."""
    allow_urls: bool = False
    """/v1/translate fetches ``{"url": ...}`` for its clients (a request-forgery risk: off by default)."""
    allow_private_urls: bool = False
    """With allow_urls: fetch loopback, private, link-local and multicast addresses too."""
    file_ttl: float = 600.0
    """Seconds a translated file of /translate_file stays downloadable."""
    file_space: int = 64 * 1024 * 1024
    """Bytes of translated files kept at once; the oldest go first."""
    round_tokens: int = 16384
    """Source tokens one micro-batching round takes from the queue (the first request always
    fits): about 40 articles of 400 tokens, a few of the engine's token-budget batches."""
    gather_seconds: float = 0.02
    """Before a round, wait for as many requests as the last round took, while they keep
    arriving at most this far apart (see worker.py), ..."""
    gather_max_seconds: float = 0.05
    """... and this long at most."""
