"""Every optional path of tsum runs in the environment the README's test command installs.

A resolver quirk once dropped lxml_html_clean (needed by jusText under trafilatura) and every
.html input ended in an ImportError; each path is exercised here in a fresh interpreter, so
nothing imported by another test can hide a missing package.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
from helpers import ROOT

PAGE = (
    "<html><head><title>Aftalen er på plads</title></head><body><nav>Forside | Sport</nav><article>"
    "<h1>Aftalen er på plads</h1><p>De to lande mødtes onsdag i København for at tale om handel.</p>"
    "<p>Mødet foregik bag lukkede døre, og ministeren vil ikke kommentere sagen før i morgen.</p>"
    "</article></body></html>"
)

# Each optional path, as tsum itself reaches it.
PATHS = {
    "html": (
        "from translate_summarize.text.html import html_to_text\n"
        f"text = html_to_text({PAGE!r})\n"
        "assert 'lukkede døre' in text and 'Forside' not in text, text\n"
        "import lxml.html.clean\n"
    ),
    "language guard": (
        "from translate_summarize.text.language import detect_language\n"
        "verdict = detect_language('De to lande mødtes onsdag i København.\\n'"
        " 'Mødet foregik bag lukkede døre, og ministeren vil ikke kommentere sagen.\\n'"
        " 'Forhandlingerne fortsætter i morgen, siger han ifølge nyhedsbureauet.')\n"
        "assert verdict['code'] == 'da', verdict\n"
    ),
    "eval": (
        "from translate_summarize.cli.evaluate import _rouge_scorer, _sacrebleu\n"
        "bleu = _sacrebleu().BLEU().corpus_score(['The two countries met.'], [['The two countries met.']])\n"
        "assert round(bleu.score) == 100, bleu\n"
        "assert _rouge_scorer().RougeScorer(['rouge1']).score('a b', 'a b')['rouge1'].fmeasure == 1.0\n"
    ),
    "serve": (
        "import multipart, uvicorn\n"
        "from translate_summarize.serve.app import create_app\n"
        "from translate_summarize.serve.run import serve\n"
    ),
    "ray": "import ray, ray.data, pyarrow\nfrom translate_summarize.batch.ray_executor import run_ray\n",
}


@pytest.mark.parametrize("path", PATHS)
def test_optional_path_imports_and_runs_in_a_fresh_interpreter(path):
    result = subprocess.run([sys.executable, "-c", PATHS[path]], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]


def test_what_the_html_path_imports_is_declared_directly():
    """jusText asks for lxml_html_clean through lxml's extra, which older pips drop: tsum names it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {requirement.split(">")[0].split("=")[0].split("[")[0].strip() for requirement in project["dependencies"]}
    assert {"trafilatura", "lxml_html_clean", "lingua-language-detector"} <= names


def test_the_python_versions_claimed_are_the_ones_tested():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    versions = {
        c.rsplit(" :: ", 1)[1] for c in project["classifiers"] if c.startswith("Programming Language :: Python :: 3.")
    }
    assert versions == {"3.11"} and project["requires-python"] == ">=3.11"
