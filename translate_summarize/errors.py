"""User-facing errors. Each message says what went wrong and what to do next.

The CLI turns any :class:`TsumError` into a one-line ``Error: ...`` and a non-zero exit;
anything else is a bug and surfaces as a traceback (and in tests).
"""

from __future__ import annotations


class TsumError(Exception):
    """Base class for every error tsum reports to a user.

    ``category`` says what kind of failure it is, and each interface maps it to its own answer
    (the CLI to an exit code, the server to an HTTP status): ``"input"`` (the article or request
    is at fault), ``"model"`` (a model cannot be found, loaded or run) or ``"internal"``
    (anything else, such as an output that cannot be written).
    """

    category = "internal"


class InputError(TsumError):
    """An article cannot be read: missing, empty, binary, undecodable or too large."""

    category = "input"


class UsageError(TsumError):
    """An option or combination of options is not supported."""

    category = "input"


class OutputError(TsumError):
    """An output could not be written (disk full, a closed standard output, a link in the way)."""


class ModelError(TsumError):
    """A model cannot be found, loaded or run (what each subclass says)."""

    category = "model"


class ModelNotAvailableError(ModelError):
    """A model is neither a local directory nor in the cache, and cannot be downloaded."""


class ModelLoadError(ModelError):
    """A model directory exists but does not hold a loadable checkpoint."""


class EngineError(ModelError):
    """An inference engine cannot run with the requested device or settings."""


class MissingExtraError(ModelError):
    """An optional feature needs a package that is not installed."""


class FetchError(InputError):
    """A URL could not be fetched, or what it holds cannot be read as an article."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status
        """The HTTP status of the last response (None: no response, such as a DNS or TLS failure)."""


class BlockedAddressError(FetchError):
    """A URL's host resolves to a loopback, private, link-local or multicast address (request forgery)."""
