"""Option values with documented bounds."""

from __future__ import annotations

from support.cli import tsum
from support.common import EXAMPLE


def test_beam_size_is_bounded_and_the_bound_is_documented(model_args):
    result = tsum(EXAMPLE, *model_args, "--beam-size", "1000")
    assert result.exit_code == 2 and "1000 is not in the range 1<=x<=16" in result.stderr
    assert "1 to 16" in tsum("--help").stdout
