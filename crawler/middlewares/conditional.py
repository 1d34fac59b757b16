"""Conditional GET for feeds, sitemaps and listing pages."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler.extract.urls import canonical_url
from crawler.poll import count, poll_of
from crawler.resources import CrawlResources, resources_for
from storage import FetchState, FetchUpdate

ENTRY_KINDS = ("feed", "sitemap", "listing")


class ConditionalGetMiddleware:
    """Feeds, sitemaps and listing pages are fetched with ``If-None-Match`` /
    ``If-Modified-Since``; a 304, or a 200 whose body hash did not change (servers lie about
    ETags), ends there without reading the page again. At least every ``NEWSMON_FULL_FETCH_S``
    (12 h) the page is read in full regardless.

    The new state is kept with the poll and written only when the poll finishes, so a crawl that
    dies or is cut off half-way does not mark pages as seen whose articles were never fetched.
    """

    def __init__(
        self, resources: CrawlResources, stats: StatsCollector, full_fetch_s: float
    ) -> None:
        self.resources = resources
        self.stats = stats
        self.full_fetch_s = full_fetch_s

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        assert crawler.stats is not None
        return cls(
            resources_for(crawler),
            crawler.stats,
            crawler.settings.getfloat("NEWSMON_FULL_FETCH_S", 12 * 3600),
        )

    def _fresh(self, state: FetchState | None) -> bool:
        if state is None or not state.full_fetch_at:
            return False
        last = datetime.fromisoformat(state.full_fetch_at)
        return (datetime.now(UTC) - last).total_seconds() < self.full_fetch_s

    def process_request(self, request: Request) -> None:
        if request.meta.get("newsmon_kind") not in ENTRY_KINDS:
            return None
        state = self.resources.store.fetch_state(canonical_url(request.url))
        request.meta["newsmon_state"] = state
        if state is not None and self._fresh(state):
            if state.etag:
                request.headers.setdefault(b"If-None-Match", state.etag.encode())
            if state.last_modified:
                request.headers.setdefault(b"If-Modified-Since", state.last_modified.encode())
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("newsmon_kind") not in ENTRY_KINDS:
            return response
        url = canonical_url(request.url)
        state: FetchState | None = request.meta.get("newsmon_state")
        if response.status == 304:
            count(self.stats, request.meta, "not_modified")
            self._remember(request, url, FetchUpdate())
            raise IgnoreRequest(f"not modified: {request.url}")
        if response.status != 200:
            return response
        body_hash = hashlib.sha1(response.body).hexdigest()
        if state is not None and self._fresh(state) and state.body_hash == body_hash:
            count(self.stats, request.meta, "unchanged")
            self._remember(request, url, FetchUpdate())
            raise IgnoreRequest(f"unchanged: {request.url}")
        self._remember(
            request,
            url,
            FetchUpdate(
                etag=(response.headers.get(b"ETag") or b"").decode("latin-1") or None,
                last_modified=(response.headers.get(b"Last-Modified") or b"").decode("latin-1")
                or None,
                body_hash=body_hash,
                full=True,
            ),
            replace=True,
        )
        return response

    @staticmethod
    def _remember(request: Request, url: str, update: FetchUpdate, replace: bool = False) -> None:
        """Keep the page's new state with its poll, which saves it if it finishes."""
        poll = poll_of(request.meta)
        if poll is None:
            return
        if replace:
            poll.fetch_updates[url] = update
        else:
            poll.fetch_updates.setdefault(url, update)
