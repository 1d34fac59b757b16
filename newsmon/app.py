"""The composition root: the one place that builds newsmon's long-lived objects from a config —
the store, the notifiers, the dispatcher with its flood limits — and runs the two things every
entry point does: crawl, and deliver what is queued. The CLI, the daemon and the demo ask it;
none of them wires its own."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alerts.destinations import AppriseNotifier, DestinationRouter
from alerts.dispatch_report import DispatchReport
from alerts.dispatcher import Dispatcher
from alerts.notifiers import (
    ConsoleNotifier,
    Notifier,
    RoutingNotifier,
    SlackNotifier,
    WebhookNotifier,
)
from crawler.config import Config
from crawler.runner import CrawlSummary, run_crawls
from storage import Storage, open_store

if TYPE_CHECKING:
    from newsmon.backfill import Backfill

log = logging.getLogger("newsmon")


@dataclass(frozen=True)
class Delivery:
    """What a round of delivery came to."""

    report: DispatchReport | None  # None: nothing could be sent (no token)
    queued: int  # alerts still waiting afterwards (retried later)
    waiting_for: str | None = None  # why nothing was sent, e.g. "$SLACK_BOT_TOKEN not set"

    def __str__(self) -> str:
        if self.report is None:
            return f"{self.queued} alerts waiting ({self.waiting_for})"
        text = f"alerts: {self.report}"
        if self.queued:
            text += f"; {self.queued} still queued (retried later)"
        return text


class App:
    def __init__(self, config: Config) -> None:
        self.config = config
        self._keep = False  # see keep_stores()
        self._local = threading.local()
        self._shared: Storage | None = None
        self._kept: list[Storage] = []
        self._lock = threading.Lock()

    # --- storage -------------------------------------------------------------------------------

    def open_store(self) -> Storage:
        """A new connection to the database (created and migrated on first use)."""
        return open_store(self.config.database)

    @contextmanager
    def store(self) -> Iterator[Storage]:
        """The database for a moment's work: opened and closed around it — or, in a long-running
        process (:meth:`keep_stores`), the one kept open for this thread."""
        if self._keep:
            yield self._kept_store()
            return
        store = self.open_store()
        try:
            yield store
        finally:
            store.close()

    def keep_stores(self) -> None:
        """From now on :meth:`store` reuses open connections instead of opening one each time
        (the daemon asks the database several times a second): one store shared by every
        thread where the backend allows it (a PostgreSQL pool), else one per thread. Closed by
        :meth:`close_stores`."""
        self._keep = True

    def _kept_store(self) -> Storage:
        if self._shared is not None:
            return self._shared
        mine: Storage | None = getattr(self._local, "store", None)
        if mine is not None:
            return mine
        with self._lock:
            if self._shared is not None:
                return self._shared
            store = self.open_store()
            self._kept.append(store)
            if store.threadsafe:
                self._shared = store
            else:
                self._local.store = store
        return store

    def close_stores(self) -> None:
        with self._lock:
            kept, self._kept, self._shared = self._kept, [], None
            self._keep = False
            self._local = threading.local()
        for store in kept:
            try:
                store.close()
            except Exception:
                log.exception("closing the database failed")

    # --- delivery ------------------------------------------------------------------------------

    def notifier(self) -> Notifier | None:
        """Slack when configured (None while neither its token nor a webhook URL is set), else
        the console. Channels with an incoming webhook set in the environment use it; the
        config's destinations go through Apprise."""
        slack = self.notifier_for_slack()
        destinations = self.config.model.destinations
        if not destinations:
            return slack
        env = self.config.slack.token_env if self.config.slack else "SLACK_BOT_TOKEN"
        return DestinationRouter(self.destinations(), slack, f"${env} is not set")

    def destinations(self) -> AppriseNotifier:
        """The config's Apprise destinations (their URLs read from the environment now)."""
        urls = {n: d.resolved_url() for n, d in self.config.model.destinations.items()}
        missing = {
            n: f"${d.url_env} is not set (the URL of destination '{n}')"
            for n, d in self.config.model.destinations.items()
            if not urls[n]
        }
        return AppriseNotifier(urls, missing)

    def notifier_for_slack(self) -> Notifier | None:
        """Slack (bot, webhooks) when configured, else the console; None: no token yet."""
        slack = self.config.slack
        if slack is None:
            return ConsoleNotifier()
        token = slack.token()
        hooks = slack.webhook_urls()
        bot = SlackNotifier(token, slack.base_url) if token else None
        if not hooks:
            if bot is None:
                log.warning(
                    "Slack is configured but $%s is not set: alerts stay queued until it is",
                    slack.token_env,
                )
            return bot
        missing = f"${slack.token_env} is not set and the channel has no webhook"
        return RoutingNotifier(
            {ch: WebhookNotifier(url) for ch, url in hooks.items()}, bot, missing
        )

    def dispatcher(self, store: Storage, notifier: Notifier) -> Dispatcher:
        """The dispatcher with the config's flood limits and its destinations' pace and
        attempts."""
        destinations = self.config.model.destinations
        return Dispatcher(
            store,
            notifier,
            threadless=list(destinations),
            intervals={n: d.interval for n, d in destinations.items()},
            attempts={n: d.attempts for n, d in destinations.items()},
            max_per_hour=self.config.model.delivery.max_per_hour,
            lease=self.config.model.delivery.lease,
            max_replies_per_hour=self.config.model.delivery.max_replies_per_hour,
            rule_limits={r.name: r.max_per_hour for r in self.config.rules if r.max_per_hour},
        )

    def deliver_pending(self, timeout: float = 60.0) -> Delivery:
        """Deliver what is queued, for up to ``timeout`` seconds."""
        notifier = self.notifier()
        with self.store() as store:
            if notifier is None:
                env = self.config.slack.token_env if self.config.slack else "?"
                return Delivery(None, store.alert_counts().queued, f"${env} not set")
            report = self.dispatcher(store, notifier).drain(timeout)
            return Delivery(report, store.alert_counts().queued)

    # --- trends: spike alerts, daily briefings ----------------------------------------------

    def backfill_mentions(self, progress: Callable[[int], None] | None = None) -> Backfill:
        """Count the stored articles' mentions of rules and @concepts added since they were
        stored (once per subject; nothing to do is one query)."""
        from newsmon.backfill import backfill_mentions

        with self.store() as store:
            done = backfill_mentions(store, self.config.model, progress)
        if done.subjects:
            log.info("mentions: %s", done)
        return done

    def check_spikes(self, now: float | None = None) -> int:
        """Queue a spike alert for each rule whose coverage is a spike today (once per rule
        and day unless it doubles again). Returns how many were queued."""
        from newsmon.trends import check_spikes

        self.backfill_mentions()  # a rule added later is judged against its history
        with self.store() as store:
            return len(check_spikes(store, self.config.model, time.time() if now is None else now))

    def queue_briefings(self, now: float | None = None) -> list[str]:
        """Queue the daily briefings that are due (once per channel and local day)."""
        from newsmon.trends import queue_briefings

        self.backfill_mentions()
        with self.store() as store:
            return queue_briefings(store, self.config.model, time.time() if now is None else now)

    # --- crawling ------------------------------------------------------------------------------

    def source_names(self, wanted: Sequence[str] = ()) -> list[str]:
        """The named sources (a ConfigError for an unknown one), else every enabled source."""
        if wanted:
            return [self.config.source(name).name for name in wanted]
        return [s.name for s in self.config.sources if s.enabled]

    def crawl(
        self, names: Sequence[str], *, log_level: str = "WARNING", progress: bool = False
    ) -> list[CrawlSummary]:
        """One crawl of each named source, concurrently, in this process (the mentions of rules
        added since the last crawl counted over the archive first: on a new database that marks
        every rule as counted, and the crawl counts what it stores)."""
        self.backfill_mentions()
        return run_crawls(self.config, list(names), log_level=log_level, progress=progress)
