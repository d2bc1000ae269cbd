"""What the CLI commands do, as plain functions (kept out of cli.py so it stays thin)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from translate_summarize.errors import InputError
from translate_summarize.options import PipelineOptions
from translate_summarize.text.reading import checked_text, decode_bytes, read_article


def read_input(path: str) -> str:
    if path == "-":
        return checked_text(decode_bytes(sys.stdin.buffer.read(), "standard input"), "standard input")
    return read_article(path)


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from translate_summarize.batch.results import atomic_write

    if output.is_dir():
        raise InputError(f"{output} is a folder: pass a file name to -o for a single article")
    atomic_write(output, text)


def run_single(
    path: str, output: Path | None, fmt: str, options: PipelineOptions, summary_only: bool, quiet: bool
) -> None:
    from translate_summarize.pipeline import Pipeline
    from translate_summarize.render import render

    text = read_input(path)
    pipeline = Pipeline(options, quiet=quiet)
    pipeline.resolve()
    result = pipeline.process([text])[0]
    rendered = render(result, fmt, translation=not summary_only, summary=options.summarize, source_name=path)
    write_output(rendered, output)


def list_models(as_json: bool = False) -> str:
    from translate_summarize.models.registry import MODELS
    from translate_summarize.models.resolve import is_cached

    rows = [
        {
            "name": s.name,
            "task": s.task,
            "repo": s.repo_id,
            "revision": s.revision,
            "size": s.size,
            "license": s.license,
            "cached": is_cached(s),
            "description": s.description,
        }
        for s in MODELS.values()
    ]
    if as_json:
        return json.dumps(rows, indent=2)
    header = ("NAME", "TASK", "REPO", "REVISION", "SIZE", "LICENSE", "CACHED", "DESCRIPTION")
    table = [header] + [
        (
            r["name"],
            r["task"],
            r["repo"],
            r["revision"],
            r["size"],
            r["license"],
            "yes" if r["cached"] else "no",
            r["description"],
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table)


def download_models(names) -> list[str]:
    from translate_summarize.models.registry import require_spec
    from translate_summarize.models.resolve import download_model

    return [f"{spec.name}: {download_model(spec)}" for spec in map(require_spec, names)]
