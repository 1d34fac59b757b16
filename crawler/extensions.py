"""The owner of the crawl's store (each poll's record is kept by ``crawler.polls``)."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.resources import CrawlResources, resources_for


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
