"""Where tsum keeps its own files (converted models). Nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path


def tsum_cache_dir() -> Path:
    """``$TSUM_CACHE_DIR``, else ``$XDG_CACHE_HOME/tsum``, else ``~/.cache/tsum``."""
    if os.environ.get("TSUM_CACHE_DIR"):
        return Path(os.environ["TSUM_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "tsum"
