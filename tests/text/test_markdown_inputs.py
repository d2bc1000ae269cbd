"""Markdown beyond headings and bullets, and numbered lines in plain text."""

from __future__ import annotations

import json

from support.cli import tsum
from support.common import sources

from translate_summarize.text.segment import parse_article

# -- Markdown and quote dashes --------------------------------------------------------------------

MARKDOWN = """# Storm over Danmark #

- Første punkt om vejret.
  - Indrykket punkt om vinden.
1. Nummereret punkt om regnen.
2) Andet nummererede punkt.
>> Dobbelt citat fra ministeren.

```
kode = 1
```

| By | Vind |
|---|---|

-5 grader i nat, siger DMI.
"""


def test_markdown_markers_beyond_headings_and_bullets_stay_out_of_the_sources():
    segments = [(s.prefix, s.source) for s in parse_article(MARKDOWN, markdown=True).segments]
    assert segments == [
        ("# ", "Storm over Danmark"),  # closing hashes dropped
        ("- ", "Første punkt om vejret."),
        ("  - ", "Indrykket punkt om vinden."),  # nesting kept in the prefix
        ("1. ", "Nummereret punkt om regnen."),  # was "1." as a segment of its own
        ("2) ", "Andet nummererede punkt."),
        (">> ", "Dobbelt citat fra ministeren."),
        ("", "```"),  # code and tables: a line each, never merged or split
        ("", "kode = 1"),
        ("", "```"),
        ("", "| By | Vind |"),
        ("", "|---|---|"),
        ("", "-5 grader i nat, siger DMI."),  # a negative number, not a quote dash
    ]


def test_numbered_line_in_plain_text_keeps_its_number_with_its_sentence():
    assert sources(parse_article("1. Regeringen falder.\n2. Valget kommer.\n")) == [
        "1. Regeringen falder.",
        "2. Valget kommer.",
    ]


def test_cli_markdown_keeps_structure_and_letterless_lines_unchanged(model_args, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    result = tsum(str(path), *model_args, "--no-summary", "--format", "json", "--beam-size", "1")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    lines = document["translation"].split("\n")
    assert lines[0].startswith("# ") and any(line.startswith("  - ") for line in lines)
    assert any(line.startswith("1. ") for line in lines) and any(line.startswith(">> ") for line in lines)
    # lines without a letter never reach the model (it invents words for them)
    assert lines.count("```") == 2 and "|---|---|" in lines
    fences = [s for s in document["segments"] if s["source"] == "```"]
    assert fences and all(s["translation"] == "```" for s in fences)
