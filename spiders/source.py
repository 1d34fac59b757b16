"""The generic source spider: feeds → article pages.

Entry points are requested with ``meta["newsmon_kind"]`` set (``feed``, ``article``) so that the
downloader middlewares can canonicalize and skip known URLs before any article is fetched.
Sitemaps and listing pages slot in as further ``parse_*`` callbacks of the same shape.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.config import SourceConfig
from crawler.items import PageItem
from crawler.urls import canonical_url
from spiders.feeds import FeedError, parse_feed

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class SourceSpider(scrapy.Spider):
    """Crawls one configured source. Subclassed per source by the spider loader."""

    name = "newsmon-source"
    source: ClassVar[SourceConfig]

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.feeds:
            yield scrapy.Request(
                url,
                callback=self.parse_feed,
                errback=self.on_error,
                dont_filter=True,
                meta={"newsmon_kind": "feed"},
            )
        if not self.source.feeds:
            self.logger.warning("source %s lists no feeds: nothing to crawl yet", self.source.name)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            entries = parse_feed(response.body, response.url)
        except FeedError as exc:
            self.crawler.stats.inc_value("newsmon/feed_errors")
            self.logger.warning("feed %s: %s", response.url, exc)
            return
        self.crawler.stats.inc_value("newsmon/discovered", len(entries))
        for entry in entries:
            yield self.article_request(entry.url, via=response.url)

    def article_request(self, url: str, *, via: str) -> scrapy.Request:
        return scrapy.Request(
            canonical_url(url),
            callback=self.parse_article,
            errback=self.on_error,
            meta={"newsmon_kind": "article", "newsmon_via": via},
        )

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        content_type = response.headers.get(b"Content-Type", b"") or b""
        if not isinstance(response, TextResponse) or (
            content_type and not content_type.lower().startswith(HTML_TYPES)
        ):
            self.crawler.stats.inc_value("newsmon/not_html")
            yield PageItem(
                source=self.source.name,
                url=response.url,
                requested_url=response.request.url if response.request else response.url,
                html=None,
            )
            return
        yield PageItem(
            source=self.source.name,
            url=response.url,
            requested_url=response.request.url if response.request else response.url,
            html=response.text,
        )

    def on_error(self, failure: Failure) -> None:
        # Final failures are recorded by crawler.middlewares.FailureRecorderMiddleware;
        # here we only keep the spider from logging a second traceback.
        self.crawler.stats.inc_value("newsmon/request_failures")
