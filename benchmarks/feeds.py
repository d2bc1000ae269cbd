#!/usr/bin/env python
"""Feed throughput (fetch + parse, no translation) and the politeness delay, on a local server.

    python benchmarks/feeds.py [--items 200] [--polite-requests 6]

A local HTTP server (the standard library's, threaded, on 127.0.0.1) serves a feed of N items
whose full text is in the feed, a feed of N items that link to their pages, and the pages.
tsum plans each feed as a folder run does (batch/web.py: fetch, feed parsing, item selection)
and reads every item to segments (page fetch, trafilatura, Danish sentence splitting, the
language guard) with ``--rate 0``, so that tsum's own work is measured, not the wait. Then it
fetches a few pages from one host at the default rate and reports the shortest gap between
their arrivals at the server. Ends with ``RESULT`` lines:

    RESULT feeds_full_text_items_per_s X     items whose text is in the feed
    RESULT feeds_linked_items_per_s X        items whose page is fetched (one more request each)
    RESULT feeds_min_gap_s X                 shortest gap between requests to one host (rate 1/s)
    RESULT feeds_rate_per_s X                the --rate it ran with
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCES = [
    "Regeringen fremlagde onsdag et nyt forslag om lavere skat på arbejde.",
    "Forslaget skal forhandles i Folketinget i den kommende uge, oplyser ministeriet.",
    "Oppositionen kalder planen usolidarisk og vil stemme imod den.",
    "Ifølge Danmarks Statistik steg priserne med 2,5 procent sidste år.",
    "Økonomer venter, at renten stiger igen i løbet af foråret.",
]


def article_html(number: int) -> str:
    paragraphs = "".join(f"<p>{s} (Nyhed {number}.)</p>" for s in SENTENCES * 4)
    return (
        f"<html><head><meta charset='utf-8'><title>Nyhed {number}</title></head>"
        f"<body><nav>Forside Indland Udland</nav><article><h1>Nyhed nummer {number}</h1>{paragraphs}</article>"
        "<footer>Kontakt os</footer></body></html>"
    )


def feed_xml(base: str, items: int, full_text: bool) -> str:
    entries = []
    for number in range(items):
        content = ""
        if full_text:
            body = "".join(f"<p>{s}</p>" for s in SENTENCES * 8)  # well over the 150-word threshold
            content = f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        entries.append(
            f"<item><title>Nyhed {number}</title><link>{base}/a/{number}</link><guid>n-{number}</guid>"
            f"<pubDate>Wed, 02 Dec 2026 08:00:00 GMT</pubDate>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Nyheder</title>'
        + "".join(entries)
        + "</channel></rss>"
    )


class Site(BaseHTTPRequestHandler):
    arrivals: dict[str, list[float]] = {}
    feeds: dict[str, str] = {}

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Site.arrivals.setdefault(self.path, []).append(time.monotonic())
        if self.path in Site.feeds:
            body, kind = Site.feeds[self.path].encode(), "application/rss+xml; charset=utf-8"
        elif self.path.startswith("/a/"):
            body, kind = article_html(int(self.path[3:])).encode(), "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def read_all(options, feed_url: str) -> int:
    """Plan the feed as a folder run does and read every item to segments; the item count."""
    from translate_summarize.batch.web import web_article_text, web_inputs
    from translate_summarize.text.inputs import parse_input

    inputs = web_inputs(replace(options, urls=(feed_url,)), set(), set(), ".txt")
    for item in inputs:
        if item.problem:
            raise SystemExit(f"benchmark feed item failed: {item.problem}")
        text, kind = web_article_text(item, options)
        article = parse_input(text, item.url or item.relative, "warn", kind=kind)
        if not article.segments:
            raise SystemExit(f"no segments for {item.relative}")
    return len(inputs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--polite-requests", type=int, default=6)
    args = parser.parse_args()

    from translate_summarize.options import FetchOptions, WebOptions
    from translate_summarize.web.fetch import Fetcher

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    Site.feeds = {
        "/full.xml": feed_xml(base, args.items, full_text=True),
        "/links.xml": feed_xml(base, args.items, full_text=False),
    }
    unlimited = WebOptions(fetch=FetchOptions(rate=0, robots=True))
    try:
        results = {}
        for name, path in (("full_text", "/full.xml"), ("linked", "/links.xml")):
            start = time.perf_counter()
            count = read_all(unlimited, base + path)
            seconds = time.perf_counter() - start
            print(f"{name}: {count} items in {seconds:.2f} s", file=sys.stderr)
            results[name] = count / seconds
        polite = FetchOptions()  # the defaults: one request per second per host
        with Fetcher(polite) as fetcher:
            for number in range(args.polite_requests):
                fetcher.get(f"{base}/a/{10_000 + number}")
        times = sorted(t for n in range(args.polite_requests) for t in Site.arrivals[f"/a/{10_000 + n}"])
        min_gap = min(b - a for a, b in zip(times, times[1:]))
    finally:
        server.shutdown()
    print(f"RESULT feeds_full_text_items_per_s {results['full_text']:.1f}")
    print(f"RESULT feeds_linked_items_per_s {results['linked']:.1f}")
    print(f"RESULT feeds_min_gap_s {min_gap:.3f}")
    print(f"RESULT feeds_rate_per_s {polite.rate:g}")


if __name__ == "__main__":
    main()
