"""results.jsonl and resume keys: what makes folder runs safe to kill and to resume."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any

from translate_summarize.errors import InputError, UsageError
from translate_summarize.text.archives import JOURNAL_MARKER_VALUE
from translate_summarize.util.files import file_kind, open_input, write_in_folder
from translate_summarize.util.names import json_shown

RESULTS_NAME = "results.jsonl"
# A longer line is not a record (records are a few hundred bytes): read in pieces, ignored.
_MAX_RECORD_LINE = 1 << 20


class Status(str, Enum):
    """What happened to one input. A ``str`` so that records serialise as plain strings."""

    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


def resume_key(input_sha256: str, models: dict, options: dict, output_format: str) -> str:
    """What an output depends on: the input's bytes, the models at their revisions, the options."""
    payload = json.dumps(
        {"input": input_sha256, "models": models, "options": options, "format": output_format}, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _is_output_name(name: Any) -> bool:
    if not isinstance(name, str) or not name or "\x00" in name:  # no file name holds a NUL
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in path.parts)


@dataclass
class Record:
    """One line of results.jsonl (its schema: ``output/schemas/results-record.schema.json``)."""

    input: str
    status: Status
    error: str | None = None
    outputs: list[str] = field(default_factory=list)
    sha256: str | None = None
    models: dict | None = None
    timings: dict = field(default_factory=dict)
    key: str | None = None
    flagged: int | None = None  # segments with quality flags (ok records)
    source_language: dict | None = None  # the language guard's verdict: {"code": "da", "confidence": 0.98}
    title: str | None = None  # the headline's English translation, for the index page
    date: str | None = None  # the article's date as its metadata writes it, for the index page
    # Always 1: how tsum knows its journal from any other JSON Lines file (text/archives.py).
    tsum_journal: int = JOURNAL_MARKER_VALUE
    # The key without the glossary: a record whose translation_key still matches needs only its
    # glossary flags redone (JSON outputs), not a new translation.
    translation_key: str | None = None
    # How many sentences carry each flag ({"number_mismatch": 2, "name_missing": 1}), for the index.
    flag_counts: dict | None = None
    source_url: str | None = None  # a page or feed item: the URL it was (or is to be) fetched from

    def __post_init__(self) -> None:
        self.status = Status(self.status)

    def to_json(self) -> str:
        data = asdict(self)
        data["status"] = self.status.value
        # results.jsonl is a log people read with cat: names in it are shown, never obeyed.
        text = json_shown(json.dumps(data, ensure_ascii=False, sort_keys=False))
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8: keep its bytes as \udcXX escapes
            text = json.dumps(data, sort_keys=False)
        return text

    @classmethod
    def from_dict(cls, data: Any) -> Record | None:
        """A record from a parsed line, or None when the line is not a well-formed record."""
        if not isinstance(data, dict) or not isinstance(data.get("input"), str):
            return None
        try:
            status = Status(data.get("status"))
        except ValueError:
            return None
        outputs = data.get("outputs", [])
        optional_str = all(
            data.get(k) is None or isinstance(data.get(k), str)
            for k in ("error", "sha256", "key", "title", "date", "translation_key")
        )
        if (
            not optional_str
            or not isinstance(outputs, list)
            or not all(map(_is_output_name, outputs))
            or not isinstance(data.get("models"), (dict, type(None)))
            or not isinstance(data.get("timings", {}), dict)
            or not isinstance(data.get("flagged"), (int, type(None)))
        ):
            return None
        return cls(
            data["input"],
            status,
            data.get("error"),
            list(outputs),
            data.get("sha256"),
            data.get("models"),
            dict(data.get("timings", {})),
            data.get("key"),
            data.get("flagged"),
            data.get("source_language") if isinstance(data.get("source_language"), dict) else None,
            data.get("title"),
            data.get("date"),
            translation_key=data.get("translation_key"),
            flag_counts=_flag_counts(data.get("flag_counts")),
            source_url=data.get("source_url") if isinstance(data.get("source_url"), str) else None,
        )


def _flag_counts(value: Any) -> dict | None:
    """A well-formed ``flag_counts`` (flag name -> sentence count), else None."""
    if isinstance(value, dict) and all(isinstance(k, str) and type(v) is int for k, v in value.items()):
        return dict(value)
    return None


class ResultsLog:
    """Appends records as articles finish; compacts to one record per input at the end.

    Appending (flushed after each line) means a killed run keeps every finished record; a torn
    last line from a kill, and any damaged line, is ignored when read back (``damaged`` counts
    them so the caller can warn).

    Raises (on construction):
        UsageError: results.jsonl exists but is not a regular file (a folder, a link, a FIFO).
    """

    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.path = outdir / RESULTS_NAME
        self.damaged = 0
        self.previous = self._read()
        self._handle = None
        self.records: dict[str, Record] = {}

    def _refuse(self, what: str) -> UsageError:
        return UsageError(f"{self.path} is {what}, not tsum's journal: move it away and run again")

    def _read(self) -> dict[str, Record]:
        records: dict[str, Record] = {}
        try:
            info = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return records
        if not stat.S_ISREG(info.st_mode):
            raise self._refuse(file_kind(info.st_mode))
        if info.st_nlink > 1:  # appending in place would change the other names' file too
            raise UsageError(
                f"{self.path} has {info.st_nlink - 1} other hard link(s): tsum appends to its journal in place; "
                "replace it with a copy (cp results.jsonl x && mv x results.jsonl) and run again"
            )
        try:
            handle = open_input(self.path, regular_only=True)
        except InputError as exc:
            raise UsageError(f"{exc}: tsum needs to read its journal {self.path}") from None
        with handle:
            while line := handle.readline(_MAX_RECORD_LINE):
                try:
                    record = Record.from_dict(json.loads(line))
                except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
                    record = None
                if record is not None:
                    records[record.input] = record
                elif line.strip() and (line.endswith(b"\n") or len(line) == _MAX_RECORD_LINE):
                    self.damaged += 1  # (a torn last line, left by a kill, is expected: no warning)
        return records

    def up_to_date(self, relative: str, key: str) -> Record | None:
        """The previous record of ``relative`` when its outputs exist and its key matches."""
        old = self.previous.get(relative)
        if old is None or old.status not in (Status.OK, Status.SKIPPED) or old.key != key or not old.outputs:
            return None
        for name in old.outputs:
            try:
                if not stat.S_ISREG(os.stat(self.outdir / name, follow_symlinks=False).st_mode):
                    return None
            except OSError:
                return None
        return old

    def append(self, record: Record) -> None:
        if self._handle is None:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
            try:
                fd = os.open(self.path, flags, 0o666)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise self._refuse("a symbolic link") from None
                raise
            self._handle = os.fdopen(fd, "a", encoding="utf-8")
            if self._handle.tell() and not self._ends_with_newline():
                self._handle.write("\n")  # end a line torn by a kill before appending
        self._handle.write(record.to_json() + "\n")
        self._handle.flush()
        self.records[record.input] = record

    def _holds_outputs(self, record: Record) -> bool:
        """Whether one of ``record``'s outputs is still a file in OUTDIR."""
        if record.status is Status.FAILED:
            return False
        for name in record.outputs:
            try:
                if stat.S_ISREG(os.stat(self.outdir / name, follow_symlinks=False).st_mode):
                    return True
            except OSError:
                continue
        return False

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()  # (closes the file even when its last flush fails)

    def compact(self, order: list[str]) -> None:
        """Rewrite results.jsonl with the latest record of each current input, in input order,
        then the records of earlier inputs that this run did not see:

        - those whose outputs are still there (another --glob, a file moved away): their names stay
          theirs, so that no later input is ever handed (and overwrites) an output the journal
          gave to another;
        - done web articles (a page or feed item, with a ``source_url``): a feed that was down for
          an hour, or an item past ``--max-items``, must not have its items fetched and translated
          again when they come back.
        """
        self.close()
        lines = [self.records[name].to_json() for name in order if name in self.records]
        current = set(order)
        lines += [
            old.to_json()
            for name, old in self.previous.items()
            if name not in current
            and name not in self.records
            and (self._holds_outputs(old) or (old.source_url and old.status in (Status.OK, Status.SKIPPED)))
        ]
        write_in_folder(self.outdir, RESULTS_NAME, "".join(line + "\n" for line in lines))


def sha256_file(path: Path, limit: int) -> str:
    """The SHA-256 of a regular file, reading at most ``limit + 1`` bytes.

    Raises:
        InputError: not a regular file, unreadable, or larger than ``limit``.
    """
    digest = hashlib.sha256()
    total = 0
    with open_input(path, regular_only=True) as handle:
        try:
            while block := handle.read(min(1 << 20, limit + 1 - total)):
                digest.update(block)
                total += len(block)
                if total > limit:
                    raise InputError(
                        f"{path} is over the {limit // 2**20} MiB limit for one article: split it into articles"
                    )
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return digest.hexdigest()
