"""The API key: one key, checked in constant time, as a Bearer header (/v1) or an ``api_key`` parameter."""

from __future__ import annotations

import hmac

from starlette.requests import Request

from translate_summarize.serve.plumbing import ApiError


class Auth:
    def __init__(self, api_key: str | None):
        self._key = api_key.encode() if api_key else None

    @property
    def required(self) -> bool:
        return self._key is not None

    def matches(self, given: str | None) -> bool:
        # Constant time, so that response timing does not reveal how much of a guess was right.
        return self._key is None or (given is not None and hmac.compare_digest(given.encode(), self._key))

    def require_bearer(self, request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if not self.matches(token.strip() if scheme.lower() == "bearer" else None):
            raise ApiError(
                401, "invalid or missing API key: send Authorization: Bearer KEY", {"WWW-Authenticate": "Bearer"}
            )

    def require_api_key(self, given) -> None:
        """LibreTranslate's check and statuses: a wrong key 403, a missing one 400."""
        if self._key is None:
            return
        if given is None or given == "":
            raise ApiError(400, "Please contact the server operator to get an API key (pass api_key)")
        if not (isinstance(given, str) and self.matches(given)):
            raise ApiError(403, "Invalid API key")
