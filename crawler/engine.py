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
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import Deferred

from crawler.config import Config
from crawler.poll import SHUTDOWN, Poll
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

    def stop(self, *, grace: float | None = None) -> None:
        """Close the engine's crawl: open polls end (reason ``shutdown``). Waits for it — with
        ``grace``, that many seconds at most: then the polls still open end at once and this
        returns while the crawl goes on closing (a download that hangs is not waited for)."""
        if self._runner is None:
            return
        runner, crawler = self._runner, self._crawler
        self._runner = None
        if grace is None or crawler is None:
            call_in_reactor(lambda: runner.stop())
            return

        def stop_within() -> Deferred[None]:
            stopped: Deferred[None] = Deferred()

            def cut_short() -> None:
                if stopped.called:
                    return
                log.warning(
                    "the crawl engine did not close in %.0fs: its polls end now, and the pages "
                    "still waiting for extraction are left to the next crawl",
                    grace,
                )
                keeper_for(crawler).end_all(SHUTDOWN)
                if crawler.engine is not None:
                    # the item pipelines close now (as the crawl's close would, later): the
                    # extraction workers drop their queue, and this process can exit
                    closing = deferred_from_coro(
                        crawler.engine.scraper.itemproc.close_spider_async()
                    )
                    closing.addErrback(lambda f: log.debug("closing the pipelines: %s", f.value))
                stopped.callback(None)

            timer = ensure_reactor().callLater(grace, cut_short)

            def closed(result: object) -> None:
                if timer.active():
                    timer.cancel()
                if not stopped.called:
                    stopped.callback(None)

            runner.stop().addBoth(closed)
            return stopped

        call_in_reactor(stop_within)

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
