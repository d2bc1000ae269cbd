"""The `tsum` options and argument rules for links, feeds and URL lists (kept apart from main.py).

An ARTICLE argument that starts with ``http://`` or ``https://`` is a URL (a page or a feed:
what it holds decides). A file argument that holds only URLs, one a line, or an OPML export of
a feed reader, is a list of URLs; ``--urls FILE`` names one explicitly.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from translate_summarize.errors import InputError, UsageError
from translate_summarize.options import FetchOptions, WebOptions

FETCH_DEFAULTS = FetchOptions()
WEB_DEFAULTS = WebOptions()
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_LIST_SUFFIXES = ("", ".txt", ".opml", ".xml", ".list", ".urls")
_LIST_MAX_BYTES = 4 * 1024 * 1024

WEB_OPTIONS = [
    click.option(
        "--urls",
        "url_lists",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=str),
        help="A file of URLs (pages or feeds, one a line) or an OPML file of feeds; repeatable. Needs -o OUTDIR.",
    ),
    click.option(
        "--ignore-robots",
        is_flag=True,
        default=not FETCH_DEFAULTS.robots,
        help="Fetch pages that the site's robots.txt disallows for tsum.",
    ),
    click.option(
        "--rate",
        type=click.FloatRange(min=0),
        default=FETCH_DEFAULTS.rate,
        show_default=True,
        help="Requests per second to one host (0: no limit, for your own servers only).",
    ),
    click.option("--since", default=WEB_DEFAULTS.since, help="Feeds: only items published on or after this ISO date."),
    click.option(
        "--max-items",
        type=click.IntRange(min=1),
        default=WEB_DEFAULTS.max_items,
        help="Feeds: at most this many items of each feed (the newest, which feeds list first).",
    ),
]


def with_web_options(command):
    """Add the link and feed options to a command."""
    for option in reversed(WEB_OPTIONS):
        command = option(command)
    return command


def is_url(argument: str) -> bool:
    """Whether a command-line argument is meant as a URL (it has a scheme such as ``https://``)."""
    return bool(_SCHEME.match(argument))


def _read_list(path: str, explicit: bool) -> list[str] | None:
    """The URLs of a list file, or None when it is not one (and was not named by --urls)."""
    from translate_summarize.text.reading import decode_bytes
    from translate_summarize.util.files import read_input_bytes
    from translate_summarize.web.feeds import is_url_list, read_url_list

    if not explicit:
        file = Path(path)
        if file.suffix.lower() not in _LIST_SUFFIXES or not file.is_file() or file.stat().st_size > _LIST_MAX_BYTES:
            return None
    try:
        text = decode_bytes(read_input_bytes(path, _LIST_MAX_BYTES), path)
    except InputError:
        if explicit:
            raise
        return None  # unreadable or binary: no list of URLs; the article path reports it (one record)
    if not explicit and not is_url_list(text):
        return None
    return read_url_list(text, path)


def split_sources(paths: tuple[str, ...], url_lists: tuple[str, ...]) -> tuple[list[str], list[str], bool]:
    """(file and folder paths, URLs, whether a list of URLs was given) from the ARTICLE arguments and --urls.

    Raises:
        UsageError: a URL with a scheme other than http(s).
        InputError: a --urls file that is not a list of URLs.
    """
    files, urls, listed = [], [], False
    for path in paths:
        if is_url(path):
            if not path.lower().startswith(("http://", "https://")):
                raise UsageError(f"{path} is not an http or https URL: tsum fetches only web pages and feeds")
            urls.append(path)
        elif path != "-" and (found := _read_list(path, explicit=False)) is not None:
            urls += found
            listed = True
        else:
            files.append(path)
    for path in url_lists:
        urls += _read_list(path, explicit=True)
        listed = True
    return files, urls, listed


def web_options(
    urls: list[str], ignore_robots: bool, rate: float, since: str | None, max_items: int | None
) -> WebOptions:
    """The WebOptions of a run (--since checked here, before anything is fetched).

    Raises:
        UsageError: --since is not a date.
    """
    if since is not None:
        from translate_summarize.web.feeds import parse_date

        parse_date(since)
    fetch = FetchOptions(robots=not ignore_robots, rate=rate)
    return WebOptions(urls=tuple(urls), since=since, max_items=max_items, fetch=fetch)


def check_sources(urls: list[str], offline: bool, executor: str) -> None:
    """--offline refuses URLs at once; so does --executor ray (see batch/web.py).

    Raises:
        UsageError: URLs with --offline or with the Ray executor.
    """
    if urls and offline:
        raise UsageError(f"--offline: tsum fetches no URL ({urls[0]}); drop --offline, or pass saved pages")
    if urls and executor != "local":
        raise UsageError(
            "URLs and feeds run with the local executor only (one polite rate per host): drop --executor ray"
        )
