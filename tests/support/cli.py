"""The CLI in-process and as a real process, and what its folder runs leave behind."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from support.common import ROOT, TRANSLATION_PAIRS, known_article
from translate_summarize.cli.main import main

FAST = ["--compute-type", "float32", "--beam-size", "1", "--quiet", "--no-summary"]
ARTICLE = known_article()[0]


def tsum(*args, input: bytes | str | None = None, env: dict | None = None):
    """The CLI in-process, named as users call it; unexpected exceptions (bugs) propagate instead
    of becoming exit 1."""
    return CliRunner().invoke(
        main, [str(a) for a in args], input=input, env=env, prog_name="tsum", catch_exceptions=False
    )


def timed_tsum(*args, **kwargs):
    """``tsum(*args)`` and the seconds it took: enough to tell a bounded wait from a hang (the
    speed itself is measured by benchmarks/, never asserted in tests)."""
    start = time.monotonic()
    result = tsum(*args, **kwargs)
    return result, time.monotonic() - start


def tsum_process(
    args: list[str], stdin=None, timeout: float = 120, shell_redirect: str = ""
) -> subprocess.CompletedProcess:
    """The CLI as a real process (for closed streams, devices, FIFOs and locks)."""
    command = " ".join(["exec", sys.executable, "-m", "translate_summarize", *map(shell_quote, args), shell_redirect])
    return subprocess.run(
        ["bash", "-c", command],
        cwd=ROOT,
        stdin=stdin,
        capture_output=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def shell_quote(arg) -> str:
    import shlex

    return shlex.quote(str(arg))


def one_error_line(stderr: str | bytes) -> str:
    """The single ``Error:`` line of a failed run (and no traceback)."""
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), text
    return lines[0]


def refusal(folder: Path, *args) -> str:
    """Run ``tsum *args`` in-process, which must refuse it as a usage error (exit 2) with one
    ``Error:`` line and leave everything under ``folder`` as it was; return that line."""
    before = snapshot(folder)
    result = tsum(*args)
    assert result.exit_code == 2, result.output
    line = one_error_line(result.stderr)
    assert snapshot(folder) == before
    return line


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder``: kind, mode, and content or link target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[str(path)] = ("link", os.readlink(path))
        elif stat.S_ISREG(info.st_mode):
            found[str(path)] = ("file", stat.S_IMODE(info.st_mode), path.read_bytes())
        else:
            found[str(path)] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode))
    return found


def records(outdir: Path) -> dict[str, dict]:
    lines = (outdir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["input"]: r for r in map(json.loads, lines)}


def write_articles(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(ARTICLE, encoding="utf-8")


FOLDER_FAST = ["--compute-type", "float32", "--beam-size", "1", "--format", "json", "--quiet"]
EXPECTED = dict(TRANSLATION_PAIRS)


def article(i: int, sentences: int = 3) -> str:
    picked = [TRANSLATION_PAIRS[(i + k) % len(TRANSLATION_PAIRS)][0] for k in range(sentences)]
    return f"date 2024-01-{i % 28 + 1:02d}\n" + " ".join(picked[:2]) + "\n\n" + " ".join(picked[2:]) + "\n"


def make_tree(root: Path, count: int, sentences: int = 3) -> list[str]:
    names = []
    for i in range(count):
        rel = Path(f"år {i % 4}") / f"sub {i % 3}" / f"artikel {i:03d}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(article(i, sentences), encoding="utf-8")
        names.append(rel.as_posix())
    return names


def assert_output_correct(outdir: Path, record: dict) -> None:
    (name,) = record["outputs"]
    data = json.loads((outdir / name).read_text(encoding="utf-8"))
    assert data["segments"] and all(EXPECTED[s["source"]] == s["translation"] for s in data["segments"])
    assert data["summary"]


def stray_files(outdir: Path) -> list[Path]:
    """Anything but outputs, results.jsonl and the lock file (kept: deleting it would race)."""
    return [
        p
        for p in outdir.rglob("*")
        if p.is_file() and p.name != ".tsum.lock" and (p.name.startswith(".") or p.suffix not in (".json", ".jsonl"))
    ]
