"""Downloader middlewares: skip already-known article URLs before fetching, conditional GET for
entry pages, and a record of final failures."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.resources import store_for
from crawler.urls import canonical_url


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
        if store_for(self.crawler).is_known(canonical_url(request.url)):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("newsmon/skipped_seen")
            raise IgnoreRequest("already stored")
        return None


def _kind(exc: BaseException) -> str:
    name = type(exc).__name__
    return {
        "TimeoutError": "timeout",
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

    def _record(self, spider: Spider | None, url: str, kind: str, message: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newsmon/errors/{kind}")
        name = spider.name if spider is not None else "?"
        run_id = getattr(self.crawler, "newsmon_run_id", None)
        store_for(self.crawler).record_error(run_id, name, url, kind, message)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 400 and request.meta.get("newsmon_kind"):
            kind = f"http_{response.status}"
            self._record(self.crawler.spider, request.url, kind, f"HTTP {response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest) or not request.meta.get("newsmon_kind"):
            return None
        self._record(
            self.crawler.spider, request.url, _kind(exception), str(exception) or repr(exception)
        )
        return None


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
