"""Library messages go through :mod:`logging`; the CLI shows them on stderr as plain lines.

Library code logs to a logger under ``translate_summarize`` (``logging.getLogger(__name__)``):
warnings for what the user should know, info for what it is doing ("Converting ...").
Used as a library, nothing is attached (Python shows warnings bare, drops info); ``tsum``
attaches :class:`StderrLines` once, which writes ``Warning: ...`` and info lines as the CLI
always printed them.
"""

from __future__ import annotations

import contextlib
import logging
import sys

PACKAGE_LOGGER = "translate_summarize"


class StderrLines(logging.Handler):
    """One line on the current ``sys.stderr`` a record: warnings and errors labelled ``Warning:``."""

    def emit(self, record: logging.LogRecord) -> None:
        from translate_summarize.util.names import printable_line

        message = record.getMessage()
        line = f"Warning: {message}" if record.levelno >= logging.WARNING else message
        # a full or closed stderr (2>/dev/full) does not fail the work whose news this is
        with contextlib.suppress(OSError, ValueError):
            print(printable_line(line), file=sys.stderr, flush=True)  # names in it are shown, never obeyed


def show_messages_on_stderr() -> None:
    """Attach :class:`StderrLines` to the package's logger (once; later calls do nothing)."""
    logger = logging.getLogger(PACKAGE_LOGGER)
    if not any(isinstance(handler, StderrLines) for handler in logger.handlers):
        logger.addHandler(StderrLines())
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the CLI owns stderr: a root handler would print each line twice
