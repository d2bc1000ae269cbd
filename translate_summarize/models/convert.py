"""Convert a transformers checkpoint to CTranslate2, once, cached and written atomically.

The cache key holds the repo, the pinned revision (or, for a local folder, its path and file
stamps), the quantization and the ctranslate2 version, so an upgrade or a new revision never
reuses a stale conversion.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from translate_summarize.errors import EngineError, MissingExtraError
from translate_summarize.models.resolve import ResolvedModel
from translate_summarize.models.vocabulary import target_only_vocabulary
from translate_summarize.util.locks import try_lock
from translate_summarize.util.paths import tsum_cache_dir

logger = logging.getLogger(__name__)

# Weights are stored at this precision on disk; CTranslate2 converts at load time if the
# requested compute type differs.
STORAGE_QUANTIZATION = {
    "int8": "int8",
    "int8_float16": "int8",
    "int8_float32": "int8",
    "int8_bfloat16": "int8",
    "float16": "float16",
    "bfloat16": "bfloat16",
    "float32": "float32",
}


def _ctranslate2_version() -> str:
    try:
        import ctranslate2
    except ImportError as exc:
        raise MissingExtraError(
            "the ctranslate2 engine needs the ctranslate2 package: pip install ctranslate2, "
            "or pass --engine transformers"
        ) from exc
    return ctranslate2.__version__


# Bumped when tsum changes what a conversion contains (2: target vocabulary map).
CONVERSION_FORMAT = 2


def write_target_vocabulary_map(model_dir: Path, out: Path) -> Path | None:
    """A CTranslate2 vocabulary map whose always-allowed line is the target vocabulary."""
    allowed = target_only_vocabulary(model_dir)
    if allowed is None:
        return None
    out.write_text("\t" + " ".join(t for t in allowed if not any(c.isspace() for c in t)) + "\n", encoding="utf-8")
    return out


def converted_dir(model: ResolvedModel, quantization: str) -> Path:
    """Where the CTranslate2 conversion of ``model`` at ``quantization`` lives (or will)."""
    storage = STORAGE_QUANTIZATION.get(quantization, quantization)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "--", model.name.strip("/"))[-60:]
    key = f"{slug}-{model.fingerprint()[:22]}-{storage}-ct2-{_ctranslate2_version()}-f{CONVERSION_FORMAT}"
    return tsum_cache_dir() / "ctranslate2" / key


def convert_model(model: ResolvedModel, quantization: str, quiet: bool = False) -> Path:
    """Return a CTranslate2 model directory for ``model``, converting it on first use."""
    target = converted_dir(model, quantization)
    if (target / "model.bin").is_file():
        return target
    from ctranslate2.converters import TransformersConverter
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    if not quiet:
        logger.info("Converting %s to CTranslate2 (%s), once...", model.name, quantization)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_conversions(target.parent)  # a conversion killed with kill -9 leaves its work folder
    work = Path(tempfile.mkdtemp(prefix=".converting-", dir=target.parent))
    owner = try_lock(work / OWNER_LOCK)  # held until this conversion ends; the OS drops it on kill -9
    try:
        vmap = write_target_vocabulary_map(model.path, work / "vmap.txt")
        TransformersConverter(str(model.path), low_cpu_mem_usage=True).convert(
            str(work / "model"),
            vmap=str(vmap) if vmap else None,
            quantization=STORAGE_QUANTIZATION.get(quantization, quantization),
            force=True,
        )
        try:
            os.rename(work / "model", target)
        except OSError:
            if not (target / "model.bin").is_file():  # lost a race with another process: fine
                raise
    except (ValueError, AttributeError, KeyError, NotImplementedError) as exc:
        raise EngineError(
            f"cannot convert {model.name} to CTranslate2 ({type(exc).__name__}: {exc}): pass --engine transformers"
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if owner is not None:
            os.close(owner)
    return target


# --- clean up after conversions killed with kill -9 -----------------------------------------
OWNER_LOCK = ".owner.lock"
# A work folder without an owner lock (killed between mkdtemp and the lock, or made by an older
# tsum) is only removed once it is this old, so a conversion that is just starting is never hit.
STALE_AFTER_SECONDS = 3600


def remove_stale_conversions(folder: Path) -> None:
    """Remove ``.converting-*`` folders whose converting process is gone."""
    for work in folder.glob(".converting-*"):
        if work.is_symlink() or not work.is_dir():
            continue
        try:
            lock = try_lock(work / OWNER_LOCK) if (work / OWNER_LOCK).is_file() else None
        except OSError:
            continue
        if lock is None and (work / OWNER_LOCK).is_file():
            continue  # a live conversion holds it
        try:
            age = time.time() - work.stat().st_mtime
            # (a free lock younger than a minute may be a conversion between creating and locking it)
            if (lock is not None and age > 60) or age > STALE_AFTER_SECONDS:
                shutil.rmtree(work, ignore_errors=True)
        except OSError:
            pass
        finally:
            if lock is not None:
                os.close(lock)
