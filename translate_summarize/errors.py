"""User-facing errors. Each message says what went wrong and what to do next.

The CLI turns any :class:`TsumError` into a one-line ``Error: ...`` and a non-zero exit;
anything else is a bug and surfaces as a traceback (and in tests).
"""

from __future__ import annotations


class TsumError(Exception):
    """Base class for every error tsum reports to a user."""

    exit_code = 1


class InputError(TsumError):
    """An article cannot be read: missing, empty, binary, undecodable or too large."""

    exit_code = 2


class UsageError(TsumError):
    """An option or combination of options is not supported."""

    exit_code = 2


class OutputError(TsumError):
    """An output could not be written (disk full, a closed standard output, a link in the way)."""

    exit_code = 1


class ModelNotAvailableError(TsumError):
    """A model is neither a local directory nor in the cache, and cannot be downloaded."""

    exit_code = 3


class ModelLoadError(TsumError):
    """A model directory exists but does not hold a loadable checkpoint."""

    exit_code = 3


class EngineError(TsumError):
    """An inference engine cannot run with the requested device or settings."""

    exit_code = 3


class MissingExtraError(TsumError):
    """An optional feature needs a package that is not installed."""

    exit_code = 3


class FetchError(InputError):
    """A URL could not be fetched, or what it holds cannot be read as an article."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status
        """The HTTP status of the last response (None: no response, such as a DNS or TLS failure)."""


class BlockedAddressError(FetchError):
    """A URL's host resolves to a loopback, private, link-local or multicast address (request forgery)."""
