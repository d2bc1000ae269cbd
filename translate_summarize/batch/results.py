"""results.jsonl, resume keys and atomic writes: what makes folder runs safe to kill."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS_NAME = "results.jsonl"
TMP_PREFIX = ".tsum-tmp-"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file renamed into place (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(outdir: Path) -> None:
    """Delete temporary files a killed run left behind."""
    if outdir.is_dir():
        for tmp in outdir.rglob(TMP_PREFIX + "*"):
            tmp.unlink(missing_ok=True)


def resume_key(input_sha256: str, models: dict, options: dict, fmt: str) -> str:
    """What an output depends on: the input's bytes, the models at their revisions, the options."""
    payload = json.dumps({"input": input_sha256, "models": models, "options": options, "format": fmt}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class Record:
    """One line of results.jsonl."""

    input: str
    status: str  # ok | failed | skipped
    error: str | None = None
    outputs: list[str] = field(default_factory=list)
    sha256: str | None = None
    models: dict | None = None
    timings: dict = field(default_factory=dict)
    key: str | None = None
    flagged: int | None = None  # trust (issue 13): segments with quality flags (ok records)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=False)


class ResultsLog:
    """Appends records as articles finish; compacts to one record per input at the end.

    Appending (flushed after each line) means a killed run keeps every finished record; a torn
    last line from a kill is ignored when read back.
    """

    def __init__(self, outdir: Path):
        self.path = outdir / RESULTS_NAME
        self.previous = self._read()
        self._handle = None
        self.records: dict[str, Record] = {}

    def _read(self) -> dict[str, Record]:
        records: dict[str, Record] = {}
        if not self.path.is_file():
            return records
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                data = json.loads(line)
                records[data["input"]] = Record(**data)
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by a kill
        return records

    def up_to_date(self, relative: str, key: str, outdir: Path) -> Record | None:
        old = self.previous.get(relative)
        fresh = old and old.status in ("ok", "skipped") and old.key == key and old.outputs
        return old if fresh and all((outdir / name).is_file() for name in old.outputs) else None

    def append(self, record: Record) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the run
            if self._handle.tell() and not self.path.read_bytes().endswith(b"\n"):
                self._handle.write("\n")  # end a line torn by a kill before appending
        self._handle.write(record.to_json() + "\n")
        self._handle.flush()
        self.records[record.input] = record

    def compact(self, order: list[str]) -> None:
        """Rewrite results.jsonl with the latest record of each current input, in input order."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        lines = [self.records[name].to_json() for name in order if name in self.records]
        atomic_write(self.path, "".join(line + "\n" for line in lines))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
