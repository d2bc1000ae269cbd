"""Reads from any source are bounded: an endless input fails with bounded memory."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.cli import one_error_line
from support.common import ROOT

from translate_summarize.errors import InputError
from translate_summarize.util.files import read_limited


class Endless:
    """A source that never ends, like /dev/zero or `yes`."""

    def __init__(self):
        self.given = 0

    def read(self, size: int) -> bytes:
        self.given += size
        return b"y\n" * (size // 2) + b"y" * (size % 2)


def test_bounded_read_stops_after_limit_plus_one_byte():
    source = Endless()
    with pytest.raises(InputError, match="over the 1 MiB limit"):
        read_limited(source, 2**20, "standard input")
    assert source.given == 2**20 + 1


# Measured from a small launcher: a child forked from pytest itself would count pytest's memory.
_LAUNCHER = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _run_measured(command: list[str], stdin) -> tuple[int, bytes, int]:
    """(exit code, stderr, peak RSS in KiB) of one process."""
    result = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *command], stdin=stdin, capture_output=True, cwd=ROOT, timeout=120
    )
    code, rss_kib = map(int, result.stdout.split())
    return code, result.stderr, rss_kib


@pytest.mark.parametrize("source", ["device", "stdin"])
def test_an_endless_input_fails_with_bounded_memory(source):
    base = [sys.executable, "-m", "translate_summarize"]
    with open("/dev/zero", "rb") as zero:
        if source == "device":
            code, stderr, rss_kib = _run_measured([*base, "/dev/zero"], subprocess.DEVNULL)
        else:
            code, stderr, rss_kib = _run_measured([*base, "-"], zero)
    assert code == 2
    assert "over the 20 MiB limit" in one_error_line(stderr)
    assert rss_kib < 200 * 1024  # 20 MiB of input plus the interpreter, far from gigabytes
