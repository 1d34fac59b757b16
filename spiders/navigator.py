"""Navigation of one source during one poll: feeds, sitemaps and listing pages → article pages.

Every request carries ``meta["newsmon_kind"]`` (``home``, ``feed``, ``sitemap``, ``listing``,
``article``) so that the downloader middlewares can skip known article URLs before they are
fetched and read entry pages conditionally, and the poll it belongs to with a token of open
work (released when its callback or errback has run), so that the engine knows when the poll
is done. Listing pagination is followed up to the source's ``listing_depth``; sitemap entries
older than its ``max_age`` are skipped; sitemap indexes are walked newest child first. A page
is requested at most once per poll, however it is spelled (``/a`` and ``/a/``).

Discovery (``autodiscover``, on by default): a source that lists no feeds has its homepage read
for ``<link rel="alternate">`` feeds (and, when it announces none and no listings are
configured, for article links); a source that lists neither feeds nor sitemaps also follows
the ``Sitemap:`` lines of its robots.txt (news sitemaps preferred).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.extract.urls import canonical_url, same_site, url_key
from crawler.items import ListingItem, PageItem
from crawler.poll import POLL_META, TOKEN_META, Poll
from crawler.rendering import RENDER_META, is_rendered, render_meta, renders
from spiders.charset import looks_binary, page_text
from spiders.feeds import FeedError, discover_feeds, is_non_html, parse_feed
from spiders.listings import fragment_links, listing_links
from spiders.sitemaps import SitemapError, parse_sitemap

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
# Child sitemaps followed per sitemap index (newest first); older ones hold old articles.
MAX_CHILD_SITEMAPS = 20
log = logging.getLogger("newsmon.spiders")

Parse = Callable[[Response], Iterator[Any]]


class SourceNavigator:
    def __init__(
        self, poll: Poll, count: Callable[[Poll, str, int], None], render_timeout: float = 30.0
    ) -> None:
        self.poll = poll
        self.render_timeout = render_timeout
        self.source = poll.source
        self._count = count
        pattern = self.source.article_pattern
        self.article_pattern: re.Pattern[str] | None = re.compile(pattern) if pattern else None
        self._callbacks: dict[str, Parse] = {}

    def count(self, key: str, n: int = 1) -> None:
        self._count(self.poll, key, n)

    @property
    def discovers_robots_sitemaps(self) -> bool:
        return self.source.autodiscover and not (self.source.feeds or self.source.sitemaps)

    def start_requests(self) -> list[scrapy.Request]:
        src = self.source
        requests = [self.entry_request(url, "feed", self.parse_feed) for url in src.feeds]
        if not src.feeds and src.autodiscover:
            requests.append(self.entry_request(src.url, "home", self.parse_home))
        requests += [self.entry_request(url, "sitemap", self.parse_sitemap) for url in src.sitemaps]
        requests += [
            self.entry_request(url, "listing", self.parse_listing, page=0) for url in src.listings
        ]
        if not (src.feeds or src.sitemaps or src.listings or src.autodiscover):
            log.warning(
                "source %s lists no feeds, sitemaps or listings and autodiscover is off: "
                "nothing to crawl",
                src.name,
            )
        return [r for r in requests if r is not None]

    # --- requests --------------------------------------------------------------------------------

    def _request(self, url: str, callback: Parse, kind: str, **meta: Any) -> scrapy.Request | None:
        """A request of this poll (None if the poll already asked for that page)."""
        key = url_key(url)
        if key in self.poll.requested_keys:
            self.count("skipped_repeat")
            return None
        self.poll.requested_keys.add(key)
        meta = {"newsmon_kind": kind, POLL_META: self.poll, TOKEN_META: self.poll.token(), **meta}
        timeout = self.source.timeout
        if self.poll.deadline is not None:
            # no download outlives its poll by much: a hung page frees its slot with the poll
            left = max(1.0, self.poll.deadline - time.monotonic())
            timeout = min(timeout, left) if timeout is not None else left
        if timeout is not None:
            meta["download_timeout"] = timeout
        if renders(self.source, kind):
            meta.update(render_meta(self.render_timeout))
        if self.source.delay is not None:
            # an explicit delay is a promise to the site: AutoThrottle does not change it
            meta["autothrottle_dont_adjust_delay"] = True
        return scrapy.Request(
            url,
            callback=self._tracked(callback),
            errback=self.on_error,
            dont_filter=True,  # repeats are decided per poll (above), not for the engine's life
            meta=meta,
        )

    def entry_request(
        self, url: str, kind: str, callback: Parse, **meta: Any
    ) -> scrapy.Request | None:
        return self._request(url, callback, kind, **meta)

    def _tracked(self, parse: Parse) -> Parse:
        """The callback, releasing the request's token once its output has been handed over
        (made once per callback: Scrapy inspects each new callback function's source)."""
        cached = self._callbacks.get(parse.__name__)
        if cached is not None:
            return cached

        def callback(response: Response) -> Iterator[Any]:
            try:
                yield from parse(response)
            finally:
                self.poll.release(response.meta.get(TOKEN_META))

        callback.__name__ = parse.__name__
        self._callbacks[parse.__name__] = callback
        return callback

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        try:
            if not failure.check(IgnoreRequest):
                # Final failures are recorded by the failures middleware; here the spider only
                # keeps Scrapy from logging a second traceback.
                self.count("request_failures")
                if request is not None and request.meta.get(RENDER_META):
                    self.count("render_failures")
                    log.warning(
                        "source %s: rendering %s failed: %s",
                        self.source.name,
                        request.url,
                        failure.value,
                    )
        finally:
            self.poll.release(request.meta.get(TOKEN_META) if request is not None else None)

    # --- callbacks -------------------------------------------------------------------------------

    def parse_home(self, response: Response) -> Iterator[scrapy.Request | ListingItem]:
        """Feeds announced by the homepage; without any, its article links (as a listing)."""
        if not isinstance(response, TextResponse):
            return
        feeds = discover_feeds(response.text, response.url)
        self.poll.set_value("feeds_discovered", len(feeds))
        for url in feeds:
            log.info("source %s: feed discovered on the homepage: %s", self.source.name, url)
            # a discovered feed may live on another host (a feed service): allowed explicitly
            request = self.entry_request(url, "feed", self.parse_feed, allow_offsite=True)
            if request is not None:
                yield request
        if not feeds and not self.source.listings:
            yield from self.parse_listing(response)
        else:
            yield ListingItem(
                self.source.name, response.url, response.text, self.poll, self.poll.token()
            )

    def robots_sitemaps(self, found: list[str], robots_url: str) -> list[scrapy.Request]:
        """Requests for the ``Sitemap:`` lines of the source's own robots.txt."""
        if not same_site(robots_url, self.source.url):
            return []
        base = "/".join(robots_url.split("/", 3)[:3])
        absolute = [
            u if u.startswith(("http://", "https://")) else base + "/" + u.lstrip("/")
            for u in found
        ]
        chosen = [u for u in absolute if "news" in u.lower()] or absolute
        self.poll.set_value("robots_sitemaps", len(chosen))
        requests = []
        for url in chosen:
            if same_site(url, self.source.url):
                log.info("source %s: sitemap from robots.txt: %s", self.source.name, url)
                request = self.entry_request(url, "sitemap", self.parse_sitemap)
                if request is not None:
                    requests.append(request)
        return requests

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except SitemapError as exc:
            self.count("sitemap_errors")
            log.warning("sitemap %s: %s", response.url, exc)
            return
        cutoff = datetime.now(UTC) - timedelta(seconds=self.source.max_age)
        children = 0
        for entry in sitemap.entries:
            if entry.date is not None and entry.date < cutoff:
                self.count("skipped_old")
                continue
            if sitemap.is_index:
                children += 1
                if children > MAX_CHILD_SITEMAPS:
                    self.count("skipped_sitemaps")
                    continue
                request = self.entry_request(entry.url, "sitemap", self.parse_sitemap)
                if request is not None:
                    yield request
            else:
                yield from self.article_requests([entry.url], via=response.url, origin="sitemap")

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request | ListingItem]:
        """A section page (or the response of its "load more" endpoint): its article links,
        then the section's next page, one step at a time up to ``listing_depth``."""
        page = int(response.meta.get("page", 0))
        if response.meta.get("newsmon_fragment"):
            content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
            links = fragment_links(response.body, content_type, response.url, self.article_pattern)
        elif isinstance(response, TextResponse):
            links = listing_links(response.text, response.url, self.article_pattern)
            yield ListingItem(
                self.source.name, response.url, response.text, self.poll, self.poll.token()
            )
        else:
            return
        self.count(f"listing_pages/{page}")
        yield from self.article_requests(links.articles, via=response.url, origin=f"listing/{page}")
        if page >= self.source.listing_depth:
            return
        # the page right after this one (a pager lists later pages too: they come one by one)
        for url in links.next_pages[:1]:
            request = self.entry_request(url, "listing", self.parse_listing, page=page + 1)
            if request is not None:
                yield request
        if not links.next_pages:
            for url in links.fragments[:1]:  # "load more": the endpoint behind the button
                request = self.entry_request(
                    url, "listing", self.parse_listing, page=page + 1, newsmon_fragment=True
                )
                if request is not None:
                    request.headers.setdefault(b"X-Requested-With", b"XMLHttpRequest")
                    request.headers.setdefault(
                        b"Accept", b"application/json, text/html;q=0.9, */*;q=0.5"
                    )
                    yield request

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            entries = parse_feed(response.body, response.url)
        except FeedError as exc:
            self.count("feed_errors")
            log.warning("feed %s: %s", response.url, exc)
            return
        yield from self.article_requests([e.url for e in entries], via=response.url, origin="feed")

    def article_requests(
        self, urls: list[str], *, via: str, origin: str
    ) -> Iterator[scrapy.Request]:
        """Requests for article links, canonicalized (tracking parameters, AMP): links to other
        sites than the source's are left alone. ``origin`` (feed, sitemap, listing/<depth>)
        is counted, so that a source's status says where its links come from."""
        self.count(f"links/{origin}", len(urls))
        for url in urls:
            self.count("discovered")
            if is_non_html(url):
                self.count("skipped_non_html")
                continue
            if not any(same_site(url, "http://" + host + "/") for host in self.source.hosts):
                self.count("skipped_offsite")
                continue
            request = self._request(
                canonical_url(url), self.parse_article, "article", newsmon_via=via
            )
            if request is not None:
                yield request

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        content_type = response.headers.get(b"Content-Type", b"") or b""
        is_html = isinstance(response, TextResponse) and (
            not content_type or content_type.lower().startswith(HTML_TYPES)
        )
        if is_html and looks_binary(response.body):
            is_html = False
            self.count("not_text")
        elif not is_html:
            self.count("not_html")
        yield PageItem(
            source=self.source.name,
            url=response.url,
            requested_url=response.request.url if response.request else response.url,
            html=page_text(response) if is_html else None,  # type: ignore[arg-type]
            poll=self.poll,
            token=self.poll.token(),
            rendered=is_rendered(response.request, response),
        )
