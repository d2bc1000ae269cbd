"""URL -> bytes and text, politely and within limits: the one way tsum reads the web.

httpx (maintained, typed, streaming) is the client: streaming lets the 20 MiB article cap
apply while reading, to the decoded bytes (gzip, deflate and, with the ``brotli`` package,
br), so a small compressed body cannot inflate past it. Redirects are followed here, not by
httpx, so that each hop's scheme, robots.txt and (through the guarded transport) address are
checked and the count stays at most ``max_redirects``.

Usage::

    page = fetch("https://www.dr.dk/nyheder/...")           # one URL
    with Fetcher(FetchOptions(rate=1.0)) as fetcher:         # many: one client, one rate limit
        pages = [fetcher.get(url) for url in urls]
"""

from __future__ import annotations

import codecs
import re
import socket
import ssl
import time
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit

from translate_summarize.errors import BlockedAddressError, FetchError, InputError
from translate_summarize.options import PROJECT_URL, USER_AGENT, FetchOptions
from translate_summarize.text.reading import decode_bytes
from translate_summarize.web.polite import HostRateLimiter, retry_after_seconds, robots_rules

ROBOTS_AGENT = "tsum"  # the token robots.txt groups name ("User-agent: tsum")
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_STATUSES = (429, 500, 502, 503, 504)
_CHARSET_IN_PAGE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/xhtml")

__all__ = ["PROJECT_URL", "USER_AGENT", "FetchOptions", "FetchedPage", "Fetcher", "fetch"]


@dataclass(frozen=True)
class FetchedPage:
    """One fetched URL: where it ended up and what it holds."""

    url: str
    """The final URL, after redirects."""
    requested_url: str
    status: int
    content_type: str
    """The media type, lower case, without parameters ("" when the server sent none)."""
    content: bytes
    """The body, decompressed."""
    text: str | None = None
    """The body decoded, for text types (HTML, XML, JSON, plain text); None for others (PDF...)."""
    charset: str | None = None
    """The character set the text was decoded with."""
    headers: dict[str, str] = field(default_factory=dict)


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host.

    Raises:
        FetchError: another scheme, or no host.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url} is not an http or https URL: tsum fetches only web pages")
    return url


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _is_text(content_type: str) -> bool:
    return content_type.startswith(_TEXT_TYPES) or content_type.endswith(("+xml", "+json"))


def _codec(name: str | None) -> codecs.CodecInfo | None:
    try:
        return codecs.lookup(name) if name else None
    except LookupError:
        return None


def decode_page(data: bytes, header_charset: str | None, name: str) -> tuple[str, str]:
    """(text, charset): the charset from the header, else the page's own declaration, else detected.

    A declared single-byte charset (Latin-1, windows-1252) decodes any bytes, so a page that is
    valid UTF-8 with non-ASCII characters is read as UTF-8 whatever its label says: servers
    often send a default ``charset=iso-8859-1`` for UTF-8 pages, never the reverse by accident.
    """
    found = _CHARSET_IN_PAGE.search(data[:4096])
    declared = [header_charset, (found.group(1) or found.group(2)).decode("ascii") if found else None]
    try:
        utf8 = data.decode("utf-8") if not data.isascii() else None
    except UnicodeDecodeError:
        utf8 = None
    for name_ in declared:
        codec = _codec(name_)
        if codec is None:
            continue
        if utf8 is not None and codec.name != "utf-8" and len("é".encode(codec.name, errors="ignore")) == 1:
            return utf8, "utf-8"
        try:
            return data.decode(codec.name), codec.name
        except UnicodeDecodeError:
            continue
    return decode_bytes(data, name), "detected"


def _described(exc: Exception, url: str, timeout: float) -> str:
    import httpx

    text = str(exc)
    if isinstance(exc, httpx.TimeoutException):
        return f"{url} did not answer within {timeout:g} s (timeout): try again later"
    cause, chain = exc, []
    while cause is not None and len(chain) < 10:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(link, ssl.SSLError) for link in chain) or "CERTIFICATE_VERIFY_FAILED" in text:
        return f"TLS failure for {url} ({text}): the site's certificate cannot be trusted"
    if any(isinstance(link, socket.gaierror) for link in chain):
        host = urlsplit(url).hostname
        return f"cannot resolve {host} (DNS failure) for {url}: check the URL and the network"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {url} ({text or type(exc).__name__}): check the URL and the network"
    return f"fetching {url} failed ({type(exc).__name__}: {text})"


_STATUS_HINTS = {
    401: "the page needs a login",
    403: "the site refuses tsum (a paywall, or a block on automated readers)",
    404: "no such page: check the URL",
    410: "the page was removed",
    429: "the site asks tsum to slow down: try again later, or pass a lower --rate",
}


class Fetcher:
    """One HTTP client, its robots.txt cache and its per-host rate limit, for many URLs.

    Thread-safe: the server and folder runs may call :meth:`get` from several threads.
    """

    def __init__(self, options: FetchOptions | None = None, limiter: HostRateLimiter | None = None):
        import httpx

        self.options = options or FetchOptions()
        self.limiter = limiter or HostRateLimiter(self.options.rate)
        self._robots: dict = {}
        guarded = {}
        if not self.options.allow_private:  # (no proxy then: a proxy resolves names where tsum cannot check them)
            from translate_summarize.web.guard import guarded_transport

            guarded = {"transport": guarded_transport(verify=self.options.verify_tls)}
        self._client = httpx.Client(
            **guarded,
            verify=self.options.verify_tls,  # (the guarded transport has its own; HTTPS_PROXY and the like apply otherwise)
            timeout=httpx.Timeout(self.options.timeout),
            headers={"User-Agent": self.options.user_agent},
            follow_redirects=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str) -> FetchedPage:
        """Fetch ``url``: redirects followed (each checked), robots.txt obeyed, retries done.

        Raises:
            FetchError: not http(s), refused by robots.txt, too many redirects, an HTTP error
                status, a network, DNS or TLS failure, or a body over the size limit.
            BlockedAddressError: the host is not public and ``allow_private`` is off.
        """
        requested = url = check_url(url)
        for _ in range(self.options.max_redirects + 1):
            if self.options.robots and not self._robots_allow(url):
                raise FetchError(
                    f"{url} is disallowed for tsum by the site's robots.txt: pass --ignore-robots to fetch it anyway"
                )
            status, headers, content = self._request(url)
            location = headers.get("location")
            if status in _REDIRECTS and location:
                url = check_url(urljoin(url, location))
                continue
            break
        else:
            raise FetchError(
                f"{requested} redirects more than {self.options.max_redirects} times (a redirect loop?)", status
            )
        if not 200 <= status < 300:
            hint = _STATUS_HINTS.get(status, "the server could not give the page" if status >= 500 else "")
            raise FetchError(f"HTTP {status} for {url}" + (f": {hint}" if hint else ""), status)
        media, _, params = headers.get("content-type", "").partition(";")
        media = media.strip().lower()
        charset = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", params, re.IGNORECASE)
        page = FetchedPage(url, requested, status, media, content, headers=headers)
        if _is_text(media) or not media:
            try:
                text, used = decode_page(content, charset.group(1) if charset else None, url)
            except InputError as exc:  # a binary body: an error only when it claims to be text
                if media:
                    raise FetchError(str(exc), status) from exc
            else:
                page = replace(page, text=text, charset=used)
        return page

    def _robots_allow(self, url: str) -> bool:
        """Whether the site's robots.txt lets tsum fetch ``url`` (read once per site)."""
        origin = _origin(url)
        rules = self._robots.get(origin)
        if rules is None:
            target = origin + "/robots.txt"
            for _ in range(self.options.max_redirects + 1):
                # A network failure here (DNS, TLS, refused) is the site's failure: it propagates.
                status, headers, content = self._request(target)
                if status in _REDIRECTS and headers.get("location"):
                    target = check_url(urljoin(target, headers["location"]))
                    continue
                break
            if status >= 500:
                raise FetchError(
                    f"the robots.txt of {origin} answered HTTP {status}, so the site counts as disallowing "
                    "everything (RFC 9309): try again later, or pass --ignore-robots",
                    status,
                )
            rules = self._robots[origin] = robots_rules(status, content.decode("utf-8", errors="replace"))
        return rules.can_fetch(ROBOTS_AGENT, url)

    def _request(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """One GET with retries: (status, headers, body). 429/5xx are retried, then returned."""
        import httpx

        host = _origin(url)
        attempt = 0
        while True:
            self.limiter.wait(host)
            try:
                status, headers, content = self._once(url)
            except BlockedAddressError:
                raise
            except httpx.HTTPError as exc:
                if attempt >= self.options.retries or isinstance(exc, httpx.UnsupportedProtocol):
                    raise FetchError(_described(exc, url, self.options.timeout)) from None
                time.sleep(self.options.backoff * 2**attempt)
                attempt += 1
                continue
            if status not in _RETRY_STATUSES or attempt >= self.options.retries:
                return status, headers, content
            wait = retry_after_seconds(headers.get("retry-after")) if status in (429, 503) else None
            if wait is None:
                wait = self.options.backoff * 2**attempt
            elif wait > self.options.max_retry_after:
                raise FetchError(
                    f"HTTP {status} for {url}: the server asks tsum to wait {wait:.0f} s, longer than "
                    f"{self.options.max_retry_after:g} s: try again later",
                    status,
                )
            self.limiter.defer(host, wait)  # the next wait() sleeps it, and other threads honour it too
            attempt += 1

    def _once(self, url: str) -> tuple[int, dict[str, str], bytes]:
        try:
            return self._read(url)
        finally:
            self.limiter.finished(_origin(url))

    def _read(self, url: str) -> tuple[int, dict[str, str], bytes]:
        limit = self.options.max_bytes
        deadline = time.monotonic() + self.options.total_timeout
        with self._client.stream("GET", url) as response:
            headers = {key.lower(): value for key, value in response.headers.items()}
            declared = headers.get("content-length", "")
            too_large = FetchError(
                f"{url} is larger than {limit // (1024 * 1024)} MiB (the article size limit): tsum did not read it",
                response.status_code,
            )
            if declared.isdigit() and int(declared) > limit and not headers.get("content-encoding"):
                raise too_large
            chunks, size = [], 0
            for chunk in response.iter_bytes():  # decoded: the limit applies to what gzip/br inflate to
                size += len(chunk)
                if size > limit:
                    raise too_large
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"{url} took more than {self.options.total_timeout:g} s to send its page (timeout)",
                        response.status_code,
                    )
                chunks.append(chunk)
            return response.status_code, headers, b"".join(chunks)


def fetch(url: str, options: FetchOptions | None = None) -> FetchedPage:
    """Fetch one URL (see :meth:`Fetcher.get`) with ``options`` (None: the defaults).

    Raises:
        FetchError: see :meth:`Fetcher.get`.
    """
    with Fetcher(options or FetchOptions()) as fetcher:
        return fetcher.get(url)
