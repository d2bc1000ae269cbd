"""Find the articles under the input paths and give each a safe, unique output name."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translate_summarize.errors import InputError


@dataclass(frozen=True)
class InputFile:
    path: Path
    """Where to read the article."""
    relative: str
    """The input's path relative to its root (POSIX), as recorded in results.jsonl; with
    several input paths, prefixed by the root's folder name so that it stays unique."""
    output_stem: str
    """The output name without extension, relative to OUTDIR (POSIX)."""
    text: str | None = None
    """An article of an archive: its text (``path`` is the archive)."""
    error: str | None = None
    """An archive line that is no article: why (recorded as failed)."""
    sha256: str | None = None
    """An archive article's content hash (files are hashed when planned)."""


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _walk(root: Path, globs: tuple[str, ...], outdir: Path, follow_symlinks: bool):
    for folder, dirs, files in os.walk(root, followlinks=follow_symlinks):
        here = Path(folder)
        # Never read our own outputs, hidden folders (.git) or tsum's work folders as input.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _inside((here / d).resolve(), outdir))
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or not any(fnmatch.fnmatch(name, g) for g in globs):
                continue
            if path.is_symlink() and not follow_symlinks and not _inside(path.resolve(), root.resolve()):
                continue  # a link out of the input tree: only with --follow-symlinks
            yield path


def discover(paths: list[Path], globs: tuple[str, ...], outdir: Path, follow_symlinks: bool = False) -> list[InputFile]:
    """List the articles under ``paths`` in a stable order, each with a unique output name.

    Outputs mirror each input tree; with several input paths each tree goes under a folder
    named after its root. ``a/b.txt`` is written as ``a/b.<ext>``; when two inputs would share a
    name (``b.txt`` and ``b.md``) both keep their full names (``b.txt.<ext>``, ``b.md.<ext>``).
    """
    outdir = outdir.resolve()
    found: list[tuple[Path, PurePosixPath]] = []
    prefixes: set[str] = set()
    for path in paths:
        if not path.exists():
            raise InputError(f"{path} does not exist")
        root = path if path.is_dir() else path.parent
        prefix = ""
        if len(paths) > 1:
            prefix = root.resolve().name or "root"
            base, n = prefix, 2
            while prefix in prefixes:
                prefix, n = f"{base}-{n}", n + 1
            prefixes.add(prefix)
        files = _walk(path, globs, outdir, follow_symlinks) if path.is_dir() else [path]
        for file in files:
            relative = PurePosixPath(file.relative_to(root).as_posix())
            found.append((file, PurePosixPath(prefix) / relative if prefix else relative))
    stems: dict[str, int] = {}
    for _, out in found:
        stem = str(out.with_suffix(""))
        stems[stem] = stems.get(stem, 0) + 1
    inputs = []
    seen: set[str] = set()
    for file, out in found:
        stem = str(out.with_suffix(""))
        name = stem if stems[stem] == 1 else str(out)
        if name in seen:  # the same file given twice
            continue
        seen.add(name)
        inputs.append(InputFile(path=file, relative=str(out), output_stem=name))
    return inputs
