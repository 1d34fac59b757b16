"""The generic source spider: feeds, sitemaps and listing pages → article pages.

Entry points are requested with ``meta["newsmon_kind"]`` set (``feed``, ``article``) so that the
downloader middlewares can canonicalize and skip known URLs before any article is fetched.
Listing pagination is followed up to the source's ``listing_depth``; sitemap entries older than
its ``max_age`` are skipped; sitemap indexes are walked newest child first.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, ClassVar

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.config import SourceConfig
from crawler.items import PageItem
from crawler.urls import canonical_url
from spiders.feeds import FeedError, parse_feed
from spiders.listings import listing_links
from spiders.sitemaps import SitemapError, parse_sitemap

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class SourceSpider(scrapy.Spider):
    """Crawls one configured source. Subclassed per source by the spider loader."""

    name = "newsmon-source"
    source: ClassVar[SourceConfig]

    @cached_property
    def article_pattern(self) -> re.Pattern[str] | None:
        """The source's ``article_pattern``, compiled once per crawl."""
        pattern = self.source.article_pattern
        return re.compile(pattern) if pattern else None

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.feeds:
            yield self.entry_request(url, "feed", self.parse_feed)
        for url in self.source.sitemaps:
            yield self.entry_request(url, "sitemap", self.parse_sitemap)
        for url in self.source.listings:
            yield self.entry_request(url, "listing", self.parse_listing, page=0)
        if not (self.source.feeds or self.source.sitemaps or self.source.listings):
            self.logger.warning(
                "source %s lists no feeds, sitemaps or listings: nothing to crawl",
                self.source.name,
            )

    def entry_request(
        self, url: str, kind: str, callback: Any, *, configured: bool = True, **meta: Any
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            # configured entry points are always read; discovered ones (next pages, child
            # sitemaps) only once per crawl
            dont_filter=configured,
            meta={"newsmon_kind": kind, **meta},
        )

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except SitemapError as exc:
            self.crawler.stats.inc_value("newsmon/sitemap_errors")
            self.logger.warning("sitemap %s: %s", response.url, exc)
            return
        cutoff = datetime.now(UTC) - timedelta(seconds=self.source.max_age)
        for entry in sitemap.entries:
            if entry.date is not None and entry.date < cutoff:
                self.crawler.stats.inc_value("newsmon/skipped_old")
                continue
            if sitemap.is_index:
                yield self.entry_request(entry.url, "sitemap", self.parse_sitemap, configured=False)
            else:
                self.crawler.stats.inc_value("newsmon/discovered")
                yield self.article_request(entry.url, via=response.url)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        links = listing_links(response.text, response.url, self.article_pattern)
        self.crawler.stats.inc_value("newsmon/discovered", len(links.articles))
        for url in links.articles:
            yield self.article_request(url, via=response.url)
        page = int(response.meta.get("page", 0))
        if page < self.source.listing_depth:
            for url in links.next_pages:
                yield self.entry_request(
                    url, "listing", self.parse_listing, configured=False, page=page + 1
                )

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
            # the same article announced by a feed and a sitemap is fetched once
            dont_filter=False,
        )

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        content_type = response.headers.get(b"Content-Type", b"") or b""
        is_html = isinstance(response, TextResponse) and (
            not content_type or content_type.lower().startswith(HTML_TYPES)
        )
        if not is_html:
            self.crawler.stats.inc_value("newsmon/not_html")
        yield PageItem(
            source=self.source.name,
            url=response.url,
            requested_url=response.request.url if response.request else response.url,
            html=response.text if is_html else None,  # type: ignore[attr-defined]
        )

    def on_error(self, failure: Failure) -> None:
        if failure.check(IgnoreRequest):
            return  # not modified, already stored, robots.txt: counted where decided
        # Final failures are recorded by crawler.middlewares.FailureRecorderMiddleware;
        # here we only keep the spider from logging a second traceback.
        self.crawler.stats.inc_value("newsmon/request_failures")
