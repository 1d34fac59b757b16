"""``newsmon run``: the daemon.

Each source's next due time lives in the database (``schedule``), set after every crawl by its
adaptive schedule (``newsmon.planner``). APScheduler 3 runs a claim job — take the leases of
the due sources no node holds, as many as there are free crawl slots (``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL), so any number of nodes share the sources — a dispatcher job and a
heartbeat that renews the leases of the sources being polled (a dead node's lapse, and the
others take its sources over). A restart resumes the schedule without a burst.

Every crawl is a poll of one long-lived crawl engine in a child process
(``newsmon.supervisor``): many sources are polled at once in one reactor, and an engine that
crashes, leaks or hangs cannot take the daemon down — it is restarted, recycled past a memory
ceiling, and a poll past ``crawl_timeout`` is cut off and recorded. The dispatcher runs in the daemon's
own worker thread with the blocking slack-sdk client, so a Slack wait never stalls the scheduler.

On SIGTERM/SIGINT: no new crawls start, the engine ends its open polls (recorded as
``shutdown``; killed after a grace period), the outbox is flushed briefly — each message within
the deadline, the rest stays queued — then the process exits.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from alerts.dispatcher import Dispatcher
from crawler.config import SourceConfig
from newsmon.app import App
from newsmon.outages import DatabaseWatch
from newsmon.planner import Planner
from newsmon.supervisor import EngineSupervisor
from storage import Storage

log = logging.getLogger("newsmon.daemon")

STOP_GRACE_S = 15.0  # the engine's open polls end within this on SIGTERM
FLUSH_S = 5.0  # then the outbox is flushed for at most this long
STOP_BUDGET_S = 12.0  # ... and not past this long after the stop began
CLAIM_EVERY_S = 0.25  # how often a node looks for due sources
ENGINE_SLACK_S = 30.0  # a poll's answer may come this long after its deadline
HEARTBEAT_S = 10.0  # how often a node tells the others it is alive (and renews its leases)
LEASE_TTL_S = 60.0  # a dead node's sources are taken over by the others after this long
SPIKE_CHECK_S = 5.0  # spike checks after crawls at most this often
BRIEFING_CHECK_S = 60.0  # how often the daemon looks whether a daily briefing is due
NODE_ENV = "NEWSMON_NODE"  # the node's name among the nodes sharing a database (default: host)


class Daemon:
    def __init__(
        self,
        app: App,
        *,
        verbose: int = 0,
        max_parallel_crawls: int = 2,
        dispatch_every: float = 2.0,
        crawl_timeout: float | None = None,
        engine_memory: int = 1024 * 2**20,
        engine_max_age: float = 6 * 3600,
        lease_ttl: float = LEASE_TTL_S,
    ) -> None:
        self.app = app
        self.config = config = app.config
        self.verbose = verbose
        self.max_parallel = max_parallel_crawls
        self.dispatch_every = dispatch_every
        self.crawl_timeout = crawl_timeout
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._trends_lock = threading.Lock()
        self._spikes_due = threading.Event()  # articles stored since the last spike check
        self._spikes_next = 0.0  # (time.monotonic) no spike check before this
        self.host = socket.gethostname()
        # this daemon among the nodes sharing a database; a restarted node takes its leases back
        self.node = os.environ.get(NODE_ENV) or self.host
        self._held: set[str] = set()  # the sources this node polls now (leases renewed)
        self.lease_ttl = lease_ttl
        # leases are renewed well before they end
        self.heartbeat_every = min(HEARTBEAT_S, lease_ttl / 3)
        self.started = time.time()
        self.engine = EngineSupervisor(
            config.path, verbose=verbose, memory_limit=engine_memory, max_age=engine_max_age
        )
        self._dispatcher: Dispatcher | None = None
        self._dispatch_store: Storage | None = None
        self._sources: dict[str, SourceConfig] = {}
        self._crawls = concurrent.futures.ThreadPoolExecutor(1)
        self.database = DatabaseWatch(log)
        self.planner = Planner(app, self.database)

    # --- jobs --------------------------------------------------------------------------------

    def _timeout_for(self, source: SourceConfig) -> float:
        if self.crawl_timeout is not None:
            return self.crawl_timeout
        return max(600.0, 2 * source.interval)

    def claim(self) -> None:
        """Take the leases of the sources that are due and that no node polls, as many as this
        node has free crawl slots, and start their crawls."""
        if self._stop.is_set():
            return
        with self._lock:
            free = self.max_parallel - len(self._held)
        if free <= 0:
            return
        began = time.monotonic()
        try:
            with self.app.store() as store:
                names = store.claim_due(
                    self.node, list(self._sources), time.time(), self.lease_ttl, free
                )
        except Exception as exc:
            self.database.failed(exc, "claiming due sources", began=began)
            return
        self.database.ok()
        for name in names:
            with self._lock:
                self._held.add(name)
            self._crawls.submit(self.crawl_source, self._sources[name])

    def crawl_source(self, source: SourceConfig) -> None:
        """Poll a source whose lease this node holds, then plan its next poll and let go."""
        try:
            if not self._stop.is_set():
                self._crawl(source, self._timeout_for(source))
        except Exception as exc:
            self.database.failed(exc, f"crawl {source.name}", "its next poll will try again")
        finally:
            with self._lock:
                self._held.discard(source.name)
            try:
                with self.app.store() as store:
                    store.release_source(source.name, self.node)
            except Exception as exc:  # the lease runs out by itself
                self.database.failed(
                    exc, f"crawl {source.name}: releasing its lease", "it runs out by itself"
                )

    def _crawl(self, source: SourceConfig, timeout: float) -> None:
        started_at, began = time.time(), time.monotonic()
        log.info("crawl %s: starting", source.name)
        future = self.engine.poll(source.name, timeout)
        try:
            done = future.result(timeout=timeout + ENGINE_SLACK_S)
        except concurrent.futures.TimeoutError:
            # the engine cuts a poll off at its deadline: one that does not is wedged
            log.error(
                "crawl %s: the engine gave no answer in %.0fs: restarting it", source.name, timeout
            )
            self.engine.kill_engine()
            done = future.result(timeout=30)
        if self._stop.is_set() and done.reason in ("shutdown", "crash"):
            return  # stopped by us: not the source's failure
        if done.reason == "database":  # the engine could not reach it: nothing to record there
            self.database.failed(done.error or "", f"crawl {source.name}", began=began)
            return
        error: str | None = None
        if done.reason == "timeout":
            error = f"crawl cut off after {timeout:.0f}s"
            log.error("crawl %s: no end after %.0fs, cut off", source.name, timeout)
        elif done.reason in ("crash", "error"):
            error = f"crawl failed: {done.error or done.reason}"
            log.error("crawl %s: %s", source.name, error)
            self._record(source.name, "crash", error)
        try:
            if self.planner.after_crawl(source, done.run_id, started_at, error).stored:
                self._spikes_due.set()
        except Exception as exc:
            self.database.failed(exc, f"crawl {source.name}: updating its schedule")
            self.planner.postpone(source)
        self.engine.check()
        self.check_spikes()

    def _record(self, source: str, kind: str, message: str) -> None:
        with self.app.store() as store:
            store.record_error(None, source, "", kind, message)

    def heartbeat(self) -> None:
        """Tell the other nodes sharing the database that this one is alive."""
        began = time.monotonic()
        try:
            now = time.time()
            with self._lock:
                held = list(self._held)
            with self.app.store() as store:
                store.heartbeat(self.node, self.host, os.getpid(), self.started, now)
                for name in held:  # still polling: the lease must not run out under us
                    store.claim_source(name, self.node, now, self.lease_ttl)
        except Exception as exc:
            self.database.failed(exc, "heartbeat", began=began)
        else:
            self.database.ok()
        self.check_spikes()  # one put off after the last crawls

    def check_spikes(self) -> None:
        """After a crawl that stored articles: queue spike alerts for rules whose coverage
        rose (the outbox keeps each alert once across the nodes). One check at a time, at most
        every SPIKE_CHECK_S — many polls finishing together need one check, not one each; a
        check put off so is made by the heartbeat."""
        if not self._spikes_due.is_set() or time.monotonic() < self._spikes_next:
            return
        if not self._trends_lock.acquire(blocking=False):
            return  # a check is running: it sees these articles, or the next one does
        try:
            self._spikes_due.clear()
            self._spikes_next = time.monotonic() + SPIKE_CHECK_S
            queued = self.app.check_spikes()
            if queued:
                log.info("spikes: %d alert(s) queued", queued)
        except Exception as exc:
            self._spikes_due.set()
            self.database.failed(exc, "spike check", "will try after the next crawl")
        finally:
            self._trends_lock.release()

    def backfill(self) -> None:
        """Count the stored articles' mentions of rules and concepts added since (spike checks
        and briefings wait for it, crawls do not)."""
        with self._trends_lock:
            try:
                self.app.backfill_mentions()
            except Exception as exc:
                self.database.failed(
                    exc, "counting the mentions of new rules", "the next spike check tries again"
                )

    def briefings(self, now: float | None = None) -> list[str]:
        """Queue each channel's daily briefing once its local time has come (once a day,
        across restarts and nodes: the outbox keys it by channel and local date)."""
        with self._trends_lock:
            try:
                return self.app.queue_briefings(now)
            except Exception as exc:
                self.database.failed(exc, "daily briefing", "will try again in a minute")
                return []

    def dispatch(self) -> None:
        if self._dispatcher is None:
            notifier = self.app.notifier()
            if notifier is None:
                return
            self._dispatch_store = self.app.open_store()
            self._dispatcher = self.app.dispatcher(self._dispatch_store, notifier)
        began = time.monotonic()
        try:
            report = self._dispatcher.run_once(should_stop=self._stop.is_set)
            if report.sent or report.dead:
                log.info("alerts: %s", report)
        except Exception as exc:
            self.database.failed(exc, "alert dispatch", began=began)

    # --- lifecycle ---------------------------------------------------------------------------

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        if not self._stop.is_set():
            log.warning("stopping: finishing running crawls, then exiting")
        self._stop.set()

    def run(self) -> None:
        self._sources = {s.name: s for s in self.config.sources if s.enabled}
        self.app.keep_stores()  # the database is asked several times a second: stay connected
        with self.app.store() as store:  # creates/migrates the database up front
            dropped = store.release_leases(self.node)
            if dropped:
                log.info("node %s restarted: took back %d source lease(s)", self.node, dropped)
            store.add_to_schedule(self.planner.first_runs(store, list(self._sources.values())))
        threading.Thread(target=self.backfill, name="backfill", daemon=True).start()
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        scheduler = BackgroundScheduler(
            executors={
                "claim": ThreadPoolExecutor(1),
                "dispatch": ThreadPoolExecutor(1),
                "heartbeat": ThreadPoolExecutor(1),
            },
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        self._crawls = concurrent.futures.ThreadPoolExecutor(
            self.max_parallel, thread_name_prefix="crawl"
        )
        jobs: list[tuple[Callable[..., object], float, str, str]] = [
            (self.claim, CLAIM_EVERY_S, "claim", "claim"),
            (self.dispatch, self.dispatch_every, "dispatch", "dispatch"),
            (self.heartbeat, self.heartbeat_every, "heartbeat", "heartbeat"),
        ]
        if self.config.model.briefing is not None:
            jobs.append((self.briefings, BRIEFING_CHECK_S, "briefings", "heartbeat"))
        for job, seconds, name, executor in jobs:
            scheduler.add_job(
                job,
                "interval",
                seconds=seconds,
                next_run_time=datetime.now(UTC),
                id=name,
                executor=executor,
            )
        scheduler.start()
        print(
            f"newsmon daemon: {len(self._sources)} source(s), database {self.config.database_label}; "
            "Ctrl-C or SIGTERM to stop",
            file=sys.stderr,
            flush=True,
        )
        while not self._stop.wait(0.5):
            pass
        stopping = time.monotonic()
        scheduler.pause()
        self.engine.stop(STOP_GRACE_S)  # open polls end as "shutdown"; waiting crawl jobs return
        self._crawls.shutdown(wait=True)
        scheduler.shutdown(wait=True)
        # the flush fits in what is left of the 30 s a stop may take (a send may take 15 s)
        flush = min(FLUSH_S, STOP_BUDGET_S - (time.monotonic() - stopping))
        if self._dispatcher is not None and flush > 0:
            try:
                self._dispatcher.drain(flush)
            except Exception as exc:
                self.database.failed(exc, "final alert flush", "alerts stay queued")
        if self._dispatch_store is not None:
            self._dispatch_store.close()
        self.app.close_stores()
        print("newsmon daemon: stopped", file=sys.stderr, flush=True)
