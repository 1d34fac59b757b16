"""``newsmon run``: the daemon.

APScheduler 3 runs one interval job per source and a dispatcher job. Each crawl runs in a child
process (``newsmon crawl --no-deliver SOURCE``): Scrapy's reactor cannot restart inside one
process, and a child that crashes, leaks or hangs cannot take the daemon down — it is cut off
after ``crawl_timeout`` and recorded. The dispatcher runs in the daemon's own worker thread with
the blocking slack-sdk client, so a Slack wait never stalls the scheduler.

On SIGTERM/SIGINT: no new crawls start, running crawls get SIGTERM (Scrapy closes them cleanly),
stragglers are killed after a grace period, the outbox is flushed briefly, then the process exits.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from alerts.dispatcher import Dispatcher
from crawler.config import Config, SourceConfig
from storage import Store

log = logging.getLogger("newsmon.daemon")

STOP_GRACE_S = 20.0
FLUSH_S = 5.0


class Daemon:
    def __init__(
        self,
        config: Config,
        *,
        verbose: int = 0,
        max_parallel_crawls: int = 2,
        dispatch_every: float = 2.0,
        crawl_timeout: float | None = None,
    ) -> None:
        self.config = config
        self.verbose = verbose
        self.max_parallel = max_parallel_crawls
        self.dispatch_every = dispatch_every
        self.crawl_timeout = crawl_timeout
        self._stop = threading.Event()
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()
        self._dispatcher: Dispatcher | None = None
        self._dispatch_store: Store | None = None

    # --- jobs --------------------------------------------------------------------------------

    def _timeout_for(self, source: SourceConfig) -> float:
        if self.crawl_timeout is not None:
            return self.crawl_timeout
        return max(600.0, 2 * source.interval)

    def crawl_source(self, source: SourceConfig) -> None:
        if self._stop.is_set():
            return
        cmd = [sys.executable, "-m", "crawler", "--config", str(self.config.path)]
        if self.verbose:
            cmd.append("-" + "v" * self.verbose)
        cmd += ["crawl", "--no-deliver", source.name]
        started = time.monotonic()
        log.info("crawl %s: starting", source.name)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=None, env=os.environ.copy())
        with self._lock:
            self._children[source.name] = proc
        try:
            out, _ = proc.communicate(timeout=self._timeout_for(source))
        except subprocess.TimeoutExpired:
            log.error(
                "crawl %s: no end after %.0fs, stopping it", source.name, self._timeout_for(source)
            )
            self._terminate(proc)
            out = b""
            self._record(
                source.name, "timeout", f"crawl cut off after {self._timeout_for(source):.0f}s"
            )
        finally:
            with self._lock:
                self._children.pop(source.name, None)
        summary = out.decode("utf-8", "replace").strip().replace("\n", " | ")
        if proc.returncode == 0:
            log.info(
                "crawl %s: done in %.1fs: %s", source.name, time.monotonic() - started, summary
            )
        elif not self._stop.is_set() and proc.returncode is not None and proc.returncode > 0:
            log.error("crawl %s: failed (exit %s)", source.name, proc.returncode)
            self._record(source.name, "crash", f"crawl process exited with {proc.returncode}")

    def _record(self, source: str, kind: str, message: str) -> None:
        store = Store.open(self.config.database)
        try:
            store.record_error(None, source, "", kind, message)
        finally:
            store.close()

    def dispatch(self) -> None:
        from crawler.cli import make_dispatcher, make_notifier

        if self._dispatcher is None:
            notifier = make_notifier(self.config)
            if notifier is None:
                return
            self._dispatch_store = Store.open(self.config.database)
            self._dispatcher = make_dispatcher(self.config, self._dispatch_store, notifier)
        try:
            report = self._dispatcher.run_once(should_stop=self._stop.is_set)
            if report.sent or report.dead:
                log.info("alerts: %s", report)
        except Exception:
            log.exception("alert dispatch failed; will try again")

    # --- lifecycle ---------------------------------------------------------------------------

    def _first_run(self, store: Store, source: SourceConfig) -> datetime:
        """Resume the schedule: a source crawled recently waits out the rest of its interval."""
        now = datetime.now(UTC)
        row = store.db.execute(
            "SELECT max(started_at) FROM crawl_runs WHERE source = ?", [source.name]
        ).fetchone()
        if row and row[0]:
            last = datetime.fromisoformat(row[0])
            due = last + timedelta(seconds=source.interval)
            if due > now:
                return due
        return now + timedelta(seconds=random.uniform(0, min(5.0, source.interval / 10)))

    def _terminate(self, proc: subprocess.Popen[bytes], grace: float = STOP_GRACE_S) -> None:
        if proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        if not self._stop.is_set():
            log.warning("stopping: finishing running crawls, then exiting")
        self._stop.set()

    def run(self) -> None:
        sources = [s for s in self.config.sources if s.enabled]
        store = Store.open(self.config.database)  # creates/migrates the database up front
        first = {s.name: self._first_run(store, s) for s in sources}
        store.close()
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        scheduler = BackgroundScheduler(
            executors={
                "crawls": ThreadPoolExecutor(self.max_parallel),
                "dispatch": ThreadPoolExecutor(1),
            },
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        for src in sources:
            scheduler.add_job(
                self.crawl_source,
                "interval",
                seconds=src.interval,
                jitter=min(30.0, src.interval * 0.1),
                next_run_time=first[src.name],
                args=[src],
                id=f"crawl:{src.name}",
                executor="crawls",
            )
        scheduler.add_job(
            self.dispatch,
            "interval",
            seconds=self.dispatch_every,
            next_run_time=datetime.now(UTC),
            id="dispatch",
            executor="dispatch",
        )
        scheduler.start()
        print(
            f"newsmon daemon: {len(sources)} source(s), database {self.config.database}; "
            "Ctrl-C or SIGTERM to stop",
            file=sys.stderr,
            flush=True,
        )
        while not self._stop.wait(0.5):
            pass
        scheduler.pause()
        with self._lock:
            children = list(self._children.values())
        for proc in children:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for proc in children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        scheduler.shutdown(wait=True)
        if self._dispatcher is not None:
            try:
                self._dispatcher.drain(FLUSH_S)
            except Exception:
                log.exception("final alert flush failed; alerts stay queued")
        if self._dispatch_store is not None:
            self._dispatch_store.close()
        print("newsmon daemon: stopped", file=sys.stderr, flush=True)
