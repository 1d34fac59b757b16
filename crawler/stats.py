"""A crawl's counters. Components count into Scrapy's stats under ``newsmon/…``; everything
outside the crawl (the crawl summary, ``newsmon status``, the daemon's schedule) reads them
through :class:`CrawlCounts`, never by raw key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PREFIX = "newsmon/"
ERRORS = PREFIX + "errors/"
LINKS = PREFIX + "links/"
PAGES = PREFIX + "listing_pages/"

# Scrapy's own counters kept in a crawl's record beside the newsmon/* ones.
KEPT_SCRAPY_STATS = (
    "downloader/request_count",
    "downloader/response_count",
    "item_scraped_count",
    "item_dropped_count",
    "log_count/ERROR",
    "elapsed_time_seconds",
)


def kept(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The counters a crawl record keeps."""
    return {k: v for k, v in stats.items() if k in KEPT_SCRAPY_STATS or k.startswith(PREFIX)}


@dataclass(frozen=True)
class CrawlCounts:
    discovered: int = 0  # article links found on feeds, sitemaps and listings
    skipped_seen: int = 0  # ... already stored or known not to be articles
    not_modified: int = 0  # entry pages answered 304
    unchanged: int = 0  # entry pages whose body hash had not changed
    stored: int = 0
    duplicates: int = 0
    not_article: int = 0
    alerts: int = 0
    entry_errors: int = 0  # failures of feeds, sitemaps, listings, the homepage
    feed_errors: int = 0
    sitemap_errors: int = 0
    errors: Mapping[str, int] = field(default_factory=dict)  # failures by kind
    # article links by where they came from: feed, sitemap, listing/<depth> (0: the page itself)
    links: Mapping[str, int] = field(default_factory=dict)
    listing_pages: Mapping[int, int] = field(default_factory=dict)  # pages read by depth
    retry_after_s: float | None = None
    requests: int = 0
    seconds: float = 0.0
    finish_reason: str | None = None
    needs_render: int = 0  # article pages with no text until JavaScript runs (render is off)
    render_failures: int = 0  # pages the browser failed to render

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any]) -> CrawlCounts:
        def n(key: str) -> int:
            return int(stats.get(PREFIX + key, 0) or 0)

        retry = stats.get(PREFIX + "retry_after_s")
        reason = stats.get("finish_reason")
        return cls(
            discovered=n("discovered"),
            skipped_seen=n("skipped_seen"),
            not_modified=n("not_modified"),
            unchanged=n("unchanged"),
            stored=n("stored"),
            duplicates=n("duplicates"),
            not_article=n("not_article"),
            alerts=n("alerts_enqueued"),
            entry_errors=n("entry_errors"),
            feed_errors=n("feed_errors"),
            sitemap_errors=n("sitemap_errors"),
            errors={
                k.removeprefix(ERRORS): int(v) for k, v in stats.items() if k.startswith(ERRORS)
            },
            links={k.removeprefix(LINKS): int(v) for k, v in stats.items() if k.startswith(LINKS)},
            listing_pages={
                int(k.removeprefix(PAGES)): int(v)
                for k, v in stats.items()
                if k.startswith(PAGES) and k.removeprefix(PAGES).isdigit()
            },
            retry_after_s=float(retry) if retry else None,
            requests=int(stats.get("downloader/request_count", 0) or 0),
            seconds=float(stats.get("elapsed_time_seconds", 0.0) or 0.0),
            finish_reason=str(reason) if reason is not None else None,
            needs_render=n("needs_render"),
            render_failures=n("render_failures"),
        )

    @property
    def unchanged_entries(self) -> int:
        """Entry pages answered 304 or with an unchanged body."""
        return self.not_modified + self.unchanged

    def listings_stuck(self) -> bool:
        """Listings were read but never past their first page, while the feeds showed more
        articles than those first pages held: pagination this outlet uses was not found."""
        first = self.links.get("listing/0", 0)
        return (
            bool(self.listing_pages)
            and max(self.listing_pages) == 0
            and self.links.get("feed", 0) > first
        )

    @property
    def error_total(self) -> int:
        return sum(self.errors.values()) + self.feed_errors + self.sitemap_errors
