"""What the components of one crawl share: its config, its storage connection and the
writer of its articles.

:class:`crawler.extensions.StoreOwner` opens the store when the spider opens and closes it
once everything else has handled the spider's close; components reach it through
:func:`resources_for`, at run time (never in ``__init__``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.config import Config, load_config
from crawler.store_batches import StoreBatches
from storage import Storage, open_store


class CrawlResources:
    def __init__(self, config: Config) -> None:
        self.config = config
        self._store: Storage | None = None
        self.run_id: int | None = None  # the crawl_runs row of this crawl, once started
        self._writer: StoreBatches | None = None

    @property
    def writer(self) -> StoreBatches:
        """The crawl's article writes (batched, in a thread of their own)."""
        if self._writer is None:
            self._writer = StoreBatches(
                lambda: self.store, lambda: open_store(self.config.database)
            )
        return self._writer

    @property
    def store(self) -> Storage:
        if self._store is None:
            raise RuntimeError("the crawl's store is not open (it opens with the spider)")
        return self._store

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def open(self) -> None:
        if self._store is None:
            self._store = open_store(self.config.database)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._store is not None:
            self._store.close()
            self._store = None


def resources_for(crawler: Crawler) -> CrawlResources:
    """The crawl's shared resources, made once per crawler (the config parsed from
    ``NEWSMON_CONFIG``)."""
    resources = crawler.__dict__.get("_newsmon_resources")
    if resources is None:
        resources = CrawlResources(load_config(crawler.settings.get("NEWSMON_CONFIG")))
        crawler.__dict__["_newsmon_resources"] = resources
    return resources  # type: ignore[no-any-return]
