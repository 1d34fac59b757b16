"""One source as a Scrapy spider of its own, for ``scrapy list`` and ``scrapy crawl <source>``:
the engine spider with that one source's poll, closing when it is done."""

from __future__ import annotations

from typing import ClassVar

from crawler.config import SourceConfig
from spiders.engine import EngineSpider


class SourceSpider(EngineSpider):
    """Crawls one configured source. Subclassed per source by the spider loader."""

    name = "newsmon-source"
    source: ClassVar[SourceConfig]
