"""Exception handlers: every error becomes a JSON ``{"error": ...}`` answer, never a traceback."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request

from translate_summarize.serve.plumbing import ApiError, BodyTimeout, BodyTooLarge, error_response, too_large_message
from translate_summarize.serve.service import service_of


async def api_error(request: Request, error: ApiError):
    return error_response(error.status, error.message, error.headers)


async def http_error(request: Request, error: HTTPException):
    return error_response(error.status_code, str(error.detail), dict(error.headers or {}))


async def too_large(request: Request, error: BodyTooLarge):
    return error_response(413, too_large_message(service_of(request).serve_options.max_bytes))


async def body_timeout(request: Request, error: BodyTimeout):
    return error_response(
        408, f"the request body stopped arriving for {service_of(request).serve_options.body_timeout:g} s"
    )


async def client_gone(request: Request, error: ClientDisconnect):
    # The client hung up before its body arrived: nobody reads this answer, and it is no server error.
    return error_response(400, "the client disconnected before sending the whole body")


async def internal_error(request: Request, error: Exception):
    # Starlette re-raises after this response, so uvicorn logs the traceback; the client gets none.
    return error_response(500, "internal error")


HANDLERS = {
    ApiError: api_error,
    HTTPException: http_error,
    BodyTooLarge: too_large,
    ClientDisconnect: client_gone,
    BodyTimeout: body_timeout,
    Exception: internal_error,
}
