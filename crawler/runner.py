"""Running crawls in this process: one Scrapy ``CrawlerRunner`` per batch of sources, on the
process's reactor thread (``crawler.reactor``)."""

from __future__ import annotations

import os
import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.settings import Settings
from twisted.internet.defer import Deferred

from crawler.config import Config
from crawler.reactor import call_in_reactor, ensure_reactor
from crawler.stats import CrawlCounts


def crawl_settings(
    config: Config, *, log_level: str = "WARNING", progress: bool = False
) -> Settings:
    settings = Settings()
    settings.set("NEWSMON_PROGRESS", progress, priority="cmdline")
    settings.set("NEWSMON_PROGRESS_BATCH", uuid.uuid4().hex, priority="cmdline")
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NEWSMON_CONFIG", str(config.path), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if os.environ.get("NEWSMON_EXTRACT_WORKERS"):
        settings.set("NEWSMON_EXTRACT_WORKERS", os.environ["NEWSMON_EXTRACT_WORKERS"], "cmdline")
    # The newsmon CLI owns logging (one stderr handler at the --verbose level).
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    return settings


@dataclass(frozen=True)
class CrawlSummary:
    """What one source's crawl came to."""

    source: str
    counts: CrawlCounts

    @classmethod
    def from_crawler(cls, source: str, crawler: Crawler) -> CrawlSummary:
        stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
        return cls(source, CrawlCounts.from_stats(stats))

    @property
    def reason(self) -> str:
        return self.counts.finish_reason or "not started"


def run_crawls(
    config: Config, names: list[str], *, log_level: str = "WARNING", progress: bool = False
) -> list[CrawlSummary]:
    """Crawl the named sources concurrently (politeness applies per site) and wait for all.

    Runs in this process, on its reactor thread; callable again after it returns. In the main
    thread a first SIGINT/SIGTERM stops the crawls cleanly (reason ``shutdown``), a second one
    interrupts."""
    settings = crawl_settings(config, log_level=log_level, progress=progress)
    runner: list[CrawlerRunner] = []

    def start() -> Deferred[list[Crawler]]:
        run = CrawlerRunner(settings)
        runner.append(run)
        crawlers = [run.create_crawler(name) for name in names]
        for crawler in crawlers:
            run.crawl(crawler)
        done: Deferred[Any] = run.join()
        return done.addCallback(lambda _: crawlers)

    def stop() -> None:
        if runner:
            ensure_reactor().callFromThread(runner[0].stop)

    with _stop_on_signals(stop):
        crawlers = call_in_reactor(start)
    return [
        CrawlSummary.from_crawler(name, crawler)
        for name, crawler in zip(names, crawlers, strict=True)
    ]


@contextmanager
def _stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """While crawling in the main thread: SIGINT/SIGTERM → ``stop``; then the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def handler(signum: int, frame: FrameType | None) -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)
        stop()

    for sig in previous:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
