"""Article requests whose URL key is already resolved are dropped before the network."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector

from crawler.extract.urls import url_key
from crawler.poll import count
from crawler.resources import CrawlResources, resources_for


class SeenUrlMiddleware:
    """Article requests whose canonical URL is already stored (or known not to be an article)
    are dropped before they reach the network."""

    def __init__(self, resources: CrawlResources, stats: StatsCollector) -> None:
        self.resources = resources
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenUrlMiddleware:
        assert crawler.stats is not None
        return cls(resources_for(crawler), crawler.stats)

    def process_request(self, request: Request) -> None:
        if request.meta.get("newsmon_kind") != "article":
            return None
        if self.resources.store.is_known(url_key(request.url)):
            count(self.stats, request.meta, "skipped_seen")
            raise IgnoreRequest("already stored")
        return None
