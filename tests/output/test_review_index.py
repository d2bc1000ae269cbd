"""The review page's index never takes the name of an article's page."""

from __future__ import annotations

import pytest
from support.cli import FAST, records, tsum, write_articles

from translate_summarize.batch.results import Record
from translate_summarize.output.review import index_name

# --- the review page's index --------------------------------------------------------------------


@pytest.mark.parametrize(
    "pages, expected",
    [
        ([], "index.html"),
        (["a.html"], "index.html"),
        (["index.html"], "tsum-index.html"),
        (["index.html", "tsum-index.html"], "tsum-index-2.html"),
        (["INDEX.html", "Tsum-Index.html"], "tsum-index-2.html"),  # case-insensitive file systems
    ],
)
def test_the_index_page_never_takes_an_articles_page_name(pages, expected):
    assert index_name([Record(page, "ok", outputs=[page]) for page in pages]) == expected


def test_html_folder_run_with_index_and_tsum_index_articles_keeps_every_page(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "index.txt", "tsum-index.txt")
    assert tsum(inputs, "-o", out, *model_args, *FAST, "--format", "html").exit_code == 0
    pages = {name: (out / record["outputs"][0]).read_text() for name, record in records(out).items()}
    assert all("<h1>tsum review" not in page for page in pages.values())
    assert "<h1>tsum review: 2 articles</h1>" in (out / "tsum-index-2.html").read_text()
