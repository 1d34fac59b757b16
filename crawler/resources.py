"""Per-crawl shared resources: the loaded config and one storage connection per crawler."""

from __future__ import annotations

from typing import cast

from scrapy.crawler import Crawler

from crawler.config import Config, load_config
from storage import Store


def config_for(crawler: Crawler) -> Config:
    """The crawl's config, parsed once per crawler from ``NEWSMON_CONFIG``."""
    config = getattr(crawler, "_newsmon_config", None)
    if config is None:
        config = load_config(crawler.settings.get("NEWSMON_CONFIG"))
        crawler._newsmon_config = config  # type: ignore[attr-defined]
    return cast(Config, config)


def store_for(crawler: Crawler) -> Store:
    """The crawl's storage connection, opened on first use.

    ``crawler.extensions.CrawlRunRecorder`` closes it when the spider closes (after the item
    pipelines have finished).
    """
    store = getattr(crawler, "_newsmon_store", None)
    if store is None:
        store = Store.open(config_for(crawler).database)
        crawler._newsmon_store = store  # type: ignore[attr-defined]
    return cast(Store, store)


def close_store(crawler: Crawler) -> None:
    store = getattr(crawler, "_newsmon_store", None)
    if store is not None:
        store.close()
        crawler._newsmon_store = None  # type: ignore[attr-defined]
