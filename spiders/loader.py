"""A spider loader that makes one spider per configured source, so that ``scrapy list`` prints
the source names and ``scrapy crawl <source>`` crawls it, with the same config as ``newsmon``;
it also loads the engine spider (``newsmon-engine``) that ``newsmon`` crawls with."""

from __future__ import annotations

import builtins
import sys
from typing import Any

from scrapy import Request, Spider
from scrapy.settings import BaseSettings

from crawler.config import EXIT_CONFIG, Config, ConfigError, SourceConfig, load_config
from crawler.rendering import render_settings
from spiders.engine import ENGINE_SPIDER, EngineSpider
from spiders.source import SourceSpider


def spider_settings(config: Config, source: SourceConfig) -> dict[str, Any]:
    """Scrapy settings that one source's spider carries (politeness overrides, identity)."""
    settings: dict[str, Any] = {
        "USER_AGENT": config.model.user_agent,
        "NEWSMON_SOURCE": source.name,
    }
    if source.delay is not None:
        # An explicit delay is a promise to the site: keep it fixed, no AutoThrottle.
        settings["DOWNLOAD_DELAY"] = source.delay
        settings["AUTOTHROTTLE_ENABLED"] = False
        settings["DOWNLOAD_DELAY_JITTER"] = 0
    if source.concurrency is not None:
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = source.concurrency
    if source.timeout is not None:
        settings["DOWNLOAD_TIMEOUT"] = source.timeout
    if source.render:
        settings.update(render_settings(config))
    return settings


def spider_class(config: Config, source: SourceConfig) -> type[SourceSpider]:
    return type(
        f"Source_{source.name.replace('-', '_')}",
        (SourceSpider,),
        {
            "name": source.name,
            "source": source,
            "initial_sources": (source,),
            "allowed_domains": source.hosts,
            "custom_settings": spider_settings(config, source),
        },
    )


class SourceSpiderLoader:
    """Implements Scrapy's spider loader interface over newsmon.yaml's ``sources``."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._spiders = {s.name: spider_class(config, s) for s in config.sources}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SourceSpiderLoader:
        try:
            config = load_config(settings.get("NEWSMON_CONFIG"))
        except ConfigError as exc:
            print(f"newsmon: {exc}", file=sys.stderr)
            raise SystemExit(EXIT_CONFIG) from None
        return cls(config)

    def load(self, spider_name: str) -> type[Spider]:
        if spider_name == ENGINE_SPIDER:
            return EngineSpider
        try:
            return self._spiders[spider_name]
        except KeyError:
            known = ", ".join(self._spiders) or "none configured"
            raise KeyError(f"Spider not found: {spider_name} (sources: {known})") from None

    def list(self) -> list[str]:
        return list(self._spiders)

    def find_by_request(self, request: Request) -> builtins.list[str]:
        return [name for name, cls in self._spiders.items() if cls.handles_request(request)]
