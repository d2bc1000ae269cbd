"""Middleware around every route: an access log that keeps secrets out, and CORS that answers JSON.

uvicorn's own access log writes the query string whole, and LibreTranslate clients
(deep-translator) send the article (``q``) and the ``api_key`` there; so uvicorn's is off and
this one logs each query parameter's name only.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qsl

from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response

# uvicorn configures this logger (format, level); a logger of our own would print nothing under it.
logger = logging.getLogger("uvicorn.error")


def redacted_query(query: bytes) -> str:
    """``q=...&api_key=...``: the names of the parameters, never their values."""
    if not query:
        return ""
    names = [name for name, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)]
    return "?" + "&".join(f"{name[:40]}=..." for name in names[:20]) + ("&..." if len(names) > 20 else "")


class AccessLog:
    """One line per request: client, method, path (query values left out), status, seconds."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees when the app raises before answering

        async def send_and_note(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            # scope["client"] is the peer, or the X-Forwarded-For address when uvicorn was told
            # to trust the proxy (--forwarded-allow-ips); the header itself is never logged.
            client = scope.get("client")
            path = scope["path"]  # with --root-path, uvicorn has put the prefix in front already
            logger.info(
                '%s - "%s %s%s" %d %.3fs',
                f"{client[0]}:{client[1]}" if client else "-",
                scope["method"],
                path,
                redacted_query(scope.get("query_string", b"")),
                status,
                time.perf_counter() - started,
            )


class JsonCORS(CORSMiddleware):
    """Starlette's CORS, with its refusal of a preflight in JSON like every other error."""

    def preflight_response(self, request_headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        reason = response.body.decode("utf-8", "replace") or "CORS request refused"
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
        return JSONResponse(
            {"error": f"{reason}: this server allows browser calls only from its --cors-origin origins"},
            status_code=response.status_code,
            headers=headers,
        )


class RootPath:
    """Serve under ``--root-path /tsum`` behind a proxy that strips the prefix or one that keeps it.

    uvicorn's own root_path assumes a stripping proxy (it prefixes every path); this accepts both
    ``/tsum/v1/...`` and ``/v1/...``, and ``/tsum`` itself is the page, as ``/tsum/`` is.
    """

    def __init__(self, app, root_path: str):
        self.app = app
        self.root = root_path.rstrip("/")

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and self.root:
            path = scope["path"]
            if path == self.root or path.startswith(self.root + "/"):
                path = path[len(self.root) :] or "/"
            full = self.root + path
            scope = {**scope, "root_path": self.root, "path": full, "raw_path": full.encode("utf-8")}
        await self.app(scope, receive, send)
