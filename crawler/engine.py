"""The crawl engine: one long-lived Scrapy crawl on this process's reactor thread, polling
whatever sources it is given, many at once.

``submit(source)`` starts a poll of the source and returns a future of its result; per-host
politeness, conditional GET, seen URLs and the rest apply per poll, as they did per crawl.
Thread-safe: callable from any thread but the reactor's.
"""

from __future__ import annotations

import concurrent.futures
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.settings import Settings
from twisted.internet.defer import Deferred

from crawler.config import Config
from crawler.poll import Poll
from crawler.polls import keeper_for
from crawler.reactor import call_in_reactor, ensure_reactor
from crawler.stats import CrawlCounts

log = logging.getLogger("newsmon.engine")
ENGINE_SPIDER = "newsmon-engine"  # loaded by spiders.loader


class PollTaker(Protocol):
    def add_poll(self, poll: Poll) -> None: ...


@dataclass(frozen=True)
class PollResult:
    """What one poll of a source came to."""

    source: str
    run_id: int | None
    reason: str  # finished | timeout | shutdown
    counts: CrawlCounts

    @classmethod
    def of(cls, poll: Poll) -> PollResult:
        stats = poll.stats()
        return cls(poll.name, poll.run_id, poll.reason or "", CrawlCounts.from_stats(stats))


class CrawlEngine:
    def __init__(self, config: Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self._runner: CrawlerRunner | None = None
        self._crawler: Crawler | None = None
        self._closed: Deferred[Any] | None = None
        self._opened: Deferred[None] = Deferred()

    # --- lifecycle (from any thread but the reactor's) ------------------------------------------

    def start(self) -> None:
        """Open the engine's crawl; returns once it takes polls."""
        call_in_reactor(self._start)

    def _start(self) -> Deferred[None]:
        self._runner = CrawlerRunner(self.settings)
        crawler = self._runner.create_crawler(ENGINE_SPIDER)
        self._crawler = crawler
        opened: Deferred[None] = Deferred()
        self._opened = opened
        crawler.signals.connect(self._spider_opened, signal=signals.spider_opened)
        self._closed = self._runner.crawl(crawler, keep_alive=True)
        self._closed.addErrback(lambda f: log.error("the crawl engine failed: %s", f.value))
        return opened

    def _spider_opened(self, spider: object) -> None:
        # (a method, not a lambda: Scrapy's signals keep only weak references to receivers)
        if not self._opened.called:
            self._opened.callback(None)

    def stop(self) -> None:
        """Close the engine's crawl: open polls end (reason ``shutdown``). Waits for it."""
        if self._runner is None:
            return
        runner = self._runner
        self._runner = None
        call_in_reactor(lambda: runner.stop())

    # --- polls -----------------------------------------------------------------------------------

    def submit(
        self, name: str, *, timeout: float | None = None
    ) -> concurrent.futures.Future[PollResult]:
        """Start a poll of the named source; the future resolves when it is done."""
        source = self.config.source(name)  # ConfigError for an unknown source, here and now
        future: concurrent.futures.Future[PollResult] = concurrent.futures.Future()
        crawler = self._crawler
        if crawler is None or self._runner is None:
            raise RuntimeError("the crawl engine is not running")

        def begin() -> None:
            try:
                poll = keeper_for(crawler).begin(
                    source, timeout=timeout, on_done=lambda p: future.set_result(PollResult.of(p))
                )
                spider: PollTaker = crawler.spider  # type: ignore[assignment]
                spider.add_poll(poll)
            except Exception as exc:  # the engine goes on; the caller learns why
                if not future.done():
                    future.set_exception(exc)

        ensure_reactor().callFromThread(begin)
        return future
