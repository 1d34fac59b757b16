"""A small synchronous HTTP client for probing an outlet (``newsmon add``, ``newsmon check``):
one request at a time, a timeout, the site's robots.txt obeyed, a size cap, gzip understood.
Not a crawl: a handful of pages to find out what an outlet offers."""

from __future__ import annotations

import gzip
import urllib.request
import zlib
from dataclasses import dataclass
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from protego import Protego

MAX_BYTES = 10 * 1024 * 1024


class ProbeError(Exception):
    """A probe that cannot go on (network, robots.txt, not a news site): the message is for the
    user."""


class Disallowed(ProbeError):
    """robots.txt disallows the URL for newsmon's user agent."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type.lower()

    @property
    def text(self) -> str:
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"'")
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class ProbeClient:
    """Fetches pages one by one, honouring each host's robots.txt (read once per host)."""

    def __init__(self, user_agent: str, timeout: float = 15.0) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self._robots: dict[str, Protego | None] = {}
        self.fetched = 0

    def robots(self, url: str) -> Protego | None:
        """The parsed robots.txt of the URL's site (None when it has none)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            try:
                page = self._get(origin + "/robots.txt")
            except ProbeError:
                page = None
            parsed = None
            if page is not None and page.ok:
                parsed = Protego.parse(page.text)
            self._robots[origin] = parsed
        return self._robots[origin]

    def allowed(self, url: str) -> bool:
        robots = self.robots(url)
        return robots is None or bool(robots.can_fetch(url, self.user_agent))

    def sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` lines of the site's robots.txt."""
        robots = self.robots(url)
        return [str(s) for s in robots.sitemaps] if robots is not None else []

    def get(self, url: str) -> Page:
        """The page at ``url``; :class:`Disallowed` when robots.txt forbids it, :class:`ProbeError`
        when it cannot be fetched at all (an HTTP error status is a page, not an error)."""
        if not self.allowed(url):
            raise Disallowed(f"robots.txt of {urlsplit(url).netloc} disallows {url} for newsmon")
        return self._get(url)

    def _get(self, url: str) -> Page:
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": self.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            },
        )
        self.fetched += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)
                return _page(response.geturl(), response.status, response.headers, body)
        except HTTPError as exc:
            body = exc.read(MAX_BYTES + 1) if exc.fp is not None else b""
            return _page(exc.geturl() or url, exc.code, exc.headers, body)
        except (URLError, HTTPException, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise ProbeError(f"could not fetch {url}: {reason}") from None


def _page(url: str, status: int, headers: object, body: bytes) -> Page:
    get = getattr(headers, "get", lambda _k, _d=None: None)
    encoding = (get("Content-Encoding") or "").lower()
    try:
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
    except (OSError, zlib.error, EOFError):
        pass
    return Page(url, status, get("Content-Type") or "", body[:MAX_BYTES])
