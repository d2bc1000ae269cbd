"""HTTP plumbing shared by every route: the error type, the body limit, reading bodies and parameters.

Nothing here knows about models or routes: it turns a request into checked Python values, or
into an :class:`ApiError` that the error handlers (errors.py) answer as JSON.
"""

from __future__ import annotations

import asyncio
import json
import math
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse


class ApiError(Exception):
    """An answer other than 200, with a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class BodyTooLarge(Exception):
    pass


class BodyTimeout(Exception):
    pass


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def too_large_message(max_bytes: int) -> str:
    return f"the request body is over the server's limit of {max_bytes} bytes (--max-bytes)"


class BodyLimit:
    """Refuse bodies over ``max_bytes``: by Content-Length before reading, and by counting while reading.

    A body that has not arrived in full ``timeout`` seconds after the request began is refused
    too (408): uvicorn has no such timeout, and one stalled client would otherwise hold a
    connection, and a SIGTERM, forever. A request that declares both Content-Length and
    Transfer-Encoding is refused and its connection closed (RFC 9112 6.1: a request-smuggling
    pattern); uvicorn's httptools parser refuses it first, this covers the h11 parser.
    """

    def __init__(self, app, max_bytes: int, timeout: float):
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"transfer-encoding" in headers and b"content-length" in headers:
            refusal = error_response(400, "a request may not carry both Content-Length and Transfer-Encoding")
            refusal.headers["Connection"] = "close"
            await refusal(scope, receive, send)
            return
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await error_response(400, "invalid Content-Length header")(scope, receive, send)
                return
            if length > self.max_bytes:
                await error_response(413, too_large_message(self.max_bytes))(scope, receive, send)
                return
        received = 0
        complete = False
        # One deadline for the whole body, not per chunk: a client dripping a byte every few
        # seconds would otherwise hold its request, and a SIGTERM, for as long as it likes.
        deadline = asyncio.get_running_loop().time() + self.timeout

        async def limited_receive():
            nonlocal received, complete
            if complete:  # after the body only http.disconnect comes, whenever the client hangs up
                return await receive()
            try:
                remaining = deadline - asyncio.get_running_loop().time()
                message = await asyncio.wait_for(receive(), max(remaining, 0.001))
            except TimeoutError:
                raise BodyTimeout from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
                complete = not message.get("more_body", False)
            return message

        await self.app(scope, limited_receive, send)


async def until_disconnect(request: Request, work):
    """Await ``work``, cancelling it when the client hangs up (the worker then skips its articles)."""
    task = asyncio.ensure_future(work)

    async def hung_up():
        # The body has been read, so the next message the server sends is http.disconnect.
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(hung_up())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if not task.done():
        task.cancel()
        raise ClientDisconnect
    return task.result()


MAX_NUMBER_DIGITS = 64


class _NumberRefused(ValueError):
    pass


def _parse_int(digits: str) -> int:
    # Python refuses to convert over 4,300 digits (ValueError, once a 500) and a long number is
    # slow to convert; no field of any request needs more than a few digits.
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberRefused(f"a number has over {MAX_NUMBER_DIGITS} digits")
    return int(digits)


def _parse_float(text: str) -> float:
    value = float(text) if len(text) <= 2 * MAX_NUMBER_DIGITS else math.inf
    if not math.isfinite(value):
        raise _NumberRefused(f"the number {text[:20]}{'...' if len(text) > 20 else ''} is out of range")
    return value


def _parse_constant(name: str):
    raise _NumberRefused(f"{name} is not a JSON number")


def parse_json(body: bytes):
    """Strict JSON: numbers bounded, no NaN or Infinity; errors as :class:`ApiError` 400."""
    try:
        return json.loads(
            body.decode("utf-8"), parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
    except _NumberRefused as error:
        raise ApiError(400, f"invalid JSON: {error}") from None
    except UnicodeDecodeError as error:
        raise ApiError(400, "invalid JSON: the body is not UTF-8") from error
    except json.JSONDecodeError as error:
        raise ApiError(400, f"invalid JSON: {error}") from error
    except RecursionError as error:  # json's C parser recurses once per level of nesting
        raise ApiError(400, "invalid JSON: nested too deeply") from error


async def read_json(request: Request) -> dict:
    """The body as a JSON object, or a 400 that says what is wrong with it."""
    body = await read_body(request)
    data = parse_json(body)
    if not isinstance(data, dict):
        raise ApiError(400, 'invalid JSON: expected an object such as {"text": "..."}')
    return data


async def read_body(request: Request) -> bytes:
    """The raw body; compressed bodies are refused (they would be decoded as garbage, or be a zip bomb)."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise ApiError(415, f"Content-Encoding {encoding} is not supported: send the body uncompressed")
    return await request.body()


def first_values(pairs) -> dict:
    """A key given more than once counts once, by its first value (as Flask's ``request.values``, which
    LibreTranslate reads)."""
    params: dict = {}
    for key, value in pairs:
        params.setdefault(key, value)
    return params


async def read_params(request: Request) -> dict:
    """LibreTranslate's parameters: query string, then a JSON or form body (urlencoded or multipart)."""
    params = first_values(request.query_params.multi_items())
    if request.method == "GET":  # a GET's body is never read (the npm client sends a JSON type with none)
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        body = await read_body(request)
        if body.strip():  # an empty body is no parameters, not invalid JSON
            data = parse_json(body)
            if not isinstance(data, dict):
                raise ApiError(400, "Invalid JSON format: expected an object")
            params.update(data)
    elif content_type == "multipart/form-data":
        await read_body(request)  # the encoding check; Starlette keeps the body for form()
        form = await request.form()
        params.update(first_values((key, value) for key, value in form.multi_items() if isinstance(value, str)))
    else:
        body = await read_body(request)
        if body:
            try:
                pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True, errors="strict")
            except (UnicodeDecodeError, ValueError) as error:
                raise ApiError(400, "invalid form data: send application/x-www-form-urlencoded or JSON") from error
            params.update(first_values(pairs))
    return params
