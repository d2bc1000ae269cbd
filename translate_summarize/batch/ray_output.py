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
def ray_output_aside():
    """Point file descriptors 1 and 2 at /dev/null while Ray runs.

    tsum's progress bar keeps the terminal: it writes to its own copy of the terminal's file
    descriptor (``batch.driver.progress_bar``), which this leaves alone.
    """
    if verbose():
        yield
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    saved: dict[int, int | None] = {}
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in (1, 2):
            try:
                saved[fd] = os.dup(fd)
            except OSError:
                saved[fd] = None  # closed: stays closed afterwards
            os.dup2(devnull, fd)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()  # Ray's buffered prints go to /dev/null too
        for fd, copy in saved.items():
            if copy is None:
                os.close(fd)
            else:
                os.dup2(copy, fd)
                os.close(copy)
        os.close(devnull)
