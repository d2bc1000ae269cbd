#!/usr/bin/env python
"""Check that the built sdist and wheel hold what users and packagers need.

    python scripts/check_dist.py DIST_DIR

The sdist must be enough to run the tests (tests/ with conftest.py and its data, the script
that builds the tiny models, the examples) and carry the license and the docs README links to;
the wheel must carry the license, py.typed, the outputs' JSON Schemas and the `tsum` entry point,
and no tests.
Exits 1 and names what is missing.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

SDIST_NEEDS = [
    "LICENSE",
    "README.md",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "SECURITY.md",
    "mkdocs.yml",
    "docs/index.md",
    "docs/models.md",
    "pyproject.toml",
    "tests/conftest.py",
    "tests/data/da_sentences.txt",
    "scripts/make_test_models.py",
    "examples/article-da.txt",
    "examples/article-da.md",
    "examples/article-da.json",
    "examples/archive-da.jsonl",
    "examples/page-da.html",
    "examples/articles/moede.txt",
    "benchmarks/run.py",
    "translate_summarize/py.typed",
    "translate_summarize/cli/main.py",
    "translate_summarize/output/schemas/article.schema.json",
    "translate_summarize/output/schemas/results-record.schema.json",
]
WHEEL_NEEDS = [
    "translate_summarize/py.typed",
    "translate_summarize/cli/main.py",
    "translate_summarize/output/schemas/article.schema.json",  # package data: the outputs' JSON Schemas
    "translate_summarize/output/schemas/results-record.schema.json",
    "licenses/LICENSE",
    "entry_points.txt",
]


def check(dist: Path) -> list[str]:
    problems = []
    sdists, wheels = sorted(dist.glob("*.tar.gz")), sorted(dist.glob("*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        return [f"expected one sdist and one wheel in {dist}, found {len(sdists)} and {len(wheels)}"]
    with tarfile.open(sdists[0]) as sdist:
        # Names inside an sdist start with "NAME-VERSION/".
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    problems += [f"sdist lacks {need}" for need in SDIST_NEEDS if need not in names]
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        entry_points = next((wheel.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt")), "")
    problems += [f"wheel lacks {need}" for need in WHEEL_NEEDS if not any(n.endswith(need) for n in names)]
    if "tsum = translate_summarize.cli.main:main" not in entry_points:
        problems.append("wheel has no `tsum` console script")
    problems += [f"wheel ships {name}" for name in names if name.startswith(("tests/", "scripts/", "benchmarks/"))]
    return problems


def main() -> int:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    problems = check(dist)
    for problem in problems:
        print(f"check_dist: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_dist: {', '.join(p.name for p in sorted(dist.iterdir()))} complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
