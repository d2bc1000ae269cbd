"""Text and Markdown outputs: the header, and Markdown that shows the text as written."""

from __future__ import annotations

import html
import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from translate_summarize.core.pipeline import ArticleResult, TranslatedSegment
from translate_summarize.output.render import markdown_escape, render, render_pieces

COMMONMARK = MarkdownIt("commonmark")


def shown(markdown: str) -> str:
    """What a CommonMark renderer shows for one paragraph of ``markdown``: its text, tags removed."""
    rendered = COMMONMARK.render(markdown)
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    return html.unescape(rendered[3:-5])


def result(**changes) -> ArticleResult:
    fields = {
        "translation": "The meeting took place behind closed doors.\n\n- We are *very* pleased, says [the minister].",
        "summary": "The two countries met on Wednesday.",
        "segments": [
            TranslatedSegment("Mødet foregik bag lukkede døre.", "The meeting took place behind closed doors.", 0),
            TranslatedSegment(
                "- Vi er *meget* glade, siger [ministeren].", "- We are *very* pleased, says [the minister].", 1
            ),
        ],
        "metadata": {"date": "2021-07", "source": "DR_Nyheder"},
        "models": {
            "translation": {"name": "opus-mt-da-en", "revision": "062063cf0ee178dee02c229fbadb55af8dd91110"},
            "summary": {"name": "distilbart-cnn-12-6", "revision": "383e433c11aa7e021031350ab8d42abe8b2ecbcd"},
        },
        "generation": {},
        "tsum_version": "0.1.0",
    }
    return ArticleResult(**{**fields, **changes})


NOTICE = "machine-made by tsum 0.1.0: check names, numbers and quotes against the original."


def test_text_header_names_the_input_metadata_models_and_that_a_machine_made_it():
    text = render(result(), "text", source_name="articles/møde.txt")
    assert text.split("\n\n")[0].splitlines() == [
        "Input: articles/møde.txt",
        "Date: 2021-07",
        "Source: DR_Nyheder",
        "Models: opus-mt-da-en @ 062063cf0ee1 (translation), distilbart-cnn-12-6 @ 383e433c11aa (summary)",
        f"The translation and the summary are {NOTICE}",
    ]
    assert "\n\nSUMMARY\nThe two countries met on Wednesday.\n\nTRANSLATION\nThe meeting took place" in text


@pytest.mark.parametrize(
    ("parts", "notice", "models"),
    [
        (
            {"translation": True, "summary": False},
            f"The translation is {NOTICE}",
            "opus-mt-da-en @ 062063cf0ee1 (translation)",
        ),
        ({"translation": False, "summary": True}, f"The summary is {NOTICE}", None),
    ],
    ids=["translation-only", "summary-only"],
)
def test_the_header_says_which_parts_are_machine_made(parts, notice, models):
    header = render(result(), "text", **parts).split("\n\n")[0].splitlines()
    assert header[0] == "Input: standard input"
    assert header[-1] == notice
    if models:
        assert f"Models: {models}" in header


def test_markdown_header_with_a_title_and_escaped_metadata():
    article = result(metadata={"title": "Møde i *Genève*", "date": "2021-07", "source": "DR_Nyheder"})
    markdown = render(article, "markdown", source_name="2021/[07]/møde.txt")
    assert markdown.split("## Summary")[0] == (
        "# Møde i \\*Genève\\*\n\n"
        "- **Input**: 2021/\\[07\\]/møde.txt\n"
        "- **Date**: 2021-07\n"
        "- **Source**: DR\\_Nyheder\n"
        "- **Models**: opus-mt-da-en @ 062063cf0ee1 (translation), distilbart-cnn-12-6 @ 383e433c11aa (summary)\n\n"
        f"*The translation and the summary are {NOTICE}*\n\n"
    )


def test_markdown_translation_renders_as_the_translated_text():
    markdown = render(result(), "markdown", summary=False)
    translation = markdown.split("## Translation\n\n")[1]
    paragraphs = [COMMONMARK.render(p) for p in translation.strip().split("\n\n")]
    assert paragraphs == [
        "<p>The meeting took place behind closed doors.</p>\n",
        "<p>- We are *very* pleased, says [the minister].</p>\n",
    ]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*very* _much_", "\\*very\\* \\_much\\_"),
        ("- a quote", "\\- a quote"),
        ("+ more", "\\+ more"),
        ("1. maj", "1\\. maj"),
        ("2) two", "2\\) two"),
        ("# not a heading", "\\# not a heading"),
        ("> not a quote", "\\> not a quote"),
        ("<b>bold</b>", "\\<b\\>bold\\</b\\>"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("AT&T &amp;", "AT\\&T \\&amp;"),
        ("`code`", "\\`code\\`"),
        ("a | b ~~c~~", "a \\| b \\~\\~c\\~\\~"),
        ("back\\slash", "back\\\\slash"),
        ("2.5 pct. - ikke mere", "2.5 pct. - ikke mere"),
    ],
)
def test_markdown_escape_table(text, escaped):
    assert markdown_escape(text) == escaped
    assert shown(escaped) == text


@given(
    st.text(alphabet=st.sampled_from(list("ab 0123456789.,-+=#*_`[]()<>!&|~\\:;'\"/æøå")), min_size=1).map(str.strip)
)
def test_any_line_renders_as_written(line):
    if line:
        assert shown(markdown_escape(line)) == line


@pytest.fixture(scope="module")
def real_result(tiny_models) -> ArticleResult:
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.options import PipelineOptions

    options = PipelineOptions(
        translation_model=str(tiny_models["translation"]), summary_model=str(tiny_models["summary"]), beam_size=1
    )
    text = 'Mette Frederiksen "sagde" i dag, at 2,5 mio. kr. er nok.\n\n- Det er godt, siger hun.'
    return Pipeline(options).process([text])[0]


@pytest.mark.parametrize("keep_segments", [True, False], ids=["segments", "no-segments"])
def test_json_written_in_pieces_is_json_dumps_of_the_whole_result(real_result, keep_segments):
    article = real_result if keep_segments else replace(real_result, segments=[])
    assert any(segment.prefix for segment in article.segments) == keep_segments  # a marker, quotes, numbers
    whole = json.dumps(replace(article, input="a.txt").to_dict(), ensure_ascii=False, indent=2) + "\n"
    assert "".join(render_pieces(article, "json", source_name="a.txt")) == whole
    assert render(article, "json", source_name="a.txt") == whole
