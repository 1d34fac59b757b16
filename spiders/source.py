"""The generic source spider: feeds, sitemaps and listing pages → article pages.

Every request carries ``meta["newsmon_kind"]`` (``home``, ``feed``, ``sitemap``, ``listing``,
``article``) so that the downloader middlewares can skip known article URLs before they are
fetched and read entry pages conditionally. Listing pagination is followed up to the source's
``listing_depth``; sitemap entries older than its ``max_age`` are skipped; sitemap indexes are
walked newest child first.

Discovery (``autodiscover``, on by default): a source that lists no feeds has its homepage read
for ``<link rel="alternate">`` feeds (and, when it announces none and no listings are
configured, for article links); a source that lists neither feeds nor sitemaps also follows
the ``Sitemap:`` lines of its robots.txt (news sitemaps preferred).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.config import SourceConfig
from crawler.extract.urls import canonical_url, same_site, url_key
from crawler.items import PageItem
from spiders.charset import page_text
from spiders.feeds import FeedError, discover_feeds, is_non_html, parse_feed
from spiders.listings import listing_links
from spiders.sitemaps import SitemapError, parse_sitemap

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
# Child sitemaps followed per sitemap index (newest first); older ones hold old articles.
MAX_CHILD_SITEMAPS = 20


class SourceSpider(scrapy.Spider):
    """Crawls one configured source. Subclassed per source by the spider loader."""

    name = "newsmon-source"
    source: ClassVar[SourceConfig]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requested_keys: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.discovers_robots_sitemaps:
            crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider  # type: ignore[no-any-return]

    @property
    def discovers_robots_sitemaps(self) -> bool:
        return self.source.autodiscover and not (self.source.feeds or self.source.sitemaps)

    @cached_property
    def article_pattern(self) -> re.Pattern[str] | None:
        """The source's ``article_pattern``, compiled once per crawl."""
        pattern = self.source.article_pattern
        return re.compile(pattern) if pattern else None

    async def start(self) -> AsyncIterator[Any]:
        src = self.source
        for url in src.feeds:
            yield self.entry_request(url, "feed", self.parse_feed)
        if not src.feeds and src.autodiscover:
            yield self.entry_request(src.url, "home", self.parse_home)
        for url in src.sitemaps:
            yield self.entry_request(url, "sitemap", self.parse_sitemap)
        for url in src.listings:
            yield self.entry_request(url, "listing", self.parse_listing, page=0)
        if not (src.feeds or src.sitemaps or src.listings or src.autodiscover):
            self.logger.warning(
                "source %s lists no feeds, sitemaps or listings and autodiscover is off: "
                "nothing to crawl",
                src.name,
            )

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        """Feeds announced by the homepage; without any, its article links (as a listing)."""
        if not isinstance(response, TextResponse):
            return
        feeds = discover_feeds(response.text, response.url)
        self.crawler.stats.set_value("newsmon/feeds_discovered", len(feeds))
        for url in feeds:
            self.logger.info("source %s: feed discovered on the homepage: %s", self.name, url)
            # a discovered feed may live on another host (a feed service): allowed explicitly
            yield self.entry_request(url, "feed", self.parse_feed, allow_offsite=True)
        if not feeds and not self.source.listings:
            yield from self.parse_listing(response)

    def robots_parsed(self, robotparser: Any, request: scrapy.Request) -> None:
        """Follow the ``Sitemap:`` lines of the source's own robots.txt."""
        if not same_site(request.url, self.source.url):
            return
        protego = getattr(robotparser, "rp", None)
        found = [str(u) for u in getattr(protego, "sitemaps", ()) or ()]
        robots_url = request.url.split("/", 3)[:3]
        absolute = [
            u
            if u.startswith(("http://", "https://"))
            else "/".join(robots_url) + "/" + u.lstrip("/")
            for u in found
        ]
        chosen = [u for u in absolute if "news" in u.lower()] or absolute
        self.crawler.stats.set_value("newsmon/robots_sitemaps", len(chosen))
        for url in chosen:
            if same_site(url, self.source.url):
                self.logger.info("source %s: sitemap from robots.txt: %s", self.name, url)
                assert self.crawler.engine is not None
                self.crawler.engine.crawl(self.entry_request(url, "sitemap", self.parse_sitemap))

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
        children = 0
        for entry in sitemap.entries:
            if entry.date is not None and entry.date < cutoff:
                self.crawler.stats.inc_value("newsmon/skipped_old")
                continue
            if sitemap.is_index:
                children += 1
                if children > MAX_CHILD_SITEMAPS:
                    self.crawler.stats.inc_value("newsmon/skipped_sitemaps")
                    continue
                yield self.entry_request(entry.url, "sitemap", self.parse_sitemap, configured=False)
            else:
                yield from self.article_requests([entry.url], via=response.url)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        links = listing_links(response.text, response.url, self.article_pattern)
        yield from self.article_requests(links.articles, via=response.url)
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
        yield from self.article_requests([e.url for e in entries], via=response.url)

    def article_requests(self, urls: list[str], *, via: str) -> Iterator[scrapy.Request]:
        """Requests for article links, canonicalized (tracking parameters, AMP) and each page
        requested at most once per crawl however it is spelled (``/a`` and ``/a/``)."""
        stats = self.crawler.stats
        for url in urls:
            stats.inc_value("newsmon/discovered")
            if is_non_html(url):
                stats.inc_value("newsmon/skipped_non_html")
                continue
            key = url_key(url)
            if key in self.requested_keys:
                stats.inc_value("newsmon/skipped_repeat")
                continue
            self.requested_keys.add(key)
            yield scrapy.Request(
                canonical_url(url),
                callback=self.parse_article,
                errback=self.on_error,
                meta={"newsmon_kind": "article", "newsmon_via": via},
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
            html=page_text(response) if is_html else None,  # type: ignore[arg-type]
        )

    def on_error(self, failure: Failure) -> None:
        if failure.check(IgnoreRequest):
            return  # not modified, already stored, robots.txt: counted where decided
        # Final failures are recorded by crawler.middlewares.FailureRecorderMiddleware;
        # here we only keep the spider from logging a second traceback.
        self.crawler.stats.inc_value("newsmon/request_failures")
