"""Locks that die with their process: one writer per output folder, one owner per model conversion.

``flock`` rather than a pid file: the OS releases the lock when the process ends in any way
(``kill -9`` included), so a lock can never go stale.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path

from translate_summarize.errors import UsageError
from translate_summarize.util.files import LOCK_NAME, file_kind


def try_lock(path: Path) -> int | None:
    """Take an exclusive ``flock`` on ``path`` (created 0o666 minus umask); None if held elsewhere.

    The OS releases the lock when the process ends in any way (``kill -9`` included), so a
    lock can never go stale; removing the file is the caller's business (``OutputFolderLock``).
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o666)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device put there: never truncated or written into
            raise UsageError(f"{path} is {file_kind(info.st_mode)}, not tsum's lock file: remove it and run again")
        if info.st_nlink > 1:  # writing our pid into it would change the other names' file too
            raise UsageError(f"{path} has other hard links, so it is not tsum's lock file: remove it and run again")
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


class OutputFolderLock:
    """One writer per output folder: ``OUTDIR/.tsum.lock`` holds the owner's pid.

    Raises (on enter):
        UsageError: another live process holds the folder, or it cannot be written.
    """

    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.path = outdir / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> OutputFolderLock:
        while True:
            fd = self._lock()
            if self._still_named(fd):
                break
            os.close(fd)  # the previous holder removed the file after we opened it: lock the new one
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return self

    def _still_named(self, fd: int) -> bool:
        try:
            named = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def _lock(self) -> int:
        try:
            fd = try_lock(self.path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UsageError(f"{self.path} is a symbolic link: remove it and run again") from None
            raise UsageError(
                f"cannot write into {self.outdir} (its lock file {LOCK_NAME}: {exc.strerror or exc}); "
                "pick an output folder you can write to"
            ) from None
        if fd is None:
            try:
                holder = Path(self.path).read_text(encoding="ascii", errors="replace").strip() or "unknown"
            except OSError:
                holder = "unknown"
            raise UsageError(
                f"another tsum (pid {holder}) is writing to {self.outdir}: wait for it to finish, or pick another -o"
            )
        return fd

    def __exit__(self, *exc_info) -> None:
        """Remove the lock file (a published OUTDIR carries no trace of the run), then release it.

        Removed while still held: a process that opened the file meanwhile finds, once it holds
        the lock, that the name no longer points to it, and locks a fresh file (``__enter__``).
        A run killed with ``kill -9`` leaves the file, unlocked; the next run takes it.
        """
        if self._fd is not None:
            try:
                if self._still_named(self._fd):
                    os.unlink(self.path)
            except OSError:
                pass  # a folder made read-only meanwhile: the file stays, unlocked, harmless
            os.close(self._fd)  # releases the flock
            self._fd = None
