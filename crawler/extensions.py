"""Extensions: the crawl-run recorder (one ``crawl_runs`` row per source and run, with Scrapy's
counters) and the terminal progress line."""

from __future__ import annotations

import shutil
import sys
import time
from typing import Any, ClassVar, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.resources import close_store, store_for

# Scrapy stats copied into crawl_runs.stats (the newsmon/* counters are copied too).
KEPT_STATS = (
    "downloader/request_count",
    "downloader/response_count",
    "item_scraped_count",
    "item_dropped_count",
    "log_count/ERROR",
    "elapsed_time_seconds",
)


class CrawlRunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.run_id = store_for(self.crawler).start_run(spider.name)
        self.crawler.newsmon_run_id = self.run_id  # type: ignore[attr-defined]

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats: dict[str, Any] = self.crawler.stats.get_stats() if self.crawler.stats else {}
        kept = {k: v for k, v in stats.items() if k in KEPT_STATS or k.startswith("newsmon/")}
        status = "finished" if reason == "finished" else "failed"
        if self.run_id is not None:
            store_for(self.crawler).finish_run(
                self.run_id, status=status, reason=reason, stats=kept
            )
        close_store(self.crawler)


class ProgressReporter:
    """One live status line on stderr for the crawls of this process (``newsmon crawl`` on a
    terminal): pages fetched, new articles, known links skipped, errors — per source.

    Enabled by the ``NEWSMON_PROGRESS`` setting; the CLI turns it on when stderr is a terminal
    (or with ``--progress``).
    """

    _crawlers: ClassVar[dict[str, Crawler]] = {}
    _done: ClassVar[set[str]] = set()
    _last_print: ClassVar[float] = 0.0

    def __init__(self, crawler: Crawler, stream: TextIO) -> None:
        self.crawler = crawler
        self.stream = stream

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        if not crawler.settings.getbool("NEWSMON_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.update, signal=signals.response_received)
        crawler.signals.connect(ext.update, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        ProgressReporter._crawlers[spider.name] = self.crawler
        self.show(force=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        ProgressReporter._done.add(spider.name)
        self.show(force=True)
        if ProgressReporter._done >= set(ProgressReporter._crawlers):
            self.stream.write("\n")
            self.stream.flush()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.show()

    @staticmethod
    def _part(name: str, crawler: Crawler, done: bool) -> str:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        pages = stats.get("downloader/response_count", 0)
        new = stats.get("newsmon/stored", 0)
        known = stats.get("newsmon/skipped_seen", 0)
        errors = sum(v for k, v in stats.items() if k.startswith("newsmon/errors/"))
        text = f"{name}: {pages} pages, {new} new, {known} known"
        if errors:
            text += f", {errors} errors"
        return text + (" ✓" if done else "")

    def show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - ProgressReporter._last_print < 0.25:
            return
        ProgressReporter._last_print = now
        parts = [
            self._part(name, crawler, name in ProgressReporter._done)
            for name, crawler in ProgressReporter._crawlers.items()
        ]
        width = shutil.get_terminal_size((120, 20)).columns - 1
        line = "  " + " · ".join(parts)
        if len(line) > width:
            line = line[: width - 1] + "…"
        self.stream.write("\r" + line.ljust(width))
        self.stream.flush()
