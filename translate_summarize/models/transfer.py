"""Carry the pinned models to a machine without network: one file out, one file in.

``export_models`` writes a tar file holding each model's checkpoint files at its pinned revision,
its CTranslate2 conversion and ``manifest.json`` (names, repos, revisions, and every file's size
and SHA-256). ``import_models`` verifies every file against the manifest before it places
anything: the checkpoints into the Hugging Face cache, laid out as huggingface_hub lays out a
download (so ``resolve_model`` finds them at the pinned revision, offline), the conversions into
tsum's cache. A damaged or foreign file is refused and nothing is placed.

tar (the standard library's tarfile) because it streams files of any size, needs nothing
installed on the air-gapped side, and can be checked with ``tar tf`` by a person.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translate_summarize.errors import InputError, OutputError, UsageError
from translate_summarize.models.registry import MODELS, ModelSpec, require_spec

MANIFEST = "manifest.json"
EXPORT_FORMAT = 1
_CHUNK = 1 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(archive_path: str, file: Path) -> dict:
    return {"path": archive_path, "size": file.stat().st_size, "sha256": _sha256(file)}


def export_models(names: list[str], file: Path, quantization: str, offline: bool = False) -> list[str]:
    """Write ``file``: the pinned checkpoints of ``names``, their CTranslate2 conversions, a manifest.

    Models not cached are downloaded first (unless ``offline``); conversions not made yet are
    made. ``file`` is replaced atomically: an interrupted export leaves no half file.

    Returns:
        One line per model: name, revision, and the size it adds.

    Raises:
        UsageError: ``file`` is a folder.
        ModelNotAvailableError: an unknown model name, or a model that cannot be downloaded.
        EngineError: CTranslate2 cannot convert a model.
        OutputError: ``file``, or a conversion into tsum's cache, cannot be written.
    """
    from translate_summarize import __version__
    from translate_summarize.models.convert import convert_model
    from translate_summarize.models.resolve import require_obtainable, resolve_model

    specs = list(dict.fromkeys(map(require_spec, names)))
    if file.is_dir():
        raise UsageError(f"{file} is a folder: pass a file name, e.g. {file / 'tsum-models.tar'}")
    require_obtainable([spec.name for spec in specs], offline)
    resolved = {spec.name: resolve_model(spec.name, offline=offline) for spec in specs}
    entries, members, lines = [], [], []
    for spec in specs:
        model = resolved[spec.name]
        try:
            converted = convert_model(model, quantization)
        except OSError as exc:
            raise _unwritable(exc) from exc
        files = []
        for name in spec.files:
            files.append(_entry(f"models/{spec.name}/{name}", model.path / name))
            members.append((model.path / name, files[-1]["path"]))
        conversion = []
        for path in sorted(p for p in converted.rglob("*") if p.is_file()):
            relative = path.relative_to(converted).as_posix()
            conversion.append(_entry(f"ctranslate2/{converted.name}/{relative}", path))
            members.append((path, conversion[-1]["path"]))
        entries.append(
            {
                "name": spec.name,
                "repo_id": spec.repo_id,
                "revision": spec.revision,
                "task": spec.task,
                "files": files,
                "conversion": {"folder": converted.name, "quantization": quantization, "files": conversion},
            }
        )
        size = sum(f["size"] for f in files + conversion)
        lines.append(
            f"{spec.name}: {spec.repo_id}@{spec.revision[:12]} and its {quantization} conversion, {size:,} bytes"
        )
    manifest = {
        "format": EXPORT_FORMAT,
        "tsum_version": __version__,
        "ctranslate2_version": _local_ctranslate2_version(),
        "models": entries,
    }
    _write_tar(file, manifest, members)
    return [*lines, f"wrote {file}: on the offline machine run `tsum models import {file.name}`"]


def _write_tar(file: Path, manifest: dict, members: list[tuple[Path, str]]) -> None:
    folder = file.absolute().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {file}: {exc.strerror or exc}; pick another file name") from exc
    try:
        with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
            for path, name in members:
                info = tar.gettarinfo(str(path.resolve()), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with open(path, "rb") as source:
                    tar.addfile(info, source)
        os.replace(temporary, file)
    except OSError as exc:
        raise OutputError(f"cannot write {file}: {exc.strerror or exc}; free some space or pick another file") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@dataclass
class _Imported:
    spec: ModelSpec
    files: list[tuple[dict, Path]]  # manifest entry, staged file
    conversion_folder: str
    conversion: list[tuple[dict, Path]]


def _damaged(file: Path, why: str) -> InputError:
    return InputError(
        f"{file} is damaged or not a tsum models export ({why}): nothing was imported; copy it again, "
        "or export it again with `tsum models export FILE`"
    )


def _safe_relative(path: str) -> PurePosixPath | None:
    parts = PurePosixPath(path)
    if parts.is_absolute() or not parts.parts or any(p in ("", ".", "..") for p in parts.parts):
        return None
    return parts


def _read_manifest(file: Path, tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member) if member.isfile() and member.size < (16 << 20) else None
        manifest = json.loads(handle.read()) if handle is not None else None
    except (KeyError, ValueError, OSError, tarfile.TarError, EOFError) as exc:
        raise _damaged(file, f"no readable {MANIFEST}: {type(exc).__name__}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != EXPORT_FORMAT:
        raise _damaged(file, f"{MANIFEST} is not a format-{EXPORT_FORMAT} manifest")
    return manifest


def _plan(file: Path, manifest: dict) -> list[tuple[ModelSpec, dict]]:
    """Each manifest model with the registered spec it must match (name, repo and pinned revision)."""
    plan = []
    try:
        for model in manifest["models"]:
            spec = MODELS.get(model["name"])
            if spec is None or (model["repo_id"], model["revision"]) != (spec.repo_id, spec.revision):
                pinned = f"{spec.repo_id}@{spec.revision[:12]}" if spec else "no such model"
                raise InputError(
                    f"{file} holds {model['name']} at {model['repo_id']}@{str(model['revision'])[:12]}, but this tsum "
                    f"pins {pinned}: export it with the same tsum version as this one"
                )
            names = {entry["path"] for entry in model["files"]}
            if names != {f"models/{spec.name}/{name}" for name in spec.files}:
                raise _damaged(file, f"the files listed for {spec.name} are not the ones its revision needs")
            folder = model["conversion"]["folder"]
            if _safe_relative(folder) is None or len(PurePosixPath(folder).parts) != 1:
                raise _damaged(file, f"a conversion folder named {folder!r}")
            for entry in model["conversion"]["files"]:
                if not str(entry["path"]).startswith(f"ctranslate2/{folder}/") or _safe_relative(entry["path"]) is None:
                    raise _damaged(file, f"a file outside its folder: {entry['path']!r}")
            plan.append((spec, model))
    except (KeyError, TypeError) as exc:
        raise _damaged(file, f"{MANIFEST} lacks {exc}") from exc
    if not plan:
        raise _damaged(file, "it holds no models")
    return plan


def _stage(file: Path, tar: tarfile.TarFile, plan: list[tuple[ModelSpec, dict]], staging: Path) -> list[_Imported]:
    """Extract every listed file into ``staging``, each checked against its size and SHA-256."""
    wanted = {entry["path"]: entry for _, model in plan for entry in (*model["files"], *model["conversion"]["files"])}
    staged: dict[str, Path] = {}
    for member in tar:
        if member.name == MANIFEST:
            continue
        entry = wanted.get(member.name)
        if entry is None or not member.isfile() or member.name in staged:
            raise _damaged(file, f"an unexpected entry {member.name!r}")
        target = staging / str(len(staged))
        digest = hashlib.sha256()
        source = tar.extractfile(member)
        with open(target, "wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if member.size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise _damaged(file, f"{member.name} does not match its SHA-256 in the manifest")
        staged[member.name] = target
    missing = sorted(set(wanted) - set(staged))
    if missing:
        raise _damaged(file, f"{missing[0]} is missing")
    return [
        _Imported(
            spec,
            [(entry, staged[entry["path"]]) for entry in model["files"]],
            model["conversion"]["folder"],
            [(entry, staged[entry["path"]]) for entry in model["conversion"]["files"]],
        )
        for spec, model in plan
    ]


def import_models(file: Path) -> list[str]:
    """Verify ``file`` (from :func:`export_models`) and place its models in the local caches.

    Returns:
        One line per model: where its checkpoint and conversion now are.

    Raises:
        InputError: ``file`` cannot be read, is damaged (a file that does not match its hash, a
            missing or unexpected entry) or holds models at other revisions than this tsum pins.
        OutputError: the caches cannot be written.
    """
    from huggingface_hub import constants

    from translate_summarize.util.paths import tsum_cache_dir

    hub = Path(constants.HF_HUB_CACHE)
    conversions = tsum_cache_dir() / "ctranslate2"
    try:
        handle = open(file, "rb")  # noqa: SIM115 (closed below, after the caches are checked)
    except OSError as exc:
        raise InputError(
            f"cannot read {file} ({exc.strerror or exc}): pass the file `tsum models export` wrote"
        ) from exc
    with handle:
        try:
            hub.mkdir(parents=True, exist_ok=True)
            conversions.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".tsum-import-", dir=hub))
        except OSError as exc:
            raise _unwritable(exc) from exc
        try:
            try:
                with tarfile.open(fileobj=handle, mode="r:*") as tar:
                    manifest = _read_manifest(file, tar)
                    imported = _stage(file, tar, _plan(file, manifest), staging)
            except (tarfile.TarError, EOFError, zlib.error) as exc:
                first_line = (str(exc).splitlines() or [""])[0].rstrip(":")  # tarfile lists every method it tried
                raise _damaged(file, f"{type(exc).__name__}: {first_line}") from exc
            here = _local_ctranslate2_version()
            return [_place(item, hub, conversions, manifest.get("ctranslate2_version") == here) for item in imported]
        except OSError as exc:
            raise _unwritable(exc) from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _unwritable(exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write the model caches ({exc.strerror or exc}): make room there, or set HF_HOME and "
        "TSUM_CACHE_DIR to writable folders with space"
    )


def _local_ctranslate2_version() -> str | None:
    try:
        import ctranslate2
    except ImportError:
        return None
    return ctranslate2.__version__


def _place(item: _Imported, hub: Path, conversions: Path, same_ctranslate2: bool) -> str:
    """Move one verified model into the caches: blobs named by SHA-256, snapshot links, the conversion."""
    spec = item.spec
    repo = hub / ("models--" + spec.repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / spec.revision
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    snapshot.mkdir(parents=True, exist_ok=True)
    for entry, staged in item.files:
        blob = repo / "blobs" / entry["sha256"]
        if not blob.is_file():
            os.replace(staged, blob)
        link = snapshot / PurePosixPath(entry["path"]).name
        temporary = snapshot / f".{link.name}.tsum-import"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(os.path.relpath(blob, snapshot))
        os.replace(temporary, link)
    line = f"{spec.name}: {spec.repo_id}@{spec.revision[:12]} verified, in {snapshot}"
    if not same_ctranslate2:  # its cache key names another ctranslate2 version: never used here
        return f"{line}; its CTranslate2 conversion is for another ctranslate2 version: tsum converts it on first use"
    target = conversions / item.conversion_folder
    if not (target / "model.bin").is_file():
        work = Path(tempfile.mkdtemp(prefix=".importing-", dir=conversions))
        try:
            for entry, staged in item.conversion:
                relative = PurePosixPath(entry["path"]).relative_to(f"ctranslate2/{item.conversion_folder}")
                destination = work.joinpath(*relative.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(staged, destination)
            os.rename(work, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return f"{line}; its CTranslate2 conversion in {target}"
