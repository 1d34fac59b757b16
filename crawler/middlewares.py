"""Downloader middlewares: skip already-known article URLs before fetching; record failures."""

from __future__ import annotations

from scrapy import Request, Spider
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
