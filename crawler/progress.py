"""The terminal progress line of ``newsmon crawl``: pages fetched, new articles, known links
skipped, errors — per source, on one line of stderr."""

from __future__ import annotations

import shutil
import sys
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from crawler.poll import Poll
from crawler.polls import keeper_for
from crawler.stats import CrawlCounts

REFRESH_S = 0.25


class ProgressReporter:
    """Enabled by the ``NEWSMON_PROGRESS`` setting; the CLI turns it on when stderr is a terminal
    (or with ``--progress``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.polls: list[Poll] = []
        self._loop: LoopingCall | None = None
        self._shown = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        if not crawler.settings.getbool("NEWSMON_PROGRESS"):
            raise NotConfigured
        ext = cls(sys.stderr)
        keeper_for(crawler).on_begin.append(ext.add)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def add(self, poll: Poll) -> None:
        self.polls.append(poll)
        poll.add_done_callback(lambda _: self.show())

    def spider_opened(self, spider: Spider) -> None:
        self._loop = LoopingCall(self.show)
        self._loop.start(REFRESH_S, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.show()
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()

    @staticmethod
    def part(poll: Poll) -> str:
        counts = CrawlCounts.from_stats(poll.stats())
        text = f"{poll.name}: {counts.requests} pages, {counts.stored} new, "
        text += f"{counts.skipped_seen} known"
        if counts.errors:
            text += f", {sum(counts.errors.values())} errors"
        return text + (" ✓" if poll.done else "")

    def show(self, *args: Any) -> None:
        if not self.polls:
            return
        width = shutil.get_terminal_size((120, 20)).columns - 1
        line = "  " + " · ".join(self.part(p) for p in self.polls)
        if len(line) > width:
            line = line[: width - 1] + "…"
        self.stream.write("\r" + line.ljust(width))
        self.stream.flush()
        self._shown = True
