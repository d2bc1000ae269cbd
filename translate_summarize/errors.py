"""User-facing errors. Each message says what went wrong and what to do next.

The CLI turns any :class:`TsumError` into a one-line ``Error: ...`` and a non-zero exit;
anything else is a bug and surfaces as a traceback (and in tests).
"""

from __future__ import annotations


class TsumError(Exception):
    """Base class for every error tsum reports to a user.

    ``exit_code`` is what the CLI exits with; ``category`` says what kind of failure it is, for
    interfaces that are not a CLI (the server maps it to an HTTP status): ``"input"`` (the
    article or request is at fault), ``"model"`` (a model cannot be found, loaded or run) or
    ``"internal"`` (anything else, such as an output that cannot be written).
    """

    exit_code = 1
    category = "internal"


class InputError(TsumError):
    """An article cannot be read: missing, empty, binary, undecodable or too large."""

    exit_code = 2
    category = "input"


class UsageError(TsumError):
    """An option or combination of options is not supported."""

    exit_code = 2
    category = "input"


class OutputError(TsumError):
    """An output could not be written (disk full, a closed standard output, a link in the way)."""

    exit_code = 1


class ModelNotAvailableError(TsumError):
    """A model is neither a local directory nor in the cache, and cannot be downloaded."""

    exit_code = 3
    category = "model"


class ModelLoadError(TsumError):
    """A model directory exists but does not hold a loadable checkpoint."""

    exit_code = 3
    category = "model"


class EngineError(TsumError):
    """An inference engine cannot run with the requested device or settings."""

    exit_code = 3
    category = "model"


class MissingExtraError(TsumError):
    """An optional feature needs a package that is not installed."""

    exit_code = 3
    category = "model"


class FetchError(InputError):
    """A URL could not be fetched, or what it holds cannot be read as an article."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status
        """The HTTP status of the last response (None: no response, such as a DNS or TLS failure)."""


class BlockedAddressError(FetchError):
    """A URL's host resolves to a loopback, private, link-local or multicast address (request forgery)."""
