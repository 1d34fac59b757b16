"""Failures of a source's pages, recorded for the source (``crawl_errors``) and counted: final
download failures and HTTP errors, redirect loops and over-long chains, decompression bombs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler.extract.urls import canonical_url
from crawler.poll import count, poll_of
from crawler.resources import CrawlResources, resources_for


class FailureLog:
    """Counts a failure in the crawl's stats and writes it to ``crawl_errors`` for the source.
    ``entry``: it hit an entry page (homepage, feed, sitemap, listing), not an article."""

    def __init__(self, resources: CrawlResources, stats: StatsCollector, source: str) -> None:
        self.resources = resources
        self.stats = stats
        self.source = source

    @classmethod
    def of(cls, crawler: Crawler) -> FailureLog:
        assert crawler.stats is not None
        name = crawler.spider.name if crawler.spider is not None else "?"
        return cls(resources_for(crawler), crawler.stats, name)

    def record(
        self,
        url: str,
        kind: str,
        message: str,
        *,
        entry: bool = False,
        source: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """``meta``: that of the request it happened to (its poll counts it too)."""
        count(self.stats, meta, f"errors/{kind}")
        if entry:
            count(self.stats, meta, "entry_errors")
        poll = poll_of(meta) if meta is not None else None
        self.resources.store.record_error(
            poll.run_id if poll else self.resources.run_id,
            poll.name if poll else source or self.source,
            url,
            kind,
            message,
        )


def is_entry(request: Request) -> bool:
    return request.meta.get("newsmon_kind") in ("home", "feed", "sitemap", "listing", "channel")


def failure_kind(exc: BaseException) -> str:
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

    def __init__(self, failures: FailureLog) -> None:
        self.failures = failures

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailureRecorderMiddleware:
        return cls(FailureLog.of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 400 and request.meta.get("newsmon_kind"):
            kind = f"http_{response.status}"
            self.failures.record(
                request.url,
                kind,
                f"HTTP {response.status}",
                entry=is_entry(request),
                meta=request.meta,
            )
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not request.meta.get("newsmon_kind"):
            return None
        if isinstance(exception, IgnoreRequest):
            if "robots.txt" in str(exception):
                self.failures.record(
                    request.url,
                    "robots_disallowed",
                    str(exception),
                    entry=is_entry(request),
                    meta=request.meta,
                )
            return None
        message = str(exception) or repr(exception)
        self.failures.record(
            request.url,
            failure_kind(exception),
            message,
            entry=is_entry(request),
            meta=request.meta,
        )
        return None


class RedirectGuardMiddleware:
    """Records redirect loops and over-long redirect chains for the source (Scrapy's redirect
    middleware would drop them silently: a loop back to a URL already requested is filtered as a
    duplicate, a long chain ends in an unrecorded IgnoreRequest). Sits just outside it."""

    def __init__(self, failures: FailureLog, max_times: int) -> None:
        self.failures = failures
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(FailureLog.of(crawler), crawler.settings.getint("REDIRECT_MAX_TIMES", 20))

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
            self.failures.record(
                first,
                "redirect_loop",
                f"redirect loop: {' → '.join(chain)} → {target}",
                meta=request.meta,
            )
            raise IgnoreRequest(f"redirect loop at {request.url}")
        if len(chain) > self.max_times:
            self.failures.record(
                first,
                "too_many_redirects",
                f"more than {self.max_times} redirects",
                meta=request.meta,
            )
            raise IgnoreRequest(f"too many redirects from {first}")
        return response


class RecordingHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, with a decompression bomb (a body that grows past
    ``DOWNLOAD_MAXSIZE`` while it is unpacked) recorded as an ``oversize`` failure of the source
    instead of only being logged."""

    failures: FailureLog

    def process_response(self, request: Request, response: Response) -> Response:  # type: ignore[override]
        try:
            return super().process_response(request, response)  # type: ignore[return-value]
        except IgnoreRequest as exc:
            if request.meta.get("newsmon_kind") and "DOWNLOAD_MAXSIZE" in str(exc):
                self.failures.record(
                    request.url, "oversize", str(exc), entry=is_entry(request), meta=request.meta
                )
            raise

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordingHttpCompressionMiddleware:  # type: ignore[override]
        mw = super().from_crawler(crawler)
        mw.failures = FailureLog.of(crawler)
        return mw  # type: ignore[return-value]
