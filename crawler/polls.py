"""The poll keeper: begins, watches and finishes the polls of one long-lived crawl.

An extension (wired by ``crawler.addon``). It records each poll as a ``crawl_runs`` row of its
source (with the poll's own counters), sets the source's politeness on its hosts' download
slots (also across sources sharing a host: the politest wins), cuts off a poll past its
deadline (recorded as a ``timeout`` error of the source), saves the conditional-GET states of a
poll that finished, and tells whoever asked for the poll.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from twisted.internet.task import LoopingCall

from crawler.config import SourceConfig
from crawler.poll import FINISHED, SHUTDOWN, TIMEOUT, Poll
from crawler.resources import CrawlResources, resources_for
from crawler.stats import kept
from storage import DatabaseBusy, DatabaseUnreachable

log = logging.getLogger("newsmon.engine")
WATCH_EVERY_S = 0.5


class PollKeeper:
    def __init__(
        self,
        crawler: Crawler,
        resources: CrawlResources,
        stats: StatsCollector,
    ) -> None:
        self.crawler = crawler
        self.resources = resources
        self.stats = stats
        self.open: dict[int, Poll] = {}
        self.on_begin: list[Callable[[Poll], None]] = []  # e.g. the progress line
        self._watch: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PollKeeper:
        assert crawler.stats is not None
        keeper = cls(crawler, resources_for(crawler), crawler.stats)
        crawler.__dict__["_newsmon_keeper"] = keeper
        crawler.signals.connect(keeper.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(keeper.spider_closed, signal=signals.spider_closed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(keeper.item_done, signal=signal)
        return keeper

    # --- lifecycle ------------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self._watch = LoopingCall(self.watch)
        self._watch.start(WATCH_EVERY_S, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._watch is not None and self._watch.running:
            self._watch.stop()
        self.end_all(SHUTDOWN if reason != "finished" else FINISHED)

    def end_all(self, reason: str) -> None:
        """End every open poll now (recorded with ``reason``), whatever it still waits for."""
        for poll in list(self.open.values()):
            poll.end(reason)

    # --- polls ---------------------------------------------------------------------------------

    def begin(
        self,
        source: SourceConfig,
        *,
        timeout: float | None = None,
        on_done: Callable[[Poll], None] | None = None,
    ) -> Poll:
        """A new poll of ``source``, recorded as started (its requests come from the spider)."""
        poll = Poll(source, timeout=timeout)
        poll.run_id = self.resources.store.start_run(source.name)
        self.open[poll.id] = poll
        poll.add_done_callback(self._finish)
        if on_done is not None:
            poll.add_done_callback(on_done)
        self._politeness(source)
        for listener in self.on_begin:
            listener(poll)
        return poll

    def _finish(self, poll: Poll) -> None:
        self.open.pop(poll.id, None)
        if not self.resources.is_open or poll.run_id is None:
            return
        store = self.resources.store
        try:
            if poll.reason == FINISHED and poll.fetch_updates:
                store.save_fetch_states(poll.fetch_updates)
            status = "finished" if poll.reason == FINISHED else "failed"
            stats = kept(poll.stats())
            store.finish_run(poll.run_id, status=status, reason=poll.reason or "", stats=stats)
        except (DatabaseUnreachable, DatabaseBusy) as exc:  # the daemon tells the outage
            log.debug("poll of %s: could not record its end: %s", poll.name, exc)
        except Exception:  # the record of one poll must not take the engine down
            log.exception("poll of %s: could not record its end", poll.name)

    def watch(self) -> None:
        """Cut off the polls past their deadline."""
        now = time.monotonic()
        for poll in list(self.open.values()):
            if poll.overdue(now):
                limit = (poll.deadline or now) - poll.started
                log.warning("poll of %s: cut off after %.0fs", poll.name, limit)
                try:
                    self.resources.store.record_error(
                        poll.run_id, poll.name, "", TIMEOUT, f"crawl cut off after {limit:.0f}s"
                    )
                finally:
                    poll.end(TIMEOUT)

    def item_done(self, item: Any, *args: Any, **kwargs: Any) -> None:
        poll = getattr(item, "poll", None)
        if isinstance(poll, Poll):
            poll.release(getattr(item, "token", None))

    # --- politeness across sources --------------------------------------------------------------

    def _politeness(self, source: SourceConfig) -> None:
        """The source's ``delay`` and ``concurrency`` on its hosts' download slots: where two
        sources share a host, the longer delay and the smaller concurrency hold."""
        engine = self.crawler.engine
        if engine is None or (source.delay is None and source.concurrency is None):
            return
        downloader = engine.downloader
        for host in source.hosts:
            wanted = dict(downloader.per_slot_settings.get(host, {}))
            if source.concurrency is not None:
                wanted["concurrency"] = min(
                    source.concurrency, wanted.get("concurrency", source.concurrency)
                )
            if source.delay is not None:
                wanted["delay"] = max(source.delay, wanted.get("delay", source.delay))
                wanted["jitter"] = 0.0
            downloader.per_slot_settings[host] = wanted
            slot = downloader.slots.get(host)
            if slot is not None:
                slot.concurrency = wanted.get("concurrency", slot.concurrency)
                slot.delay = wanted.get("delay", slot.delay)


def keeper_for(crawler: Crawler) -> PollKeeper:
    keeper = crawler.__dict__.get("_newsmon_keeper")
    if keeper is None:
        raise RuntimeError("the PollKeeper extension is not enabled")
    return keeper  # type: ignore[no-any-return]
