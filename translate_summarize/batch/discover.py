"""Find the articles under the input paths and give each a safe, unique output name.

Only regular files are inputs. Anything else that matches the patterns (a FIFO, a device, a
broken link, a link loop) is still an input to account for: it gets a ``problem`` and so a
``failed`` record, and it is never opened. Each real file is visited once, and each real folder
once, so link loops end.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translate_summarize.errors import InputError, UsageError
from translate_summarize.text.archives import RESULTS_NAME, tsum_output_kind
from translate_summarize.util.files import LOCK_NAME, TMP_NAME, file_kind


@dataclass(frozen=True)
class InputFile:
    path: Path
    """Where to read the article."""
    relative: str
    """The input's path relative to its root (POSIX), as recorded in results.jsonl; with
    several input paths, prefixed by the root's folder name so that it stays unique."""
    output_stem: str
    """The output name without extension, relative to OUTDIR (POSIX)."""
    problem: str | None = None
    """Why this input cannot be read (it is then recorded as failed and never opened)."""
    text: str | None = None
    """For an article of a JSON (Lines) archive: its text (``path`` is the archive)."""
    sha256: str | None = None
    """For an archive article: its content hash (files are hashed when planned); for a web
    input: the hash of its URL or GUID (batch/web.py)."""
    url: str | None = None
    """For a web input (a page, a feed item): its URL, fetched when ``text`` is None and
    recorded as ``source_url``; ``relative`` is then the URL or the item's GUID."""
    kind: str | None = None
    """How ``parse_input`` reads ``text``: None for an archive article, else its kind."""
    member: str | None = None
    """For an article of an archive: its id there (``relative`` is then the archive's)."""
    skip: str | None = None
    """Why this input is not an article to translate (tsum's own output): a skipped record says so."""

    @property
    def key(self) -> str:
        """The input's name in results.jsonl, unique by construction: ``news.jsonl#id`` for an
        archive's article, the relative path for a file, with ``%`` and ``#`` escaped in paths
        (``%25``, ``%23``) so that no file name can take an article's key."""
        if self.url is not None or self.kind is not None:
            return self.relative  # a link or feed item: its URL or GUID, as results.jsonl is keyed (batch/web.py)
        path = self.relative.replace("%", "%25").replace("#", "%23")
        return path if self.member is None else f"{path}#{self.member}"

    @property
    def label(self) -> str:
        """The input as a person reads it (in headers and messages): ``news.jsonl#id`` or ``a/b.txt``."""
        return self.relative if self.member is None else f"{self.relative}#{self.member}"


def is_output_folder(parent: str | os.PathLike, name: str) -> bool:
    """Whether the folder ``parent/name`` is (or was) a tsum OUTDIR: it holds tsum's lock file, or
    a results.jsonl that is tsum's journal by its content. A crawler's own ``results.jsonl`` of
    articles does not make its folder an OUTDIR: its files are inputs like any others."""
    folder = os.path.join(parent, name)
    if os.path.lexists(os.path.join(folder, LOCK_NAME)):
        return True
    journal = os.path.join(folder, RESULTS_NAME)
    # os.path.isfile: a path too long to name (ENAMETOOLONG) is simply not a journal here
    return os.path.isfile(journal) and tsum_output_kind(Path(journal)) is not None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def matches(name: str, globs: tuple[str, ...]) -> bool:
    """Whether a file name matches one of the patterns, ignoring case (``A.TXT`` is a ``*.txt``)."""
    folded = name.casefold()
    return any(fnmatch.fnmatchcase(folded, pattern.casefold()) for pattern in globs)


def _broken(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop: it was not opened"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return "is a broken symbolic link: its target does not exist"
    return f"cannot be read: {exc.strerror or exc}"


def _walk(
    root: Path, globs: tuple[str, ...], outdir: str, follow_symlinks: bool
) -> Iterator[tuple[Path, str | None, str | None]]:
    """Yield (file, problem, real path or None) under ``root`` in a stable order: a folder's files, then its folders."""
    real_root = os.path.realpath(root)
    seen_folders: set[tuple[int, int]] = set()
    # Each folder travels with its real path: an entry that is not a link has its folder's real
    # path plus its name, so no realpath() walks the whole path again (quadratic in deep trees).
    stack = [(root, real_root)]
    while stack:
        folder, real_folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen_folders:
                continue  # a link loop, or a folder reached twice through links
            seen_folders.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            if folder == root:
                raise InputError(f"cannot read the folder {root}: {exc.strerror or exc}") from None
            yield folder, f"is a folder that cannot be listed: {exc.strerror or exc}", None
            continue
        subfolders = []
        for entry in entries:
            # Never read hidden files and folders (.git) or tsum's work files as input.
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            is_link = entry.is_symlink()
            try:
                info = os.stat(path)
            except OSError as exc:
                if matches(entry.name, globs):
                    yield path, _broken(path, exc), None
                elif not is_link and entry.is_dir(follow_symlinks=False):  # (too deep to name: ENAMETOOLONG)
                    yield path, f"is a folder that cannot be read: {exc.strerror or exc}", None
                continue
            real = os.path.realpath(path) if is_link else os.path.join(real_folder, entry.name)
            if stat.S_ISDIR(info.st_mode):
                # Our own outputs are never inputs (this run's OUTDIR, or an earlier run's, known by
                # its lock file); links to folders only with --follow-symlinks.
                own = _inside(real, outdir) or is_output_folder(folder, entry.name)
                if (follow_symlinks or not is_link) and not own:
                    subfolders.append((path, real))
                continue
            if not matches(entry.name, globs):
                continue
            if is_link and not follow_symlinks and not _inside(real, real_root):
                continue  # a link out of the input tree: only with --follow-symlinks
            if _inside(real, outdir):
                yield path, "links into the output folder: tsum does not read its own outputs", real
            elif not stat.S_ISREG(info.st_mode):
                yield path, f"is {file_kind(info.st_mode)}, not a regular file: it was not opened", real
            else:
                yield path, None, real
        stack.extend(reversed(subfolders))


def output_stems(relatives: list[str], extension: str) -> dict[str, str]:
    """The output name (without extension) of each input; see docs/folders-ownership.md.

    The rule, stable for a given set of inputs whatever their order:

    1. ``a/b.txt`` is written as ``a/b<ext>`` when no other input would take that name
       (compared ignoring case): no other input has the stem ``a/b``, no other input is
       called ``a/b`` itself, and ``a/b<ext>`` is not a folder of outputs.
    2. Otherwise it keeps its full name: ``a/b.txt<ext>``.
    3. If that is still taken, the full name gets the first 8 hex digits of the SHA-256 of
       the input's relative path: ``a/b.txt-1a2b3c4d<ext>``.
    """
    folded = [r.casefold() for r in relatives]
    stems = [str(PurePosixPath(r).with_suffix("")) if PurePosixPath(r).suffix else r for r in relatives]
    stem_count = Counter(s.casefold() for s in stems)
    full_count = Counter(folded)
    folders = {str(parent).casefold() for r in relatives for parent in PurePosixPath(r).parents if str(parent) != "."}
    names: dict[str, str] = {}
    for relative, fold, stem in zip(relatives, folded, stems):
        stem_fold = stem.casefold()
        others_full = full_count[stem_fold] - (1 if stem_fold == fold else 0)
        if stem_count[stem_fold] == 1 and others_full == 0 and (stem_fold + extension) not in folders:
            names[relative] = stem
        elif full_count[fold] == 1 and (fold + extension) not in folders:
            names[relative] = relative
        else:
            names[relative] = f"{relative}-{hashlib.sha256(relative.encode()).hexdigest()[:8]}"
    return names


def _check_roots(paths: list[Path], outdir: str) -> None:
    for path in paths:
        real = os.path.realpath(path)
        if _inside(real, outdir):
            raise UsageError(
                f"{path} is inside the output folder {outdir}: tsum never writes over its inputs; "
                "pick an output folder outside them"
            )


def _check_outdir_inside(folder: Path, outdir: str) -> None:
    """An existing OUTDIR inside an input folder must be empty or one tsum wrote before.

    Its files are never read as inputs, so anything else in it (an article the user keeps
    there) would be overwritten by the outputs and silently left untranslated.
    """
    if not _inside(outdir, os.path.realpath(folder)) or not os.path.isdir(outdir):
        return
    parent, name = os.path.split(outdir)
    if is_output_folder(parent, name):
        return
    try:
        holds_files = any(True for _ in os.scandir(outdir))
    except OSError:
        return  # unreadable: the lock and the writes report it
    if holds_files:
        raise UsageError(
            f"the output folder {outdir} is inside the input folder {folder} and already holds files that "
            "tsum did not write: pick an empty or new output folder, or one outside the inputs"
        )


def discover(
    paths: list[Path],
    globs: tuple[str, ...],
    outdir: Path,
    follow_symlinks: bool = False,
    extension: str = ".txt",
) -> list[InputFile]:
    """List the articles under ``paths`` in a stable order, each with a unique output name.

    Outputs mirror each input tree; with several input paths each tree goes under a folder
    named after its root (files given one by one from the same folder share that folder).
    The same real file given twice is one input.

    Raises:
        InputError: an input path does not exist.
        UsageError: an input path is the output folder or inside it.
    """
    real_outdir = os.path.realpath(outdir)
    found: list[tuple[Path, str, str | None]] = []
    prefixes: dict[str, str] = {}
    seen: set[str] = set()
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise InputError(f"{path} does not exist") from None
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
        _check_roots([path], real_outdir)
        is_folder = stat.S_ISDIR(info.st_mode)
        if is_folder:
            _check_outdir_inside(path, real_outdir)
        root = path if is_folder else path.parent
        prefix = ""
        if len(paths) > 1:
            real_root = os.path.realpath(root)
            if real_root not in prefixes:
                base = Path(real_root).name or "root"
                prefix, n = base, 2
                while prefix in prefixes.values():
                    prefix, n = f"{base}-{n}", n + 1
                prefixes[real_root] = prefix
            prefix = prefixes[real_root]
        if is_folder:
            files = _walk(path, globs, real_outdir, follow_symlinks)
        else:
            problem = None if stat.S_ISREG(info.st_mode) else f"is {file_kind(info.st_mode)}, not a regular file"
            files = iter([(path, problem, None)])
        for file, problem, known_real in files:
            real = known_real or os.path.realpath(file)
            if real in seen:
                continue  # the same file given twice, or reached again through a link
            seen.add(real)
            relative = PurePosixPath(file.relative_to(root).as_posix())
            found.append((file, str(PurePosixPath(prefix) / relative if prefix else relative), problem))
    names = output_stems([relative for _, relative, _ in found], extension)
    return [InputFile(file, relative, names[relative], problem) for file, relative, problem in found]


def remove_stale_temporaries(outdir: Path) -> None:
    """Delete temporary files a killed run left under ``outdir`` (call with the lock held)."""
    # A stack, not os.walk: os.walk recurses (Python 3.11) and a mirrored tree 1,000 folders deep
    # would end in RecursionError. Links are never followed; a subfolder holding its own lock is
    # another run's OUTDIR, whose temporaries are its own.
    stack = [os.fspath(outdir)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError:
            continue  # unreadable or too deep to name: nothing of ours can be cleaned there
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not is_output_folder(folder, entry.name):
                    stack.append(entry.path)
            elif TMP_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)
