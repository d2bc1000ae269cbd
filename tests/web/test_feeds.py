"""Links, feeds and URL lists: reading feeds, and the CLI against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from support.cli import FAST, records, tsum
from support.common import TRANSLATION_PAIRS
from werkzeug.wrappers import Response

from translate_summarize.errors import FetchError, InputError
from translate_summarize.web.feeds import (
    FeedItem,
    is_url_list,
    item_article_text,
    looks_like_feed,
    parse_feed,
    read_url_list,
    select_items,
)
from translate_summarize.web.fetch import FetchedPage

DA = [da for da, _ in TRANSLATION_PAIRS]
EN = [en for _, en in TRANSLATION_PAIRS]
WEB = [*FAST, "--rate", "0"]  # a local test server: no politeness delay needed


def page_html(*sentences: str, title: str = "Nyhed") -> str:
    paragraphs = "".join(f"<p>{s}</p>" for s in sentences)
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><article>{paragraphs}</article></body></html>"


def rss(items: list[dict]) -> str:
    entries = ""
    for item in items:
        content = f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>" if "content" in item else ""
        entries += (
            f"<item><title>{item['title']}</title><link>{item['link']}</link><guid>{item['guid']}</guid>"
            f"<pubDate>{item.get('date', 'Wed, 02 Dec 2026 08:00:00 GMT')}</pubDate>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Nyheder</title>'
        f"{entries}</channel></rss>"
    )


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:feed</id><updated>2026-12-02T08:00:00Z</updated>
<entry><title>Første</title><id>urn:item:1</id><link href="https://example.dk/a/1"/><updated>2026-12-02T07:00:00Z</updated>
<author><name>Mette</name></author><summary>Kort.</summary></entry>
</feed>"""
JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON",
        "items": [
            {
                "id": "j1",
                "url": "https://example.dk/j/1",
                "title": "Første",
                "date_published": "2026-12-01T10:00:00+01:00",
                "authors": [{"name": "Ole"}],
                "content_text": "Kort.",
            }
        ],
    }
)


def fetched(text: str, content_type: str, url: str = "https://example.dk/x") -> FetchedPage:
    return FetchedPage(url, url, 200, content_type, text.encode(), text, "utf-8")


def test_rss_items_have_guid_link_title_and_date():
    feed = parse_feed(fetched(rss([{"title": "T", "link": "https://e.dk/1", "guid": "g1"}]), "application/rss+xml"))
    (item,) = feed.items
    assert (item.key, item.link, item.title) == ("g1", "https://e.dk/1", "T")
    assert item.published == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_atom_and_json_feed_items():
    (atom,) = parse_feed(fetched(ATOM, "application/atom+xml")).items
    assert (atom.key, atom.link, atom.author) == ("urn:item:1", "https://example.dk/a/1", "Mette")
    (item,) = parse_feed(fetched(JSON_FEED, "application/feed+json")).items
    assert (item.key, item.link, item.author) == ("j1", "https://example.dk/j/1", "Ole")
    assert item.published == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, content_type, is_feed",
    [
        (rss([]), "text/xml", True),  # a generic type: told by the content
        (ATOM, "application/xml", True),
        (JSON_FEED, "application/json", True),
        (rss([]), "text/html", False),  # a page is a page, whatever its text says
        (page_html("x"), "application/rss+xml", True),  # a feed type is a feed (and fails as one if it is not)
        (page_html("x"), "text/plain", False),
        ('{"title": "not a feed"}', "application/json", False),
    ],
)
def test_a_feed_is_told_by_content_type_or_content(text, content_type, is_feed):
    assert looks_like_feed(fetched(text, content_type, url="https://example.dk/feed.xml")) is is_feed


@pytest.mark.parametrize("text", ["<rss version='2.0'><channel><title>x</title></channel></rss>", "<rss><chan"])
def test_an_empty_or_malformed_feed_is_an_error(text):
    with pytest.raises(FetchError, match="the feed https://example.dk/x (holds no items|is malformed)"):
        parse_feed(fetched(text, "application/rss+xml"))


def test_full_text_in_the_feed_is_used_from_the_threshold_on():
    long = "<p>" + " ".join(["ord"] * 150) + "</p>"
    item = FeedItem("g", "https://e.dk/1", "Titel", None, "Ole", long)
    text = item_article_text(item, 150)
    assert text.startswith("title: Titel\nauthor: Ole\nurl: https://e.dk/1\n\n")
    assert (
        item_article_text(FeedItem("g", "https://e.dk/1", content="<p>" + " ".join(["ord"] * 149) + "</p>"), 150)
        is None
    )


def test_since_and_max_items_bound_the_items():
    day = lambda d: datetime(2026, 12, d, tzinfo=UTC)  # noqa: E731
    items = [FeedItem("a", None, published=day(3)), FeedItem("b", None), FeedItem("c", None, published=day(1))]
    assert [i.key for i in select_items(items, day(2), None)] == ["a", "b"]  # undated items are kept
    assert [i.key for i in select_items(items, None, 2)] == ["a", "b"]


def test_url_lists_and_opml():
    assert read_url_list("# morning\nhttps://a.dk/1\n\nhttp://b.dk/2\nhttps://a.dk/1\n", "l") == [
        "https://a.dk/1",
        "http://b.dk/2",
    ]
    opml = (
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="DK">'
        '<outline text="DR" type="rss" xmlUrl="https://www.dr.dk/feed"/>'
        '<outline text="P" type="rss" xmlUrl="https://politiken.dk/rss"/></outline></body></opml>'
    )
    assert read_url_list(opml, "feeds.opml") == ["https://www.dr.dk/feed", "https://politiken.dk/rss"]
    assert not is_url_list(DA[0] + "\nhttps://a.dk/1\n")
    with pytest.raises(InputError, match="is not a list of URLs"):
        read_url_list(DA[0], "l")


# --- the command line against a local server -----------------------------------------------------


@pytest.fixture
def site():
    with HTTPServer(host="127.0.0.1", port=0) as server:
        server.expect_request("/robots.txt").respond_with_data("User-agent: tsum\nDisallow: /private\n")
        for number in range(1, 5):
            body = page_html(DA[2 * number], DA[2 * number + 1], title=f"Nyhed {number}")
            server.expect_request(f"/news/{number}").respond_with_data(body, content_type="text/html; charset=utf-8")
        server.expect_request("/private/1").respond_with_data(page_html(DA[0]), content_type="text/html")
        yield server


def served(server: HTTPServer, path: str) -> int:
    return sum(1 for entry in server.log if entry[0].path == path)


def test_one_link_is_fetched_and_translated(site, model_args):
    url = site.url_for("/news/1")
    result = tsum(url, *model_args, *WEB)
    assert result.exit_code == 0, result.output
    assert f"Url: {url}" in result.output and "Title: Nyhed 1" in result.output
    assert f"\n\n{EN[2]}\n\n{EN[3]}\n" in result.output  # one paragraph per <p>
    data = json.loads(tsum(url, "--format", "json", *model_args, *WEB).output)
    assert data["source_url"] == url and data["metadata"]["url"] == url


@pytest.mark.parametrize(
    "path, status, message",
    [
        ("/missing", 404, "HTTP 404 for {url}: no such page: check the URL"),
        ("/paywall", 403, "HTTP 403 for {url}: the site refuses tsum (a paywall, or a block on automated readers)"),
        (
            "/image",
            200,
            "{url} is image/png, which tsum cannot read as an article: pass a web page, a feed, or a .docx, .odt or .pdf document",
        ),
        (
            "/private/1",
            200,
            "{url} is disallowed for tsum by the site's robots.txt: pass --ignore-robots to fetch it anyway",
        ),
    ],
)
def test_a_link_that_cannot_be_read_is_one_error_line(site, model_args, path, status, message):
    site.expect_request("/missing").respond_with_data("no", status=404)
    site.expect_request("/paywall").respond_with_data("no", status=403)
    site.expect_request("/image").respond_with_data(b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png")
    url = site.url_for(path)
    result = tsum(url, *model_args, *WEB)
    assert (result.exit_code, result.output) == (2, f"Error: {message.format(url=url)}\n")


def test_ignore_robots_fetches_a_disallowed_page(site, model_args):
    result = tsum(site.url_for("/private/1"), "--ignore-robots", *model_args, *WEB)
    assert result.exit_code == 0 and EN[0] in result.output


def test_offline_refuses_urls_before_any_request(site, model_args):
    result = tsum(site.url_for("/news/1"), "--offline", *model_args, *WEB)
    assert result.exit_code == 2
    assert (
        result.output
        == f"Error: --offline: tsum fetches no URL ({site.url_for('/news/1')}); drop --offline, or pass saved pages\n"
    )
    assert site.log == []


def test_a_feed_needs_an_output_folder(site, model_args):
    site.expect_request("/feed").respond_with_data(
        rss([{"title": "T", "link": site.url_for("/news/1"), "guid": "g1"}]), content_type="application/rss+xml"
    )
    url = site.url_for("/feed")
    result = tsum(url, *model_args, *WEB)
    assert result.exit_code == 2
    assert (
        result.output
        == f"Error: {url} is a feed: pass -o OUTDIR/ to translate each of its items: tsum {url} -o news/\n"
    )


def _serve_feed(server: HTTPServer, path: str, items: list[dict]) -> str:
    """A feed whose items the test can change between runs (the handler reads the list)."""
    server.expect_request(path).respond_with_handler(
        lambda request: Response(rss(items), content_type="application/rss+xml; charset=utf-8")
    )
    return server.url_for(path)


def test_a_feed_run_is_incremental(site, model_args, tmp_path):
    full_text = "".join(f"<p>{DA[10]} {DA[11]}</p>" for _ in range(20))  # 20 paragraphs: over the threshold
    items = [
        {"title": "Et", "link": site.url_for("/news/1"), "guid": "dr-1"},
        {"title": "To", "link": site.url_for("/news/2"), "guid": "dr-2"},
        {"title": "Hel", "link": site.url_for("/news/9"), "guid": "dr-9", "content": full_text},
    ]
    feed = _serve_feed(site, "/feeds/alle", items)
    out = tmp_path / "news"
    result = tsum(feed, "-o", f"{out}/", *model_args, *WEB)
    assert result.exit_code == 0, result.output
    host = f"127.0.0.1_{site.port}"
    found = records(out)
    assert {key: (r["status"], r["outputs"], r["source_url"]) for key, r in found.items()} == {
        "dr-1": ("ok", [f"{host}/news/1.txt"], site.url_for("/news/1")),
        "dr-2": ("ok", [f"{host}/news/2.txt"], site.url_for("/news/2")),
        "dr-9": ("ok", [f"{host}/news/9.txt"], site.url_for("/news/9")),
    }
    assert f"\n\n{EN[4]}\n\n{EN[5]}\n" in (out / host / "news" / "2.txt").read_text()
    assert EN[11] in (out / host / "news" / "9.txt").read_text()
    assert served(site, "/news/9") == 0  # its full text came with the feed
    # An hour later: one new item. Only it is fetched and translated.
    items.insert(0, {"title": "Ny", "link": site.url_for("/news/3"), "guid": "dr-3"})
    result = tsum(feed, "-o", out, *model_args, *WEB)
    assert result.exit_code == 0, result.output
    assert (served(site, "/news/1"), served(site, "/news/2"), served(site, "/news/3")) == (1, 1, 1)
    assert {key: r["status"] for key, r in records(out).items()} == {
        "dr-3": "ok",
        "dr-1": "skipped",
        "dr-2": "skipped",
        "dr-9": "skipped",
    }


def test_max_items_and_since_bound_a_feed_run(site, model_args, tmp_path):
    items = [
        {"title": "A", "link": site.url_for("/news/1"), "guid": "a", "date": "Wed, 02 Dec 2026 08:00:00 GMT"},
        {"title": "B", "link": site.url_for("/news/2"), "guid": "b", "date": "Tue, 01 Dec 2026 08:00:00 GMT"},
        {"title": "C", "link": site.url_for("/news/3"), "guid": "c", "date": "Mon, 30 Nov 2026 08:00:00 GMT"},
    ]
    feed = _serve_feed(site, "/feed", items)
    result = tsum(feed, "-o", f"{tmp_path}/one/", "--max-items", "1", *model_args, *WEB)
    assert result.exit_code == 0 and set(records(tmp_path / "one")) == {"a"}
    result = tsum(feed, "-o", f"{tmp_path}/two/", "--since", "2026-12-01", *model_args, *WEB)
    assert result.exit_code == 0 and set(records(tmp_path / "two")) == {"a", "b"}
    quiet_hour = tsum(feed, "-o", f"{tmp_path}/three/", "--since", "2026-12-03", *model_args, *FAST, "--rate", "0")
    assert quiet_hour.exit_code == 0 and records(tmp_path / "three") == {}  # no new item: no error
    bad = tsum(feed, "-o", f"{tmp_path}/x/", "--since", "yesterday", *model_args, *WEB)
    assert bad.exit_code == 2 and bad.output.startswith("Error: --since 'yesterday' is not a date")


def test_an_opml_list_of_feeds_survives_a_broken_feed(site, model_args, tmp_path):
    good = _serve_feed(site, "/good", [{"title": "A", "link": site.url_for("/news/1"), "guid": "a"}])
    site.expect_request("/down").respond_with_data("oops", status=500)
    site.expect_request("/broken").respond_with_data("<rss><channel><item>", content_type="application/rss+xml")
    down, broken = site.url_for("/down"), site.url_for("/broken")
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        + "".join(f'<outline type="rss" xmlUrl="{url}"/>' for url in (down, broken, good))
        + "</body></opml>"
    )
    result = tsum(opml, "-o", tmp_path / "out", *model_args, *WEB, "--force")
    assert result.exit_code == 1
    found = records(tmp_path / "out")
    assert found["a"]["status"] == "ok"
    assert found[down]["status"] == "failed" and found[down]["error"].startswith(f"HTTP 500 for {down}")
    assert found[broken]["status"] == "failed"
    assert re.match(f"the feed {re.escape(broken)} (is malformed|holds no items)", found[broken]["error"])


def test_a_file_of_urls_runs_like_a_folder(site, model_args, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.url_for('/news/1')}\n{site.url_for('/news/2')}\n{site.url_for('/private/1')}\n")
    result = tsum(urls, "-o", tmp_path / "out", *model_args, *WEB)
    assert result.exit_code == 1
    found = records(tmp_path / "out")
    host = f"127.0.0.1_{site.port}"
    assert found[site.url_for("/news/1")]["outputs"] == [f"{host}/news/1.txt"]
    assert found[site.url_for("/news/2")]["status"] == "ok"
    assert "disallowed for tsum by the site's robots.txt" in found[site.url_for("/private/1")]["error"]
    assert f"Url: {site.url_for('/news/1')}" in (tmp_path / "out" / host / "news" / "1.txt").read_text()
    # A rerun fetches nothing it already translated.
    before = served(site, "/news/1")
    assert tsum(urls, "-o", tmp_path / "out", *model_args, *WEB).exit_code == 1
    assert served(site, "/news/1") == before


def test_url_lists_need_an_output_folder(site, model_args, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(site.url_for("/news/1") + "\n")
    result = tsum(urls, *model_args, *WEB)
    assert (result.exit_code, result.output) == (
        2,
        "Error: URL lists, feeds and several URLs need -o OUTDIR: tsum urls.txt -o out/\n",
    )


def test_the_cli_defaults_come_from_the_options():
    from translate_summarize.cli.main import main
    from translate_summarize.options import FetchOptions, WebOptions

    params = {p.name: p for p in main.commands["run"].params}
    assert params["rate"].default == FetchOptions().rate
    assert params["since"].default == WebOptions().since
    assert params["max_items"].default == WebOptions().max_items
    assert params["ignore_robots"].default is (not FetchOptions().robots)


@pytest.mark.parametrize(
    "body, content_type",
    [(ATOM, "application/atom+xml"), (JSON_FEED, "application/json"), (ATOM, "text/plain")],
)
def test_feeds_of_each_kind_are_planned_from_a_server(site, body, content_type):
    from translate_summarize.batch.web import web_inputs
    from translate_summarize.options import FetchOptions, WebOptions

    site.expect_request("/any-name").respond_with_data(body, content_type=content_type)
    options = WebOptions(urls=(site.url_for("/any-name"),), fetch=FetchOptions(rate=0))
    (item,) = web_inputs(options, set(), set(), ".txt")
    key, link = ("urn:item:1", "https://example.dk/a/1") if body == ATOM else ("j1", "https://example.dk/j/1")
    assert (item.relative, item.url, item.problem, item.text) == (key, link, None, None)  # fetched when read
    assert item.output_stem == f"127.0.0.1_{site.port}/example.dk/{link.split('example.dk/')[1]}"


def test_urls_run_with_the_local_executor_only(site, model_args, tmp_path):
    result = tsum(
        site.url_for("/news/1"), site.url_for("/news/2"), "-o", tmp_path / "out", "--executor", "ray", *model_args
    )
    assert (result.exit_code, result.output) == (
        2,
        "Error: URLs and feeds run with the local executor only (one polite rate per host): drop --executor ray\n",
    )
    assert site.log == []


def test_items_stay_done_while_their_feed_is_down(site, model_args, tmp_path):
    items = [{"title": "A", "link": site.url_for("/news/1"), "guid": "a"}]
    feed = _serve_feed(site, "/sometimes", items)
    out = tmp_path / "out"
    assert tsum(feed, "-o", f"{out}/", *model_args, *WEB).exit_code == 0
    items.clear()  # the feed is empty for a run (as if down): a failed record for the feed
    assert tsum(feed, "-o", f"{out}/", *model_args, *WEB).exit_code == 1
    assert records(out)["a"]["status"] == "ok"  # still recorded as done
    items.append({"title": "A", "link": site.url_for("/news/1"), "guid": "a"})
    assert tsum(feed, "-o", f"{out}/", *model_args, *WEB).exit_code == 0
    assert records(out)["a"]["status"] == "skipped"
    assert served(site, "/news/1") == 1  # fetched once, in the first run


def test_urls_option_needs_a_list_of_urls(tmp_path, model_args):
    article = tmp_path / "article.txt"
    article.write_text(DA[0] + "\n")
    result = tsum("--urls", article, "-o", tmp_path / "out", *model_args)
    assert (result.exit_code, result.output) == (
        2,
        f"Error: {article} is not a list of URLs (one http(s) URL a line) or an OPML file of feeds\n",
    )


def test_urls_option_alone_runs_its_list(site, model_args, tmp_path):
    site.expect_request("/gone").respond_with_data("no", status=410)
    listing = tmp_path / "morning.list"
    listing.write_text(f"# one gone page\n{site.url_for('/gone')}\n")
    result = tsum("--urls", listing, "-o", tmp_path / "out", *model_args, *WEB)
    assert result.exit_code == 1
    (record,) = records(tmp_path / "out").values()
    assert (record["input"], record["status"]) == (site.url_for("/gone"), "failed")
    assert record["error"] == f"HTTP 410 for {site.url_for('/gone')}: the page was removed"
