"""The daemon's hold on its crawl engine: one child process (:mod:`newsmon.engine_process`)
polling every due source, started on demand, restarted when it dies and recycled past a memory
ceiling or an age (a fresh process also re-reads every robots.txt).

``poll(source, timeout)`` returns a future of the poll's outcome. A poll is cut off by the
engine itself at its deadline; if the engine dies or stops answering, the polls it held end as
``crash`` and the next poll starts a new engine.

The engine ends with the daemon: a daemon that stops ends it first (its open polls recorded as
``shutdown``); one that is killed takes it along at once, as the kernel kills the engine when
the daemon ends (``crawler.lifeline``), and the engine's extraction workers go with the engine.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import json
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("newsmon.daemon")

READY_TIMEOUT_S = 60.0
STOP_GRACE_S = 20.0


@dataclass(frozen=True)
class PollDone:
    source: str
    run_id: int | None
    reason: str  # finished | timeout | shutdown | crash | error
    error: str | None = None


class EngineDied(Exception):
    pass


# The kernel kills an engine when the thread that started it ends, so engines are started from
# this one thread, which lasts as long as the daemon, not from the crawl that asked for one.
_starter = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="newsmon-engine-start")


def _start(cmd: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=None,  # the engine's log lines go where the daemon's go
        text=True,
        bufsize=1,
        env=os.environ.copy(),
    )


class Engine:
    """One engine child process and the polls it holds."""

    def __init__(self, config_path: Path, verbose: int) -> None:
        cmd = [sys.executable, "-m", "newsmon.engine_process", "--config", str(config_path)]
        cmd += ["--parent", str(os.getpid())]  # the engine asks to be killed when we end
        if verbose:
            cmd.append("-" + "v" * verbose)
        self.proc = _starter.submit(_start, cmd).result()
        self.started = time.monotonic()
        self.pending: dict[int, tuple[str, concurrent.futures.Future[PollDone]]] = {}
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.dead = threading.Event()
        self.reader = threading.Thread(target=self._read, name="newsmon-engine-reader", daemon=True)
        self.reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, **command: Any) -> None:
        stdin: IO[str] | None = self.proc.stdin
        if stdin is None or self.dead.is_set():
            raise EngineDied("the crawl engine is not running")
        try:
            stdin.write(json.dumps(command) + "\n")
            stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise EngineDied("the crawl engine is not running") from None

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            if message.get("ready"):
                self.ready.set()
                continue
            with self.lock:
                entry = self.pending.pop(int(message.get("ticket", -1)), None)
            if entry is not None:
                source, future = entry
                future.set_result(
                    PollDone(
                        source,
                        message.get("run_id"),
                        str(message.get("reason")),
                        message.get("error"),
                    )
                )
        # EOF: the engine exited (or was killed); its polls end as crashes
        self.proc.wait()
        self.dead.set()
        self.ready.set()
        with self.lock:
            pending, self.pending = self.pending, {}
        why = f"the crawl engine exited with {self.proc.returncode}"
        for source, future in pending.values():
            if not future.done():
                future.set_result(PollDone(source, None, "crash", why))

    def rss(self) -> int:
        """The engine's resident memory in bytes, its extraction workers included."""
        return _tree_rss(self.pid)

    def stop(self, grace: float = STOP_GRACE_S) -> None:
        """Ask the engine to stop (its open polls are recorded as ``shutdown``); kill it after
        ``grace`` seconds."""
        if self.proc.poll() is None:
            with contextlib.suppress(EngineDied):
                self.send(stop=True)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                log.error("the crawl engine did not stop within %.0fs: killing it", grace)
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=5)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)


class EngineSupervisor:
    def __init__(
        self,
        config_path: Path,
        *,
        verbose: int = 0,
        memory_limit: int = 1024 * 2**20,
        max_age: float = 6 * 3600,
    ) -> None:
        self.config_path = config_path
        self.verbose = verbose
        self.memory_limit = memory_limit
        self.max_age = max_age
        self._engine: Engine | None = None
        self._tickets = itertools.count(1)
        self._lock = threading.Lock()
        self._stopping = False

    def _running(self) -> Engine:
        """The engine, started (or restarted) when there is none alive."""
        engine = self._engine
        if engine is None or engine.dead.is_set():
            if engine is not None:
                log.error(
                    "the crawl engine died (exit %s): starting a new one", engine.proc.returncode
                )
            engine = self._engine = Engine(self.config_path, self.verbose)
            log.info("crawl engine started (pid %d)", engine.pid)
        return engine

    def poll(self, source: str, timeout: float | None) -> concurrent.futures.Future[PollDone]:
        future: concurrent.futures.Future[PollDone] = concurrent.futures.Future()
        with self._lock:
            if self._stopping:
                future.set_result(PollDone(source, None, "shutdown"))
                return future
            engine = self._running()
            ticket = next(self._tickets)
            with engine.lock:
                engine.pending[ticket] = (source, future)
        if not engine.ready.wait(READY_TIMEOUT_S) or engine.dead.is_set():
            self._fail(engine, ticket, "the crawl engine did not start")
            return future
        try:
            engine.send(poll=source, ticket=ticket, timeout=timeout)
        except EngineDied as exc:
            self._fail(engine, ticket, str(exc))
        return future

    @staticmethod
    def _fail(engine: Engine, ticket: int, why: str) -> None:
        with engine.lock:
            entry = engine.pending.pop(ticket, None)
        if entry is not None and not entry[1].done():
            entry[1].set_result(PollDone(entry[0], None, "crash", why))

    def check(self) -> None:
        """Recycle the engine past its memory ceiling or its age, between polls (a poll it
        holds then ends as ``shutdown`` and the source is crawled again on schedule)."""
        with self._lock:
            engine = self._engine
            if engine is None or engine.dead.is_set():
                return
            rss = engine.rss()
            old = time.monotonic() - engine.started > self.max_age
            if rss <= self.memory_limit and not old:
                return
            why = f"{rss / 2**20:.0f} MiB" if rss > self.memory_limit else "its age"
            log.warning("recycling the crawl engine (pid %d, %s)", engine.pid, why)
            self._engine = None
        engine.stop()

    def kill_engine(self) -> None:
        """Kill a wedged engine (its polls end as crashes)."""
        with self._lock:
            engine = self._engine
        if engine is not None:
            engine.kill()

    def stop(self, grace: float = STOP_GRACE_S) -> None:
        with self._lock:
            self._stopping = True
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.stop(grace)


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and its children, in bytes (Linux /proc; 0 elsewhere)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        return 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total
