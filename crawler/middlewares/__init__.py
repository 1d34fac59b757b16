"""Downloader middlewares: skip already-known article URLs before fetching, conditional GET for
entry pages, politeness (robots.txt Crawl-delay, Retry-After) and a record of final failures."""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from crawler.resources import store_for
from crawler.extract.urls import canonical_url, url_key


class SeenUrlMiddleware:
    """Article requests whose canonical URL is already stored (or known not to be an article)
    are dropped before they reach the network."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenUrlMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("newsmon_kind") != "article":
            return None
        if store_for(self.crawler).is_known(url_key(request.url)):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("newsmon/skipped_seen")
            raise IgnoreRequest("already stored")
        return None


def record_failure(
    crawler: Crawler,
    url: str,
    kind: str,
    message: str,
    *,
    entry: bool = False,
    source: str | None = None,
) -> None:
    """Count a failure in the crawl's stats and write it to ``crawl_errors`` for the source.
    ``entry``: it hit an entry page (homepage, feed, sitemap, listing), not an article."""
    assert crawler.stats is not None
    crawler.stats.inc_value(f"newsmon/errors/{kind}")
    if entry:
        crawler.stats.inc_value("newsmon/entry_errors")
    name = source or (crawler.spider.name if crawler.spider is not None else "?")
    run_id = getattr(crawler, "newsmon_run_id", None)
    store_for(crawler).record_error(run_id, name, url, kind, message)


def _is_entry(request: Request) -> bool:
    return request.meta.get("newsmon_kind") in ("home", "feed", "sitemap", "listing")


def _kind(exc: BaseException) -> str:
    name = type(exc).__name__
    return {
        "DownloadCancelledError": "oversize",  # the only cancel: DOWNLOAD_MAXSIZE
        "TimeoutError": "timeout",
        "DownloadTimeoutError": "timeout",
        "TCPTimedOutError": "timeout",
        "DNSLookupError": "dns",
        "ConnectionRefusedError": "connection",
        "ConnectError": "connection",
        "ConnectionLost": "connection",
        "ResponseNeverReceived": "connection",
        "IgnoreRequest": "ignored",
    }.get(name, name)


class FailureRecorderMiddleware:
    """Records final download failures (after retries) and HTTP errors for the source.

    It sits closest to the engine, so it sees only what RetryMiddleware gave up on.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailureRecorderMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 400 and request.meta.get("newsmon_kind"):
            kind = f"http_{response.status}"
            record_failure(
                self.crawler, request.url, kind, f"HTTP {response.status}", entry=_is_entry(request)
            )
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not request.meta.get("newsmon_kind"):
            return None
        if isinstance(exception, IgnoreRequest):
            if "robots.txt" in str(exception):
                record_failure(
                    self.crawler,
                    request.url,
                    "robots_disallowed",
                    str(exception),
                    entry=_is_entry(request),
                )
            return None
        message = str(exception) or repr(exception)
        record_failure(
            self.crawler, request.url, _kind(exception), message, entry=_is_entry(request)
        )
        return None


class RedirectGuardMiddleware:
    """Records redirect loops and over-long redirect chains for the source (Scrapy's redirect
    middleware would drop them silently: a loop back to a URL already requested is filtered as a
    duplicate, a long chain ends in an unrecorded IgnoreRequest). Sits just outside it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_times = crawler.settings.getint("REDIRECT_MAX_TIMES", 20)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not (300 <= response.status < 400) or not request.meta.get("newsmon_kind"):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = canonical_url(response.urljoin(location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        first = chain[0]
        if target in {canonical_url(u) for u in chain}:
            record_failure(
                self.crawler,
                first,
                "redirect_loop",
                f"redirect loop: {' → '.join(chain)} → {target}",
            )
            raise IgnoreRequest(f"redirect loop at {request.url}")
        if len(chain) > self.max_times:
            record_failure(
                self.crawler, first, "too_many_redirects", f"more than {self.max_times} redirects"
            )
            raise IgnoreRequest(f"too many redirects from {first}")
        return response


ENTRY_KINDS = ("feed", "sitemap", "listing")


class ConditionalGetMiddleware:
    """Feeds, sitemaps and listing pages are fetched with ``If-None-Match`` /
    ``If-Modified-Since``; a 304, or a 200 whose body hash did not change (servers lie about
    ETags), ends there without reading the page again. At least every ``NEWSMON_FULL_FETCH_S``
    (12 h) the page is read in full regardless.

    The new state is written only when the crawl finishes, so a crawl that dies half-way does
    not mark pages as seen whose articles were never fetched.
    """

    def __init__(self, crawler: Crawler, full_fetch_s: float) -> None:
        self.crawler = crawler
        self.full_fetch_s = full_fetch_s
        self.pending: dict[str, dict[str, object]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        mw = cls(crawler, crawler.settings.getfloat("NEWSMON_FULL_FETCH_S", 12 * 3600))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def _fresh(self, state: dict[str, object] | None) -> bool:
        if not state or not state.get("full_fetch_at"):
            return False
        last = datetime.fromisoformat(str(state["full_fetch_at"]))
        return (datetime.now(UTC) - last).total_seconds() < self.full_fetch_s

    def process_request(self, request: Request) -> None:
        if request.meta.get("newsmon_kind") not in ENTRY_KINDS:
            return None
        state = store_for(self.crawler).fetch_state(canonical_url(request.url))
        request.meta["newsmon_state"] = state
        if state and self._fresh(state):
            if state.get("etag"):
                request.headers.setdefault(b"If-None-Match", str(state["etag"]).encode())
            if state.get("last_modified"):
                request.headers.setdefault(
                    b"If-Modified-Since", str(state["last_modified"]).encode()
                )
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("newsmon_kind") not in ENTRY_KINDS:
            return response
        assert self.crawler.stats is not None
        url = canonical_url(request.url)
        state = request.meta.get("newsmon_state")
        if response.status == 304:
            self.crawler.stats.inc_value("newsmon/not_modified")
            self.pending.setdefault(url, {})
            raise IgnoreRequest(f"not modified: {request.url}")
        if response.status != 200:
            return response
        body_hash = hashlib.sha1(response.body).hexdigest()
        if state and self._fresh(state) and state.get("body_hash") == body_hash:
            self.crawler.stats.inc_value("newsmon/unchanged")
            self.pending.setdefault(url, {})
            raise IgnoreRequest(f"unchanged: {request.url}")
        self.pending[url] = {
            "etag": (response.headers.get(b"ETag") or b"").decode("latin-1") or None,
            "last_modified": (response.headers.get(b"Last-Modified") or b"").decode("latin-1")
            or None,
            "body_hash": body_hash,
            "full": True,
        }
        return response

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason == "finished" and self.pending:
            store_for(self.crawler).save_fetch_states(self.pending)  # type: ignore[arg-type]
        self.pending = {}


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds: delta-seconds (also fractional) or an HTTP date; junk → None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PolitenessMiddleware:
    """Per-site floors under the download delay that AutoThrottle and the settings cannot go
    below: robots.txt ``Crawl-delay`` for our User-Agent (capped at
    ``NEWSMON_MAX_CRAWL_DELAY_S``) and ``Retry-After`` from a 429/503.

    A ``Retry-After`` up to ``NEWSMON_MAX_RETRY_AFTER_S`` slows the site down for the rest of
    the crawl (the retry waits that long); a longer one stops requests to that site in this
    crawl — they are recorded as ``deferred`` and the next scheduled crawl picks them up.
    It sits closest to the network: its check runs once the host's turn has come, and it sees a
    429 before the retry middleware schedules a retry.
    """

    def __init__(self, crawler: Crawler, max_retry_after: float, max_crawl_delay: float) -> None:
        self.crawler = crawler
        self.max_retry_after = max_retry_after
        self.max_crawl_delay = max_crawl_delay
        self.floors: dict[str, float] = {}
        self.blocked_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessMiddleware:
        mw = cls(
            crawler,
            crawler.settings.getfloat("NEWSMON_MAX_RETRY_AFTER_S", 120.0),
            crawler.settings.getfloat("NEWSMON_MAX_CRAWL_DELAY_S", 60.0),
        )
        crawler.signals.connect(mw.robots_parsed, signal=signals.robots_parsed)
        return mw

    @property
    def stats(self) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        agent = self.crawler.settings.get("ROBOTSTXT_USER_AGENT") or self.crawler.settings.get(
            "USER_AGENT"
        )
        try:
            delay = robotparser.crawl_delay(agent)
        except Exception:  # a parser without Crawl-delay support
            return
        if delay:
            host = urlparse_cached(request).hostname or ""
            floor = min(float(delay), self.max_crawl_delay)
            self.floors[host] = max(self.floors.get(host, 0.0), floor)
            self.stats.max_value("newsmon/crawl_delay_s", floor)

    def _apply_floor(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        floor = self.floors.get(host)
        if not floor or self.crawler.engine is None:
            return
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and slot.delay < floor:
            slot.delay = floor

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        until = self.blocked_until.get(host)
        if until is not None and time.monotonic() < until:
            self.stats.inc_value("newsmon/deferred_retry_after")
            raise IgnoreRequest(f"{host} asked to wait (Retry-After); left for the next crawl")
        self._apply_floor(request)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in (429, 503):
            wait = parse_retry_after(response.headers.get(b"Retry-After"))
            if wait is not None:
                host = urlparse_cached(request).hostname or ""
                self.stats.max_value("newsmon/retry_after_s", wait)
                if wait <= self.max_retry_after:
                    self.floors[host] = max(self.floors.get(host, 0.0), wait)
                else:
                    self.blocked_until[host] = time.monotonic() + wait
                    request.meta["dont_retry"] = True
        # AutoThrottle has just adjusted the slot's delay: put the floor back under it.
        self._apply_floor(request)
        return response


class HostConcurrencyMiddleware:
    """At most ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests in flight per host, enforced.

    Scrapy 2.19's downloader slot checks its free transfer slots before the scheduled downloads
    have registered themselves, so without a download delay a whole queue goes out at once
    (measured: 31 requests in flight at one local server with a limit of 1). This middleware
    sits closest to the downloader and holds each request on a per-host semaphore until the
    previous ones have answered or failed.
    """

    META_KEY = "_newsmon_host_slot"

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.semaphores: dict[str, asyncio.Semaphore] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostConcurrencyMiddleware:
        return cls(crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2))

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        semaphore = self.semaphores.setdefault(host, asyncio.Semaphore(self.limit))
        await semaphore.acquire()
        request.meta[self.META_KEY] = host
        return None

    def _release(self, request: Request) -> None:
        host = request.meta.pop(self.META_KEY, None)
        if host is not None:
            self.semaphores[host].release()

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)
        return None


class RecordingHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, with a decompression bomb (a body that grows past
    ``DOWNLOAD_MAXSIZE`` while it is unpacked) recorded as an ``oversize`` failure of the source
    instead of only being logged."""

    _crawler: Crawler

    def process_response(self, request: Request, response: Response) -> Response:  # type: ignore[override]
        try:
            return super().process_response(request, response)  # type: ignore[return-value]
        except IgnoreRequest as exc:
            if request.meta.get("newsmon_kind") and "DOWNLOAD_MAXSIZE" in str(exc):
                record_failure(
                    self._crawler, request.url, "oversize", str(exc), entry=_is_entry(request)
                )
            raise

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordingHttpCompressionMiddleware:  # type: ignore[override]
        mw = super().from_crawler(crawler)
        mw._crawler = crawler
        return mw  # type: ignore[return-value]
