"""The engine spider: one Scrapy crawl that polls many sources at once.

Polls come from :class:`crawler.polls.PollKeeper` (which records them and knows when each is
done); this spider only navigates: it turns a poll into its first requests and, when a
robots.txt is parsed, adds the ``Sitemap:`` lines for the polls that discover them. With
``keep_alive`` the crawl stays open when idle, waiting for the next poll.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.httpobj import urlparse_cached

from crawler.config import SourceConfig
from crawler.engine import ENGINE_SPIDER
from crawler.middlewares.failures import FailureLog
from crawler.poll import Poll, count
from crawler.polls import PollKeeper, keeper_for
from crawler.resources import resources_for
from spiders.navigator import SourceNavigator
from spiders.telegram import EditLedger, TelegramNavigator

log = logging.getLogger("newsmon.spiders")


class EngineSpider(scrapy.Spider):
    name = ENGINE_SPIDER
    # polls started when the crawl opens (``scrapy crawl <source>``, ``newsmon crawl``)
    initial_sources: tuple[SourceConfig, ...] = ()

    def __init__(self, *args: Any, keep_alive: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_alive = keep_alive
        self.navigators: dict[int, SourceNavigator] = {}
        # robots.txt Sitemap: lines by robots URL, and the polls waiting for them
        self.robots_found: dict[str, list[str]] = {}
        self.waiting_robots: dict[str, list[SourceNavigator]] = {}
        self.telegram_edits: EditLedger = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> EngineSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider  # type: ignore[no-any-return]

    @property
    def keeper(self) -> PollKeeper:
        return keeper_for(self.crawler)

    async def start(self) -> AsyncIterator[Any]:
        for source in self.initial_sources:
            for request in self.begin(self.keeper.begin(source)):
                yield request

    def add_poll(self, poll: Poll) -> None:
        """Start a poll now (on the reactor thread); its requests go to the scheduler."""
        assert self.crawler.engine is not None
        for request in self.begin(poll):
            self.crawler.engine.crawl(request)

    def begin(self, poll: Poll) -> list[scrapy.Request]:
        timeout = self.settings.getfloat("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", 30_000) / 1000
        navigator = (
            self._telegram(poll)
            if poll.source.telegram
            else SourceNavigator(poll, self._count, render_timeout=timeout)
        )
        self.navigators[poll.id] = navigator
        hold = poll.token()  # the poll is open at least until its first requests are out
        requests = navigator.start_requests()
        if navigator.discovers_robots_sitemaps:
            robots = _robots_url(poll.source.url)
            if robots in self.robots_found:
                requests += navigator.robots_sitemaps(self.robots_found[robots], robots)
            else:
                self.waiting_robots.setdefault(robots, []).append(navigator)
        poll.add_done_callback(self._forget)
        poll.release(hold)
        return requests

    def _telegram(self, poll: Poll) -> TelegramNavigator:
        """A channel's navigator; the preview host paced (one request at a time, the config's
        ``telegram_delay`` apart) for every channel alike."""
        resources = resources_for(self.crawler)
        model = resources.config.model
        failures = FailureLog.of(self.crawler)
        if self.crawler.engine is not None:
            pace_host(self.crawler, model.telegram_base_url, model.telegram_delay)

        def record(url: str, kind: str, message: str, meta: dict[str, Any]) -> None:
            failures.record(url, kind, message, entry=True, meta=meta)

        return TelegramNavigator(
            poll,
            self._count,
            base_url=model.telegram_base_url,
            known=lambda key: resources.store.is_known(key),
            record=record,
            ledger=self.telegram_edits,
        )

    def _forget(self, poll: Poll) -> None:
        self.navigators.pop(poll.id, None)

    def _count(self, poll: Poll, key: str, n: int) -> None:
        count(self.crawler.stats, None, key, n)
        poll.inc(key, n)

    def robots_parsed(self, robotparser: Any, request: scrapy.Request) -> None:
        """Follow the ``Sitemap:`` lines of a source's own robots.txt (for the polls that
        discover sitemaps that way)."""
        protego = getattr(robotparser, "rp", None)  # Scrapy's parser has no sitemap accessor
        found = [str(u) for u in getattr(protego, "sitemaps", ()) or ()]
        robots = _robots_url(request.url)  # (the request that made Scrapy read robots.txt)
        self.robots_found[robots] = found
        assert self.crawler.engine is not None
        for navigator in self.waiting_robots.pop(robots, []):
            if navigator.poll.done:
                continue
            for sitemap in navigator.robots_sitemaps(found, robots):
                self.crawler.engine.crawl(sitemap)

    def idle(self) -> None:
        if self.keep_alive:
            raise DontCloseSpider


def pace_host(crawler: Crawler, base_url: str, delay: float) -> None:
    """One request at a time to the host of ``base_url``, ``delay`` seconds apart."""
    assert crawler.engine is not None
    host = (urlparse_cached(scrapy.Request(base_url)).hostname or "").lower()
    downloader = crawler.engine.downloader
    downloader.per_slot_settings[host] = {"concurrency": 1, "delay": delay, "jitter": 0.0}
    slot = downloader.slots.get(host)
    if slot is not None:
        slot.concurrency = 1
        slot.delay = delay


def _robots_url(url: str) -> str:
    parts = urlparse_cached(scrapy.Request(url))
    return f"{parts.scheme}://{parts.netloc}/robots.txt"
