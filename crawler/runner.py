"""Running crawls in this process: one Scrapy ``CrawlerProcess`` for the named sources.

Scrapy's reactor cannot be restarted, so a process runs at most one batch of crawls; the daemon
runs each batch in a child process (see ``crawler.daemon``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from crawler.config import Config


def crawl_settings(
    config: Config, *, log_level: str = "WARNING", progress: bool = False
) -> Settings:
    settings = Settings()
    settings.set("NEWSMON_PROGRESS", progress, priority="cmdline")
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NEWSMON_CONFIG", str(config.path), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    # The newsmon CLI owns logging (one stderr handler at the --verbose level).
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    return settings


@dataclass(frozen=True)
class CrawlSummary:
    source: str
    reason: str
    discovered: int
    skipped_seen: int
    unchanged: int  # feeds/sitemaps/listings answered 304 or with the same body
    requests: int
    stored: int
    duplicates: int
    not_article: int
    errors: int
    alerts: int
    seconds: float

    @classmethod
    def from_crawler(cls, source: str, crawler: Crawler) -> CrawlSummary:
        stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
        errors = sum(v for k, v in stats.items() if k.startswith("newsmon/errors/"))
        errors += int(stats.get("newsmon/feed_errors", 0))
        errors += int(stats.get("newsmon/sitemap_errors", 0))
        return cls(
            source=source,
            reason=str(stats.get("finish_reason", "not started")),
            discovered=int(stats.get("newsmon/discovered", 0)),
            skipped_seen=int(stats.get("newsmon/skipped_seen", 0)),
            unchanged=int(stats.get("newsmon/not_modified", 0))
            + int(stats.get("newsmon/unchanged", 0)),
            requests=int(stats.get("downloader/request_count", 0)),
            stored=int(stats.get("newsmon/stored", 0)),
            duplicates=int(stats.get("newsmon/duplicates", 0)),
            not_article=int(stats.get("newsmon/not_article", 0)),
            errors=int(errors),
            alerts=int(stats.get("newsmon/alerts_enqueued", 0)),
            seconds=float(stats.get("elapsed_time_seconds", 0.0)),
        )


def run_crawls(
    config: Config, names: list[str], *, log_level: str = "WARNING", progress: bool = False
) -> list[CrawlSummary]:
    """Crawl the named sources concurrently (politeness applies per site) and wait for all."""
    process = CrawlerProcess(crawl_settings(config, log_level=log_level, progress=progress))
    crawlers: list[tuple[str, Crawler]] = []
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append((name, crawler))
        process.crawl(crawler)
    process.start()
    return [CrawlSummary.from_crawler(name, crawler) for name, crawler in crawlers]
