"""Politeness beyond Scrapy's own: robots.txt ``Crawl-delay`` and ``Retry-After`` as floors
under the download delay, and a per-host limit of requests in flight that actually holds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from alerts.retry_after import parse_retry_after
from crawler.poll import count, poll_of

SLOWED_FOR_S = 600.0  # a host that sent Retry-After keeps it as its floor this long after


class PolitenessMiddleware:
    """Per-site floors under the download delay that AutoThrottle and the settings cannot go
    below: robots.txt ``Crawl-delay`` for our User-Agent (capped at
    ``NEWSMON_MAX_CRAWL_DELAY_S``) and ``Retry-After`` from a 429/503.

    A ``Retry-After`` up to ``NEWSMON_MAX_RETRY_AFTER_S`` slows the site down (the retry waits
    that long) for ``SLOWED_FOR_S`` after the site last asked — not for the life of the daemon's
    long-lived crawl engine, where one 429 of a host every Telegram channel shares would slow all
    of them until the engine is recycled; a longer one stops requests to that site in this
    crawl — they are recorded as ``deferred`` and the next scheduled crawl picks them up.
    It sits closest to the network: its check runs once the host's turn has come, and it sees a
    429 before the retry middleware schedules a retry.
    """

    def __init__(self, crawler: Crawler, max_retry_after: float, max_crawl_delay: float) -> None:
        self.crawler = crawler
        self.max_retry_after = max_retry_after
        self.max_crawl_delay = max_crawl_delay
        self.floors: dict[str, float] = {}  # robots.txt Crawl-delay floors by host
        self.slowed: dict[str, tuple[float, float]] = {}  # Retry-After: (floor, until) by host
        self.clock: Callable[[], float] = time.monotonic
        self.crawl_delays: dict[str, float] = {}  # robots.txt Crawl-delay by host (as obeyed)
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
            self.crawl_delays[host] = floor
            self.stats.max_value("newsmon/crawl_delay_s", floor)

    def floor(self, host: str) -> float:
        """The host's floor now: its Crawl-delay, or a Retry-After it sent lately."""
        floor = self.floors.get(host, 0.0)
        slowed = self.slowed.get(host)
        if slowed is not None:
            if self.clock() < slowed[1]:
                floor = max(floor, slowed[0])
            else:
                del self.slowed[host]
        return floor

    def _apply_floor(self, request: Request) -> None:
        """The slot's delay: a source's explicit ``delay`` exactly (AutoThrottle may not move
        it), else what AutoThrottle chose; never under Crawl-delay or Retry-After."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # no crawl running (Scrapy ≥ 2.13 raises before the engine is set)
            return
        if engine is None:
            return
        host = urlparse_cached(request).hostname or ""
        floor = self.floor(host)
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        fixed = downloader.per_slot_settings.get(key, {}).get("delay")
        if fixed is not None:
            # AutoThrottle may not move it either: raised to its minimum (DOWNLOAD_DELAY) as a
            # response arrives, the slot would hold the next request back that long
            request.meta["autothrottle_dont_adjust_delay"] = True
        slot = downloader.slots.get(key)
        if slot is None:
            return
        if fixed is not None:
            slot.delay = max(float(fixed), floor)
        elif slot.delay < floor:
            slot.delay = floor

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        until = self.blocked_until.get(host)
        if until is not None and time.monotonic() < until:
            count(self.stats, request.meta, "deferred_retry_after")
            raise IgnoreRequest(f"{host} asked to wait (Retry-After); left for the next crawl")
        if host in self.crawl_delays and (poll := poll_of(request.meta)) is not None:
            poll.max_value("crawl_delay_s", self.crawl_delays[host])
        self._apply_floor(request)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in (429, 503):
            wait = parse_retry_after(response.headers.get(b"Retry-After"))
            if wait is not None:
                host = urlparse_cached(request).hostname or ""
                self.stats.max_value("newsmon/retry_after_s", wait)
                if (poll := poll_of(request.meta)) is not None:
                    poll.max_value("retry_after_s", wait)
                if wait <= self.max_retry_after:
                    now = self.clock()
                    previous = self.slowed.get(host)
                    lately = previous[0] if previous is not None and now < previous[1] else 0.0
                    self.slowed[host] = (max(lately, wait), now + SLOWED_FOR_S)
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

    def __init__(self, limit_for: Callable[[str], int]) -> None:
        self.limit_for = limit_for
        self.semaphores: dict[str, asyncio.Semaphore] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostConcurrencyMiddleware:
        default = crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2)

        def limit_for(host: str) -> int:
            # a source's own ``concurrency`` is on its hosts' download slots (crawler.polls)
            settings = crawler.engine.downloader.per_slot_settings if crawler.engine else {}
            return int(settings.get(host, {}).get("concurrency", default))

        return cls(limit_for)

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        semaphore = self.semaphores.get(host)
        if semaphore is None:
            limit = max(1, self.limit_for(host))
            semaphore = self.semaphores[host] = asyncio.Semaphore(limit)
        await semaphore.acquire()
        request.meta[self.META_KEY] = host
        poll = poll_of(request.meta)
        if poll is not None and poll.done:  # it ended while this request waited for the host
            self._release(request)
            raise IgnoreRequest(f"the poll of {poll.name} has ended ({poll.reason})")
        if poll is not None:
            poll.inc("requests")  # a request that goes out to the network
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
