"""Translated files of ``/translate_file``, kept for ``/download_file`` for a bounded time and space.

Names are 128 random bits plus the original's cleaned name, so they cannot be guessed; a
download looks the name up in this store (never joins it to a path), so it cannot be traversed.
The folder is the server's own temporary one, removed when the server stops.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name reduced to letters, digits, ``._-`` (what a Content-Disposition can carry as is)."""
    cleaned = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip("._") or "file"
    return cleaned[-100:]


@dataclass
class StoredFile:
    path: Path
    download_name: str
    size: int
    created: float


class FileStore:
    def __init__(self, ttl: float, space: int):
        self.ttl = ttl
        self.space = space
        self._folder: Path | None = None
        self._files: dict[str, StoredFile] = {}
        self._lock = threading.Lock()

    def _ensure_folder(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="tsum-files-"))
        return self._folder

    def put(self, data: bytes, download_name: str) -> str:
        """Keep ``data``; return the name that downloads it."""
        name = f"{secrets.token_urlsafe(16)}.{safe_name(download_name)}"
        with self._lock:
            path = self._ensure_folder() / name
            path.write_bytes(data)
            self._files[name] = StoredFile(path, safe_name(download_name), len(data), time.monotonic())
            self._expire()
        return name

    def get(self, name: str) -> StoredFile | None:
        with self._lock:
            self._expire()
            return self._files.get(name)

    def _expire(self) -> None:
        now = time.monotonic()
        for name, stored in list(self._files.items()):
            if now - stored.created > self.ttl:
                self._drop(name)
        # Over the space budget: the oldest go first (the newest file is always kept).
        while len(self._files) > 1 and sum(f.size for f in self._files.values()) > self.space:
            self._drop(min(self._files, key=lambda n: self._files[n].created))

    def _drop(self, name: str) -> None:
        stored = self._files.pop(name)
        stored.path.unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            self._files.clear()
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None
