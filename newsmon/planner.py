"""Planning each source's polls: after a poll, its record becomes the source's next due time
(the adaptive schedule of :mod:`newsmon.schedule`, with jitter) and its health events; sources
never planned get a first due time. The plan lives in the database (``schedule``), so every node
sharing it follows the same plan."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import replace
from datetime import datetime

from crawler.config import SourceConfig
from crawler.stats import CrawlCounts
from newsmon.app import App
from newsmon.outages import DatabaseWatch
from newsmon.schedule import HealthPolicy, RunOutcome, SourceState, advance
from storage import ScheduleEntry, Storage

log = logging.getLogger("newsmon.daemon")


def jittered(source: SourceConfig, due: float) -> float:
    """A due time moved by up to a tenth of the interval (30 s at most), so that sources with
    the same interval drift apart instead of being polled in step."""
    return due + random.uniform(-1, 1) * min(30.0, source.interval * 0.1)


class Planner:
    """Next due times and health events of the sources, kept in the database."""

    def __init__(self, app: App, database: DatabaseWatch | None = None) -> None:
        self.app = app
        self.database = database or DatabaseWatch(log)
        health = app.config.model.health
        self.policy = HealthPolicy(
            failed_runs=health.failed_runs,
            empty_runs=health.empty_runs,
            extraction_runs=health.extraction_runs,
            silent_factor=health.silent_factor,
            min_silent_s=health.min_silent,
        )

    def state(self, store: Storage, source: SourceConfig) -> SourceState:
        """The source's saved state, its interval kept within the config's bounds."""
        saved = store.schedule(source.name).get(source.name)
        if saved is None:
            return ScheduleEntry(source.name, source.interval, time.time())
        interval = min(source.interval_ceiling, max(source.interval_floor, saved.interval))
        if not source.adaptive:
            interval = source.interval
        return replace(saved, interval=interval, next_due=saved.next_due or time.time())

    def after_crawl(
        self, source: SourceConfig, run_id: int | None, started_at: float, error: str | None
    ) -> CrawlCounts:
        """Turn the crawl's record into the source's next due time and health events; return
        what the crawl counted."""
        with self.app.store() as store:
            run = store.last_run(source.name)
            if run is not None and run.id != run_id:
                run = None
            if error is None and run is None:
                error = "the crawl left no record"
            if error is None and run is not None and run.status != "finished":
                error = f"crawl ended: {run.reason or run.status}"
            counts = CrawlCounts.from_stats(run.stats if run else {})
            if error is None:
                log.info(
                    "crawl %s: %d new, %d known, %d unchanged, %d error(s), %d alert(s) "
                    "[%d requests, %.1fs]",
                    source.name,
                    counts.stored,
                    counts.skipped_seen,
                    counts.unchanged_entries,
                    counts.error_total,
                    counts.alerts,
                    counts.requests,
                    counts.seconds,
                )
            outcome = RunOutcome.from_counts(counts, ok=error is None, error=error)
            state = self.state(store, source)
            now = time.time()
            new, events = advance(
                state,
                outcome,
                now=now,
                floor=source.interval_floor,
                ceiling=source.interval_ceiling,
                adaptive=source.adaptive,
                policy=self.policy,
                article_times=store.article_times(source.name),
            )
            new = replace(new, last_started=started_at, next_due=jittered(source, new.next_due))
            store.save_schedule(new)
            channel = self.app.config.model.health.channel
            for event in events:
                level = logging.INFO if event.kind == "recovered" else logging.WARNING
                log.log(level, "health %s", event.text)
                store.add_notice(channel, event.source, event.kind, event.text)
        if abs(new.interval - state.interval) > 1:
            log.info(
                "crawl %s: interval %.0fs → %.0fs (%.0f%% of its links already seen)",
                source.name,
                state.interval,
                new.interval,
                100 * outcome.seen_share,
            )
        return counts

    def postpone(self, source: SourceConfig) -> None:
        """After a crawl whose outcome could not be recorded: try again an interval later."""
        try:
            with self.app.store() as store:
                state = self.state(store, source)
                store.save_schedule(replace(state, next_due=time.time() + source.interval))
        except Exception as exc:
            self.database.failed(exc, f"crawl {source.name}: postponing it")

    def first_runs(self, store: Storage, sources: list[SourceConfig]) -> list[ScheduleEntry]:
        """Plans for sources never planned: the last recorded run plus the interval (a database
        from before the daemon kept schedules), else now. (A burst of new sources is bounded by
        the crawl slots: no more than ``--max-parallel`` start at once.)"""
        saved = store.schedule()
        now = time.time()
        plans = []
        for src in sources:
            if src.name in saved:
                continue
            last = store.last_run(src.name)
            due = now
            if last is not None:
                due = datetime.fromisoformat(last.started_at).timestamp() + src.interval
            plans.append(ScheduleEntry(src.name, src.interval, due))
        return plans
