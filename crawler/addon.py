"""The one place that wires newsmon's components into a Scrapy crawl (a Scrapy add-on).

``crawler/settings.py`` enables it (``ADDONS``); ``scrapy crawl`` and ``newsmon crawl`` get the
same wiring. Order numbers place each downloader middleware relative to Scrapy's own.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.extensions.telnet import TelnetConsole
from scrapy.settings import BaseSettings

from crawler.extensions import StoreOwner
from crawler.middlewares.conditional import ConditionalGetMiddleware
from crawler.middlewares.failures import (
    FailureRecorderMiddleware,
    RecordingHttpCompressionMiddleware,
    RedirectGuardMiddleware,
)
from crawler.middlewares.gate import PollGateMiddleware
from crawler.middlewares.politeness import HostConcurrencyMiddleware, PolitenessMiddleware
from crawler.middlewares.refresh import QuickMetaRefreshMiddleware
from crawler.middlewares.seen import SeenUrlMiddleware
from crawler.pipelines import ExtractPipeline, StorePipeline
from crawler.polls import PollKeeper
from crawler.progress import ProgressReporter
from crawler.rendering import BrowserWatch

ITEM_PIPELINES = {ExtractPipeline: 100, StorePipeline: 200}
DOWNLOADER_MIDDLEWARES = {
    # closest to the engine: sees only what the retry middleware gave up on
    FailureRecorderMiddleware: 50,
    # requests of a poll that has ended go nowhere
    PollGateMiddleware: 55,
    SeenUrlMiddleware: 60,
    ConditionalGetMiddleware: 70,
    # meta-refresh redirects, looked for only where the page spells "refresh" (replaces 580)
    QuickMetaRefreshMiddleware: 580,
    # decompression with bombs recorded as failures of the source (replaces Scrapy's at 590)
    RecordingHttpCompressionMiddleware: 590,
    # just outside RedirectMiddleware (600): records loops and over-long chains
    RedirectGuardMiddleware: 610,
    # closest to the network: the per-host in-flight limit, actually enforced
    HostConcurrencyMiddleware: 990,
    # after the host's turn has come (a wait may have started meanwhile); sees a 429/503 first
    PolitenessMiddleware: 995,
}
EXTENSIONS = {
    StoreOwner: 0,  # first: every other component uses the store it opens
    PollKeeper: 5,  # begins, records and finishes each source's poll
    ProgressReporter: 10,
    BrowserWatch: 15,  # only with a rendered source (NotConfigured otherwise)
}
REMOTE_CONTROL = "scrapy.extensions.remote_control.RemoteControl"
# Scrapy's own components that newsmon's replace or switches off.
REPLACED: dict[str, tuple[type, ...]] = {
    "DOWNLOADER_MIDDLEWARES": (HttpCompressionMiddleware, MetaRefreshMiddleware),
    "EXTENSIONS": (TelnetConsole,),
}


class NewsmonAddon:
    """Enabled in ``crawler/settings.py``; Scrapy calls it before the crawl's components are
    built."""

    def update_settings(self, settings: BaseSettings) -> None:
        for name, components in (
            ("ITEM_PIPELINES", ITEM_PIPELINES),
            ("DOWNLOADER_MIDDLEWARES", DOWNLOADER_MIDDLEWARES),
            ("EXTENSIONS", EXTENSIONS),
        ):
            for replaced in REPLACED.get(name, ()):
                settings.set_in_component_priority_dict(name, replaced, None)
            for component, order in components.items():
                settings.set_in_component_priority_dict(name, component, order)
        # Scrapy's remote control is off (no local control port), but listing it among the
        # extensions imports it, and aiohttp with it (~0.1 s of every crawl's start)
        base = settings.getdict("EXTENSIONS_BASE")
        if base.pop(REMOTE_CONTROL, None) is not None:
            settings.set("EXTENSIONS_BASE", base, "addon")
