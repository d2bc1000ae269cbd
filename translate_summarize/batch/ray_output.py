"""While Ray runs, its output is set aside and only tsum's progress bar keeps the terminal."""

from __future__ import annotations

import contextlib
import os
import sys

# Ray prints into the terminal from its C++ core (error lines such as an actor's restart
# policy), from Ray Data (INFO and WARNING lines) and from a driver thread (the errors raylets
# report: a worker died, a task is retried), with no setting that silences all three. So while
# Ray runs, the process's stdout and stderr file descriptors point at /dev/null (a folder run
# writes nothing else there; Ray keeps its own logs in /tmp/ray/session_latest/logs) and only
# tsum's progress bar keeps the terminal. TSUM_RAY_VERBOSE=1 keeps all of Ray's output.
VERBOSE_ENV = "TSUM_RAY_VERBOSE"


def verbose() -> bool:
    return os.environ.get(VERBOSE_ENV, "") not in ("", "0")


@contextlib.contextmanager
def ray_output_aside(bar):
    """Point file descriptors 1 and 2 at /dev/null, and ``bar`` (a tqdm bar) at the real stderr."""
    if verbose():
        yield
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    saved: dict[int, int | None] = {}
    devnull = os.open(os.devnull, os.O_WRONLY)
    terminal = None
    drawn = not getattr(bar, "disable", True)
    try:
        for fd in (1, 2):
            try:
                saved[fd] = os.dup(fd)
            except OSError:
                saved[fd] = None  # closed: stays closed afterwards
            os.dup2(devnull, fd)
        if drawn and saved[2] is not None:
            terminal = os.fdopen(os.dup(saved[2]), "w", buffering=1, encoding="utf-8", errors="replace")
            previous = bar.fp
            bar.fp = terminal
            bar.sp = bar.status_printer(terminal)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()  # Ray's buffered prints go to /dev/null too
        if terminal is not None:
            bar.fp = previous
            bar.sp = bar.status_printer(previous)
            terminal.close()
        for fd, copy in saved.items():
            if copy is None:
                os.close(fd)
            else:
                os.dup2(copy, fd)
                os.close(copy)
        os.close(devnull)
