#!/usr/bin/env python
"""Print the README's "Start here" commands, so CI runs exactly what a new user pastes.

    python scripts/readme_commands.py [--readme README.md] [--local-torch VERSION] INDEX

prints command INDEX (1: set up and translate the example, 2: set up and run the tests), the
``bash`` code blocks of the README's "Start here" section in order. Fails (exit 1, one line)
unless that section holds exactly two such blocks, each one line: the README and CI cannot
drift apart silently.

``--local-torch VERSION`` is the one substitution: machines that cannot reach the PyTorch
index (CI here) replace ``pip install torch --index-url https://download.pytorch.org/whl/cpu``
with ``pip install torch==VERSION``, which pip resolves from a locally provided CPU wheel
(pip's configuration points at it). Everything else runs as written, with the venv's own pip.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

SECTION = "Start here"
COMMANDS = 2
# The README's CPU torch step, as written; the only part CI may replace.
TORCH_FROM_INDEX = re.compile(r"pip install torch --index-url https://download\.pytorch\.org/whl/cpu(?=\s|$)")


class ReadmeError(Exception):
    """The README's "Start here" section is not the shape CI expects."""


def start_here_commands(readme: str) -> list[str]:
    """The ``bash`` blocks of the "Start here" section (up to the next ``## `` heading), in order.

    Raises:
        ReadmeError: the section is missing, or does not hold exactly two one-line blocks.
    """
    match = re.search(rf"^## {re.escape(SECTION)}[ \t]*\n(.*?)(?=^## |\Z)", readme, flags=re.M | re.S)
    if match is None:
        raise ReadmeError(f'README has no "## {SECTION}" section')
    blocks = re.findall(r"^```bash[ \t]*\n(.*?)^```[ \t]*$", match.group(1), flags=re.M | re.S)
    commands = [block.strip() for block in blocks]
    if len(commands) != COMMANDS or any(not c or "\n" in c for c in commands):
        raise ReadmeError(
            f'README\'s "{SECTION}" must hold exactly {COMMANDS} one-line ```bash blocks (found {len(commands)})'
        )
    return commands


def with_local_torch(command: str, version: str) -> str:
    """``command`` with the PyTorch-index install of torch replaced by ``torch==version``.

    Raises:
        ReadmeError: the command holds no such install (the README changed: update CI).
    """
    replaced, count = TORCH_FROM_INDEX.subn(f"pip install torch=={version}", command)
    if count != 1:
        raise ReadmeError("the command no longer installs torch from the PyTorch CPU index: update .ci/run")
    return replaced


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=int, choices=range(1, COMMANDS + 1), help="which command, from 1")
    parser.add_argument("--readme", type=Path, default=Path(__file__).resolve().parent.parent / "README.md")
    parser.add_argument("--local-torch", metavar="VERSION", help="install torch==VERSION instead of from its index")
    args = parser.parse_args(argv)
    try:
        command = start_here_commands(args.readme.read_text(encoding="utf-8"))[args.index - 1]
        if args.local_torch:
            command = with_local_torch(command, args.local_torch)
    except (OSError, ReadmeError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
