"""CI runs the README's "Start here" commands as written: scripts/readme_commands.py finds them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import ROOT

SCRIPT = ROOT / "scripts" / "readme_commands.py"


def commands(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=30)


def test_the_readme_holds_two_start_here_commands_that_set_up_a_fresh_venv():
    first, second = (commands(str(i)).stdout.strip() for i in (1, 2))
    for command in (first, second):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
        assert "--upgrade pip" not in command  # the venv's own pip, as a new user has it
    assert first.endswith("tsum examples/article-da.txt --lang en")
    assert second.endswith("python -m pytest -q") and '".[test,ray,serve]"' in second


def test_only_the_torch_index_is_substituted():
    written, local = commands("2").stdout, commands("2", "--local-torch", "2.13.0").stdout
    assert "--index-url https://download.pytorch.org/whl/cpu" in written
    assert local == written.replace(
        "pip install torch --index-url https://download.pytorch.org/whl/cpu", "pip install torch==2.13.0"
    )


@pytest.mark.parametrize(
    "readme, error",
    [
        ("# tsum\n", 'Error: README has no "## Start here" section'),
        (
            "## Start here\n\n```bash\npip install -e .\n```\n\n## Install\n\n```bash\npytest\n```\n",
            'Error: README\'s "Start here" must hold exactly 2 one-line ```bash blocks (found 1)',
        ),
        (
            "## Start here\n\n```bash\npip install -e .\n```\n```bash\npytest\n```\n",
            "Error: the command no longer installs torch from the PyTorch CPU index: update .ci/run",
        ),
    ],
)
def test_a_readme_ci_cannot_follow_fails_ci_with_one_line(tmp_path, readme, error):
    (tmp_path / "README.md").write_text(readme)
    result = commands("1", "--readme", str(tmp_path / "README.md"), "--local-torch", "2.13.0")
    assert result.returncode == 1 and result.stdout == "" and result.stderr == error + "\n"
