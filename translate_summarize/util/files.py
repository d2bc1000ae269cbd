"""File I/O that never destroys or loses a file: bounded reads, atomic and link-safe writes, locks.

Every other module reads articles and writes outputs through here, so that the rules in docs/folders.md
"What tsum guarantees about your files" hold in one place:

- reads take at most ``limit + 1`` bytes from any source (file, device, FIFO, stdin);
- a regular output file is written to a temporary file in its folder and renamed into place
  (never half-written), created with mode ``0o666`` minus the umask, like any other program;
- devices and FIFOs named as outputs are written into as a shell redirection would, never
  replaced; a symbolic link named as a single output is written through to its target;
- inside an output folder no symbolic link is ever followed (``O_NOFOLLOW`` on every step);
- one process at a time writes into an output folder (an ``flock`` the OS drops on any exit).

One module although over 350 lines: these rules lean on each other (a bounded read, a link-safe
open, an atomic rename), and split apart each rule would be checked in a file without the others.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from translate_summarize.errors import InputError, OutputError, UsageError

TMP_PREFIX = ".tsum-tmp-"
# Our temporary names have no extension; outputs always have one, so an input named
# ".tsum-tmp-x.txt" can never have its output taken for a leftover.
TMP_NAME = re.compile(re.escape(TMP_PREFIX) + r"[A-Za-z0-9_]+")
LOCK_NAME = ".tsum.lock"
_CHUNK = 1 << 20


# What each type of file is called in error messages, by its stat type bits.
_FILE_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFREG: "a regular file",
}


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (for error messages)."""
    return _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


# --- reading -------------------------------------------------------------------------------


def read_limited(handle: BinaryIO, limit: int, name: str) -> bytes:
    """Read all of ``handle`` but never more than ``limit + 1`` bytes.

    Raises:
        InputError: the source holds more than ``limit`` bytes.
    """
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = handle.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise InputError(f"{name} is over the {limit // 2**20} MiB limit for one article: split it into articles")
    return b"".join(chunks)


def open_input(path: str | os.PathLike, regular_only: bool = False) -> BinaryIO:
    """Open an article for reading.

    ``regular_only`` (folder runs) refuses anything but a regular file without ever blocking:
    the file is opened non-blocking and checked with ``fstat``, so a FIFO swapped in after
    discovery is never read. Without it, FIFOs and devices are read like standard input.

    Raises:
        InputError: missing, a folder, unreadable, or (with ``regular_only``) not a regular file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if regular_only:
        flags |= os.O_NONBLOCK
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(f"{path} is a broken symbolic link: its target does not exist") from None
        raise InputError(f"{path} does not exist") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{path} is a symbolic link loop: point it at a file") from None
        raise InputError(f"cannot read {path}: {_reason(exc)}") from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise InputError(f"{path} is a directory: use `tsum {path} -o OUTDIR` for folders")
    if regular_only and not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError(f"{path} is {file_kind(mode)}, not a regular file: it was not opened")
    return os.fdopen(fd, "rb")


def read_input_bytes(path: str | os.PathLike, limit: int, regular_only: bool = False) -> bytes:
    """The bytes of one article file, at most ``limit`` (see :func:`open_input`)."""
    with open_input(path, regular_only) as handle:
        try:
            return read_limited(handle, limit, str(path))
        except OSError as exc:
            raise InputError(f"cannot read {path}: {_reason(exc)}") from exc


def closed_standard_streams() -> set[int]:
    """Which of fds 0, 1, 2 were closed at start-up; each is then reopened on /dev/null.

    Reopening keeps a later ``open`` from getting fd 1 and having stray prints land in a model
    or output file (what any careful Unix tool does).
    """
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
    for fd in sorted(closed):
        opened = os.open(os.devnull, os.O_RDWR)
        if opened != fd:
            os.dup2(opened, fd)
            os.close(opened)
    # Python set sys.stdout/sys.stderr to None for a closed fd: give the code that prints (progress
    # bars, the summary line) a stream again, on the /dev/null now behind it.
    if 1 in closed and sys.stdout is None:
        sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    if 2 in closed and sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    return closed


# --- writing -------------------------------------------------------------------------------


Output = str | bytes | Iterable[str]
"""What the writers take: text, bytes (a .docx), or text in pieces (``output.render.render_pieces``)."""


def _encoded(output: Output) -> Iterator[bytes]:
    """``output`` as UTF-8, pieces gathered into blocks of about ``_CHUNK`` bytes.

    Pieces let an output of hundreds of megabytes (a 20 MiB article's JSON) be written without
    ever being one string in memory.
    """
    if isinstance(output, bytes):
        yield output
        return
    if isinstance(output, str):
        yield output.encode("utf-8")
        return
    block: list[str] = []
    size = 0
    for piece in output:
        block.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield "".join(block).encode("utf-8")
            block, size = [], 0
    if block:
        yield "".join(block).encode("utf-8")


def _write_all(fd: int, output: Output) -> None:
    for data in _encoded(output):
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]


def _replace_in_folder(folder_fd: int, name: str, data: Output, keep_mode: bool = False) -> None:
    """Write ``data`` to ``name`` in the folder open as ``folder_fd``: temporary file, fsync, rename.

    The temporary file is created with ``0o666`` so the umask applies (mkstemp would force 0600);
    with ``keep_mode`` an existing file's permissions are kept, as a shell redirection keeps them.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = TMP_PREFIX + secrets.token_hex(8)
        try:
            fd = os.open(tmp, flags, 0o666, dir_fd=folder_fd)
            break
        except FileExistsError:
            continue
    try:
        try:
            if keep_mode:
                try:
                    old = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
                    if stat.S_ISREG(old.st_mode):
                        os.fchmod(fd, stat.S_IMODE(old.st_mode))
                except FileNotFoundError:
                    pass
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder_fd)
        raise


def _open_folder(path: str | os.PathLike) -> int:
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))


def write_in_folder(outdir: Path, relative: str, text: Output) -> None:
    """Write ``OUTDIR/relative`` atomically, creating subfolders, never following a link.

    ``OUTDIR`` itself may be a link (the user named it); below it, every folder is opened with
    ``O_NOFOLLOW`` and the file itself must not be a link or a folder.

    Raises:
        OutputError: a link, a file or a folder is in the way; or the write failed (disk full).
    """
    parts = PurePosixPath(relative).parts
    if not parts or any(part in ("", ".", "..") for part in parts) or PurePosixPath(relative).is_absolute():
        raise OutputError(f"refusing to write {relative!r}: not a plain name inside {outdir}")
    display = outdir / relative
    try:
        fd = _open_folder(outdir)
    except OSError as exc:
        raise OutputError(f"cannot write into {outdir}: {_reason(exc)}") from exc
    try:
        walked = outdir
        for part in parts[:-1]:
            walked = walked / part
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=fd)
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(walked):
                    raise OutputError(
                        f"{walked} is a symbolic link inside the output folder: tsum never writes through "
                        "links there; remove it and run again"
                    ) from None
                if exc.errno == errno.ENOTDIR:
                    raise OutputError(
                        f"{walked} is a file where a folder of outputs must go: move it away and run again"
                    ) from None
                raise
            os.close(fd)
            fd = inner
        name = parts[-1]
        try:
            existing = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
        except FileNotFoundError:
            existing = None
        if existing is not None and not stat.S_ISREG(existing):
            what = "symbolic link inside the output folder: tsum never writes through links there"
            if not stat.S_ISLNK(existing):
                what = f"{file_kind(existing)[2:]} where this output must go"
            raise OutputError(f"{display} is a {what}; move it away and run again")
        _replace_in_folder(fd, name, text)
    except OSError as exc:
        raise OutputError(f"cannot write {display}: {_reason(exc)}") from exc
    finally:
        os.close(fd)


def atomic_write(path: Path, text: str) -> None:
    """Write ``path`` atomically in its (existing or new) folder; a link at ``path`` is refused.

    Raises:
        OutputError: see :func:`write_in_folder`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    write_in_folder(path.parent, path.name, text)


def _output_target(path: Path) -> tuple[Path, os.stat_result | None]:
    """Where a single-article ``-o`` really writes, and what is there now.

    A device or FIFO is written through the name given (``/dev/stdout`` resolves to no real
    path); a regular file or a new name through a link is written at the link's target.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {_reason(exc)}; pick another -o") from None
    if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        return path, info
    return Path(os.path.realpath(path)), info


def check_output_file(path: Path, inputs: list[str]) -> None:
    """Refuse, before any model is loaded, an ``-o`` that cannot or must not be written.

    Raises:
        UsageError: the output is one of the inputs, a folder or block device, or not writable.
    """
    target, info = _output_target(path)
    for source in inputs:
        if source == "-":
            continue
        try:
            if info is not None and os.path.samefile(source, target):
                raise UsageError(f"{path} is the input {source}: tsum never overwrites an input; pick another -o")
        except FileNotFoundError:
            continue
    if info is None:
        folder = target.parent
        while not folder.exists():
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise UsageError(f"cannot write {path}: {folder} is not a folder you can write to; pick another -o")
        return
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path} is a folder: pass a file name to -o for a single article")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        if not os.access(target, os.W_OK):
            raise UsageError(f"cannot write {path}: permission denied; pick another -o")
        return
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path} is {file_kind(mode)}: pass a regular file name to -o")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {path}: its folder {target.parent} is not writable; pick another -o")


def write_output_file(path: Path, text: Output) -> None:
    """Write one article's output to ``-o PATH``.

    A regular file (or a new name) is replaced atomically; a character device or a FIFO is
    written into (``-o /dev/stdout`` works); a symbolic link is written through to its target.

    Raises:
        OutputError: the write failed (disk full, permissions, a folder in the way).
    """
    target, info = _output_target(path)
    try:
        if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
            try:
                _write_all(fd, text)
            finally:
                os.close(fd)
            return
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{path} is {file_kind(info.st_mode)}: pass a regular file name to -o")
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = _open_folder(target.parent)
        try:
            _replace_in_folder(folder, target.name, text, keep_mode=True)
        finally:
            os.close(folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from exc


def write_stdout(text: str | Iterable[str]) -> None:
    """Print an article's output; a closed or full standard output is one clear error.

    Raises:
        OutputError: standard output is closed or the write failed.
    """
    stream = sys.stdout
    if stream is None:
        raise OutputError("standard output is closed: pass -o FILE")
    try:
        for piece in [text] if isinstance(text, str) else text:
            stream.write(piece)
        stream.flush()
    except (OSError, ValueError) as exc:
        silence_stdout()
        reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
        raise OutputError(f"cannot write to standard output ({reason}): pass -o FILE") from exc


def silence_stdout() -> None:
    """Point fd 1 at /dev/null after a failed write, so Python's own flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
