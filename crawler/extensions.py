"""Extensions: the owner of the crawl's store, and the crawl-run recorder (one ``crawl_runs``
row per source and run, with the crawl's counters)."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.resources import CrawlResources, resources_for
from crawler.stats import kept


class StoreOwner:
    """Opens the crawl's store when the spider opens (before any other ``spider_opened``
    handler: extensions connect first, and this one is first among them) and closes it after
    every other ``spider_closed`` handler: its closing handler is connected only once the spider
    is open, behind those that components connected when they were built."""

    def __init__(self, crawler: Crawler, resources: CrawlResources) -> None:
        self.crawler = crawler
        self.resources = resources

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreOwner:
        ext = cls(crawler, resources_for(crawler))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.resources.open()
        self.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.resources.close()


class CrawlRunRecorder:
    def __init__(self, crawler: Crawler, resources: CrawlResources) -> None:
        self.crawler = crawler
        self.resources = resources
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        ext = cls(crawler, resources_for(crawler))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.run_id = self.resources.store.start_run(spider.name)
        self.resources.run_id = self.run_id

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        status = "finished" if reason == "finished" else "failed"
        if self.run_id is not None and self.resources.is_open:
            self.resources.store.finish_run(
                self.run_id, status=status, reason=reason, stats=kept(stats)
            )
