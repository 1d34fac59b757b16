"""The terminal progress line of ``newsmon crawl``: pages fetched, new articles, known links
skipped, errors — per source, on one line of stderr."""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.stats import CrawlCounts


@dataclass
class Board:
    """The line shared by the crawls of one batch (one ``newsmon crawl``)."""

    crawlers: dict[str, Crawler] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)
    last_print: float = 0.0


_boards: dict[str, Board] = {}


class ProgressReporter:
    """One live status line on stderr for the crawls of a batch (``newsmon crawl`` on a
    terminal): pages fetched, new articles, known links skipped, errors — per source.

    Enabled by the ``NEWSMON_PROGRESS`` setting; the CLI turns it on when stderr is a terminal
    (or with ``--progress``). The crawls of one batch share ``NEWSMON_PROGRESS_BATCH``.
    """

    def __init__(self, crawler: Crawler, stream: TextIO, board: Board) -> None:
        self.crawler = crawler
        self.stream = stream
        self.board = board

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        if not crawler.settings.getbool("NEWSMON_PROGRESS"):
            raise NotConfigured
        board = _boards.setdefault(crawler.settings.get("NEWSMON_PROGRESS_BATCH") or "", Board())
        ext = cls(crawler, sys.stderr, board)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.update, signal=signals.response_received)
        crawler.signals.connect(ext.update, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.board.crawlers[spider.name] = self.crawler
        self.show(force=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.board.done.add(spider.name)
        self.show(force=True)
        if self.board.done >= set(self.board.crawlers):
            self.stream.write("\n")
            self.stream.flush()
            _boards.pop(self.crawler.settings.get("NEWSMON_PROGRESS_BATCH") or "", None)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.show()

    @staticmethod
    def _part(name: str, crawler: Crawler, done: bool) -> str:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        pages = stats.get("downloader/response_count", 0)
        counts = CrawlCounts.from_stats(stats)
        text = f"{name}: {pages} pages, {counts.stored} new, {counts.skipped_seen} known"
        if counts.errors:
            text += f", {sum(counts.errors.values())} errors"
        return text + (" ✓" if done else "")

    def show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.board.last_print < 0.25:
            return
        self.board.last_print = now
        parts = [
            self._part(name, crawler, name in self.board.done)
            for name, crawler in self.board.crawlers.items()
        ]
        width = shutil.get_terminal_size((120, 20)).columns - 1
        line = "  " + " · ".join(parts)
        if len(line) > width:
            line = line[: width - 1] + "…"
        self.stream.write("\r" + line.ljust(width))
        self.stream.flush()
