"""One owner per output path, decided once for the whole plan (docs/folders-ownership.md).

Discovery proposes each input's preferred output name (``a/b.txt`` -> ``a/b``; an archive's
article ``news.jsonl#x`` -> ``news/x``). Here the plan and the journal (results.jsonl) decide
who owns each name:

1. An input keeps the output name its record in the journal gives it (same format), so a
   name never moves from one input to another between runs; two records claiming one name
   (left by older versions) keep it for the first input in plan order only.
2. Every other input, in plan order, takes the first free name of: its preferred name; its
   full name (``a/b.txt`` -> ``a/b.txt``, ``news.jsonl#x`` -> ``news.jsonl/x``); that name plus
   ``-`` and the first 8 hex digits of the SHA-256 of its key in results.jsonl; then ``-2``,
   ``-3``... after that. A name is free when no other output has it (ignoring case), no output
   lives under it as a folder, and none of its folders is another output file.
3. An output whose folder inside OUTDIR is another run's OUTDIR (it holds tsum's lock file or
   journal) is never written: the input gets a failed record that says so.

Names are compared ignoring case so that the outputs stay distinct on case-insensitive file
systems too.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path, PurePosixPath

from translate_summarize.batch.discover import InputFile
from translate_summarize.batch.results import RESULTS_NAME, Record, Status
from translate_summarize.errors import UsageError
from translate_summarize.util.files import LOCK_NAME

# tsum's own files in OUTDIR are never an article's output.
_RESERVED = frozenset({RESULTS_NAME, LOCK_NAME})


def _fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def _candidates(item: InputFile) -> list[str]:
    """The names ``item`` may take, best first (without the extension)."""
    full = item.relative if item.member is None else f"{item.relative}/{item.member}"
    names = [item.output_stem, full, f"{full}-{_fingerprint(item.key)}"]
    return list(dict.fromkeys(names))  # the preferred name may be the full one


class _Names:
    """The output names handed out so far, with their folders (all case-folded)."""

    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.files: set[str] = {name.casefold() for name in _RESERVED}
        self.folders: set[str] = set()
        self._other_runs: dict[str, bool] = {}

    def free(self, name: str) -> bool:
        folded = name.casefold()
        parents = [str(p).casefold() for p in PurePosixPath(name).parents if str(p) != "."]
        return folded not in self.files and folded not in self.folders and not any(p in self.files for p in parents)

    def take(self, name: str) -> None:
        self.files.add(name.casefold())
        self.folders.update(str(p).casefold() for p in PurePosixPath(name).parents if str(p) != ".")

    def other_run(self, name: str) -> str | None:
        """The folder of ``name`` inside OUTDIR that is another tsum run's OUTDIR, if any."""
        for parent in reversed(PurePosixPath(name).parents):
            folder = str(parent)
            if folder == ".":
                continue
            if folder not in self._other_runs:
                path = self.outdir / folder
                self._other_runs[folder] = os.path.lexists(path / LOCK_NAME) or os.path.lexists(path / RESULTS_NAME)
            if self._other_runs[folder]:
                return folder
        return None


def assign_outputs(
    inputs: list[InputFile], previous: dict[str, Record], outdir: Path, extension: str
) -> list[InputFile]:
    """Give each input its own output name (``output_stem``), or a problem when it has none.

    ``previous`` are the journal's records by key; ``extension`` is the output format's.
    """
    names = _Names(outdir)
    kept: dict[int, str] = {}
    # 1. names the journal gives: for inputs of this plan first (in plan order), then names that
    #    records of inputs no longer present hold (their files are still there: never reused).
    present = {item.key for item in inputs}
    for index, item in enumerate(inputs):
        old = previous.get(item.key)
        if item.problem or item.skip or old is None or old.status is Status.FAILED or len(old.outputs) != 1:
            continue
        output = old.outputs[0]
        if output.endswith(extension) and names.free(output):
            names.take(output)
            kept[index] = output.removesuffix(extension)
    for key, old in previous.items():
        if key not in present and old.status is not Status.FAILED:
            for output in old.outputs:
                if names.free(output):
                    names.take(output)
    # 2. everyone else, in plan order
    assigned: list[InputFile] = []
    for index, item in enumerate(inputs):
        if item.skip:
            assigned.append(item)
            continue
        stem = kept.get(index)
        if stem is None:
            stem = _first_free(item, names, extension)
            if not item.problem:
                names.take(stem + extension)
        other = names.other_run(stem + extension)
        if other is not None and not item.problem:
            item = replace(
                item,
                problem=(
                    f"would be written into {outdir / other}, the output folder of another tsum run "
                    "(it holds tsum's lock or journal): tsum never writes there; move that folder away "
                    "or pick another -o"
                ),
            )
        assigned.append(replace(item, output_stem=stem))
    return assigned


def _first_free(item: InputFile, names: _Names, extension: str) -> str:
    candidates = _candidates(item)
    for stem in candidates:
        if names.free(stem + extension):
            return stem
    last, n = candidates[-1], 2
    while not names.free(f"{last}-{n}{extension}"):
        n += 1
    return f"{last}-{n}"


def check_outdir_owner(outdir: Path) -> None:
    """Refuse an OUTDIR inside another run's OUTDIR: that run owns every name under it.

    Raises:
        UsageError: a folder above ``outdir`` holds tsum's lock file or journal.
    """
    real = Path(os.path.realpath(outdir))
    for folder in real.parents:
        if os.path.lexists(folder / LOCK_NAME) or os.path.isfile(folder / RESULTS_NAME):
            raise UsageError(
                f"{outdir} is inside {folder}, the output folder of another tsum run (it holds tsum's lock or "
                "journal): its outputs there would be overwritten; pick an output folder outside it"
            )
