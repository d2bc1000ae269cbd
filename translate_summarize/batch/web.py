"""URLs and feeds in folder runs: each page, and each item of each feed, is one input.

Planning fetches each given URL once, to tell a feed from a page by what it holds (a URL that
results.jsonl already records as a page is not fetched again: reruns stay cheap). A page's
article is kept from that fetch; a feed's items become inputs keyed by GUID (else link), whose
articles are fetched when they are read, and only when they are not already done. Resume keys
hash the URL or GUID, not the content, so an item is translated once however often it is run.

Outputs go under ``OUTDIR/<host>/<path>`` for pages and ``OUTDIR/<feed host>/<item path>`` for
feed items. One :class:`~translate_summarize.web.fetch.Fetcher` per process and fetch options
holds the per-host rate limit and the robots.txt cache for planning and reading alike.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from translate_summarize.batch.discover import InputFile, output_stems
from translate_summarize.errors import FetchError, InputError, UsageError
from translate_summarize.options import FORMAT_EXTENSIONS, BatchOptions, FetchOptions, WebOptions
from translate_summarize.web.articles import page_article, url_output_name
from translate_summarize.web.feeds import item_article_text, looks_like_feed, parse_date, parse_feed, select_items
from translate_summarize.web.fetch import Fetcher

_fetchers: dict[FetchOptions, Fetcher] = {}
_fetchers_lock = threading.Lock()


def shared_fetcher(options: FetchOptions) -> Fetcher:
    """This process's fetcher for ``options``: one rate limit and robots.txt cache for the run."""
    with _fetchers_lock:
        if options not in _fetchers:
            _fetchers[options] = Fetcher(options)
        return _fetchers[options]


def url_digest(key: str) -> str:
    """The ``sha256`` recorded for a web input: of its URL or GUID (its content is not known
    before it is fetched, and a rerun must skip it without fetching)."""
    return hashlib.sha256(("url:" + key).encode()).hexdigest()


def _input(key: str, name: str, url: str | None, text: str | None = None, kind: str | None = None, problem=None):
    return InputFile(Path(key), key, name, problem, text, url_digest(key), url=url, kind=kind)


def planned_web_inputs(files: list[InputFile], outdir: Path, batch: BatchOptions) -> list[InputFile]:
    """The web inputs of a folder run beside its ``files`` (see :func:`web_inputs`).

    Raises:
        UsageError: with the Ray executor (its workers would each keep their own rate limit per host).
    """
    from translate_summarize.batch.results import ResultsLog, Status

    if batch.executor != "local":
        raise UsageError(
            "URLs and feeds run with the local executor only (one polite rate per host): drop --executor ray"
        )
    taken = set()
    for item in files:
        stem = PurePosixPath(item.output_stem)
        taken.add(str(stem).casefold())
        taken.update(str(parent).casefold() for parent in stem.parents if str(parent) != ".")
    previous = ResultsLog(outdir).previous if outdir.is_dir() else {}
    done = {key for key, record in previous.items() if record.status in (Status.OK, Status.SKIPPED)}
    return web_inputs(batch.web, done, taken, FORMAT_EXTENSIONS[batch.output_format])


def web_inputs(web: WebOptions, known_pages: set[str], taken: set[str], extension: str) -> list[InputFile]:
    """One input per page and per selected feed item of ``web.urls``, in order.

    Args:
        web: the URLs and the feed options.
        known_pages: URLs results.jsonl records as pages done (not fetched again to plan).
        taken: output names (case-folded, without extension) that file inputs use.
        extension: the output extension, for output-name clashes with folders.

    A URL that cannot be fetched, or a feed that is malformed or empty, is an input with a
    ``problem`` (a failed record); it never stops the others.
    """
    fetcher = shared_fetcher(web.fetch)
    since = parse_date(web.since) if web.since else None
    found: list[tuple[InputFile, str]] = []  # (input, wanted output name)
    for url in dict.fromkeys(web.urls):
        if url in known_pages:
            found.append((_input(url, "", url), url_output_name(url)))
            continue
        try:
            page = fetcher.get(url)
            if looks_like_feed(page):
                feed = parse_feed(page)
            else:
                text, kind = page_article(page)
                found.append((_input(url, "", url, text, kind), url_output_name(url)))
                continue
        except InputError as exc:  # FetchError included: a failed record for this URL only
            found.append((_input(url, "", url, problem=str(exc)), ""))
            continue
        feed_host = url_output_name(feed.url).split("/", 1)[0]
        for item in select_items(feed.items, since, web.max_items):
            name = _item_name(feed_host, item.link, item.key)
            text = item_article_text(item, web.full_text_words)
            if text is None and not item.link:
                problem = f"the feed item {item.key} of {feed.url} has neither a link nor its text"
                found.append((_input(item.key, name, None, kind="text", problem=problem), name))
            else:
                found.append((_input(item.key, name, item.link, text, "text" if text else None), name))
    once = {}
    for item, name in found:  # an item in two feeds (or a page also listed by a feed) is one input
        once.setdefault(item.relative, (item, name))
    return _unique_names(list(once.values()), taken, extension)


def _item_name(feed_host: str, link: str | None, key: str) -> str:
    if not link:
        return f"{feed_host}/{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    host, _, path = url_output_name(link).partition("/")
    same = urlsplit(link).hostname and host == feed_host
    return f"{feed_host}/{path}" if same else f"{feed_host}/{host}/{path}"


def _unique_names(found: list[tuple[InputFile, str]], taken: set[str], extension: str) -> list[InputFile]:
    """Output names that clash with no other input's (files' included), as folder runs require."""
    seen: set[str] = set()
    wanted: list[str] = []
    for item, name in found:
        unique = name
        if not name or name.casefold() in seen or name.casefold() in taken:
            unique = f"{name or 'failed'}-{hashlib.sha256(item.relative.encode()).hexdigest()[:8]}"
        seen.add(unique.casefold())
        wanted.append(unique)
    # output_stems settles names that are also folders of others (a/b beside a/b/c).
    stems = output_stems(wanted, extension)
    results = []
    for (item, _), name in zip(found, wanted):
        stem = stems[name]
        if any(str(parent).casefold() in taken for parent in PurePosixPath(stem).parents):
            stem = f"{stem}-{hashlib.sha256(item.relative.encode()).hexdigest()[:8]}"
        results.append(
            InputFile(item.path, item.relative, stem, item.problem, item.text, item.sha256, item.url, item.kind)
        )
    return results


def web_article_text(item: InputFile, web: WebOptions) -> tuple[str, str]:
    """A web input's article text and its kind for ``parse_input``: its text from planning or
    its feed, else its page fetched now.

    Raises:
        InputError: the page cannot be fetched (FetchError) or holds no article.
    """
    if item.text is not None:
        return item.text, item.kind or "text"
    if item.url is None:
        raise FetchError(f"{item.relative} has no URL to fetch")
    return page_article(shared_fetcher(web.fetch).get(item.url))
