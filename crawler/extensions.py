"""The crawl-run recorder: one ``crawl_runs`` row per source and run, with Scrapy's counters."""

from __future__ import annotations

from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

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
