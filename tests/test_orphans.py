"""No orphans: a crawl, the daemon or its crawl engine killed outright (SIGKILL) takes its
extraction workers, their fork server and every other process it started along with it.

Each test starts the real CLI with a marker in its environment (which every process it starts
inherits), reads its process tree from /proc before the kill, and after the kill waits until no
process of that tree, nor any other carrying the marker, is left."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from newsmon.demo.outlets import OutletServer
from tests.conftest import cli_env, spawn, write_config
from tests.test_daemon import count, wait_for
from tests.test_engine import BODY, outlet_source

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

MARK = "NEWSMON_TEST_PROCESS_TREE"
SOURCES = 12  # outlets with one article each: enough pages at once for both workers to start
RULES = [{"name": "azerbaijan", "query": "Azerbaijan", "channel": "#caucasus"}]
GONE_WITHIN_S = 10.0


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    started: int  # clock ticks after boot: tells the process from a later one with its pid
    cmdline: bytes

    def alive(self) -> bool:
        now = _read(self.pid)
        return now is not None and now.started == self.started


def _read(pid: int) -> Proc | None:
    """The process, or None when it is gone or a zombie (ended, holding no memory)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    if fields[0] in ("Z", "X"):
        return None
    return Proc(pid, int(fields[1]), int(fields[19]), cmdline.replace(b"\0", b" "))


def processes() -> list[Proc]:
    found = (_read(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit())
    return [p for p in found if p is not None]


def tree(root: int) -> list[Proc]:
    """The process and all its descendants, by their parent links."""
    everyone = processes()
    found = [p for p in everyone if p.pid == root]
    for parent in found:  # grows as it goes: breadth first
        found += [p for p in everyone if p.ppid == parent.pid]
    return found


def workers(procs: list[Proc]) -> list[Proc]:
    """The extraction workers: the processes multiprocessing's fork server forked."""
    servers = {p.pid for p in procs if b"multiprocessing.forkserver" in p.cmdline}
    return [p for p in procs if p.ppid in servers]


def marked(token: str) -> list[int]:
    """Live processes started with this test's marker in their environment."""
    needle = f"{MARK}={token}".encode()
    pids = []
    for p in processes():
        with contextlib.suppress(OSError):
            if needle in Path(f"/proc/{p.pid}/environ").read_bytes().split(b"\0"):
                pids.append(p.pid)
    return pids


def left(procs: list[Proc], token: str) -> list[str]:
    """What is still running of these processes and of the test's marked ones."""
    alive = [p for p in procs if p.alive()]
    stray = [pid for pid in marked(token) if pid not in {p.pid for p in alive}]
    return [f"{p.pid}: {p.cmdline[:120]!r}" for p in alive] + [f"{pid}: marked" for pid in stray]


@pytest.fixture
def token() -> Iterator[str]:
    """The marker for this test's processes; whatever is left of them is killed afterwards."""
    value = uuid.uuid4().hex
    yield value
    for pid in marked(value):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def start(tmp_path: Path, token: str, *args: str) -> tuple[subprocess.Popen[str], IO[str]]:
    """The CLI with two extraction worker processes; its output goes to a log file."""
    log = (tmp_path / "newsmon.log").open("w+")
    env = cli_env(NEWSMON_EXTRACT_WORKERS="2", **{MARK: token})
    proc = spawn(*args, env=env, stdout=log.fileno(), stderr=log.fileno())
    return proc, log


def tail(log: IO[str]) -> str:
    log.seek(0)
    return log.read()[-3000:]


def one_article_sources(server: OutletServer, prefix: str, **extra: str) -> list[dict[str, object]]:
    return [{**outlet_source(server, f"{prefix}{n:02d}"), **extra} for n in range(SOURCES)]


def hung(server: OutletServer) -> dict[str, object]:
    """An outlet whose feed does not answer for a minute: a poll of it stays open."""
    source = {**outlet_source(server, "hung"), "timeout": "60s"}
    server.set("/hung/feed.xml", "<rss/>", "application/rss+xml", delay=60)
    return source


def test_a_killed_crawl_leaves_no_process_behind(tmp_path: Path, token: str) -> None:
    with OutletServer(None) as server:
        sources = one_article_sources(server, "o")
        # a feed that does not answer keeps the crawl running once the articles are in
        config = write_config(tmp_path, server, sources=[*sources, hung(server)], rules=RULES)
        crawl, log = start(tmp_path, token, "--config", str(config), "crawl", "--no-deliver")
        try:
            db = tmp_path / "newsmon.db"
            stored = wait_for(lambda: count(db, "SELECT count(*) FROM articles") == SOURCES, 30)
            assert stored, tail(log)
            # every article has been handed to the worker pool: its workers have all started
            before = tree(crawl.pid)
            assert workers(before), f"no extraction workers: {before}"
            assert crawl.poll() is None, tail(log)
            crawl.kill()
            crawl.wait()
            assert wait_for(lambda: not left(before, token), GONE_WITHIN_S), left(before, token)
        finally:
            crawl.kill()
            crawl.wait()
            log.close()


def engines(daemon: int) -> list[Proc]:
    return [p for p in tree(daemon) if b"newsmon.engine_process" in p.cmdline]


def add_articles(server: OutletServer, sources: list[dict[str, object]]) -> None:
    """A second article in every outlet's feed."""
    for src in sources:
        name = src["name"]
        first = f"/{name}/2026/11/30/ferry-routes-{name}/"
        second = f"/{name}/2026/12/01/more-ferry-routes-{name}/"
        server.set(
            second,
            f"<html lang='en'><head><title>More ferry routes ({name})</title></head>"
            f"<body><article><h1>More ferry routes ({name})</h1>{BODY}</article></body></html>",
        )
        items = "".join(
            f"<item><title>t</title><link>{{{{BASE}}}}{path}</link></item>"
            for path in (second, first)
        )
        server.set(
            f"/{name}/feed.xml", f"<rss><channel>{items}</channel></rss>", "application/rss+xml"
        )


def test_a_killed_engine_and_a_killed_daemon_leave_no_process_behind(
    tmp_path: Path, token: str
) -> None:
    with OutletServer(None) as server:
        sources = one_article_sources(server, "d", interval="2s", max_interval="2s")
        config = write_config(tmp_path, server, sources=sources, rules=RULES)
        daemon, log = start(tmp_path, token, "--config", str(config), "run")
        try:
            db = tmp_path / "newsmon.db"

            def articles(n: int) -> bool:
                return count(db, "SELECT count(*) FROM articles") == n

            assert wait_for(lambda: articles(SOURCES), 30), tail(log)
            (engine,) = engines(daemon.pid)
            before = tree(engine.pid)
            assert workers(before), f"no extraction workers in the engine: {before}"

            # the engine dies: its workers go with it, and the daemon starts a new one
            os.kill(engine.pid, signal.SIGKILL)
            assert wait_for(lambda: not any(p.alive() for p in before), GONE_WITHIN_S), [
                p for p in before if p.alive()
            ]
            restarted = wait_for(lambda: any(e.pid != engine.pid for e in engines(daemon.pid)), 30)
            assert restarted, tail(log)
            add_articles(server, sources)  # pages for the new engine's workers
            assert wait_for(lambda: articles(2 * SOURCES), 30), tail(log)
            assert workers(tree(daemon.pid)), tree(daemon.pid)

            # the daemon dies while its engine is stuck (stopped here: like a wedged engine, it
            # does not read its input, so it cannot tell that the daemon is gone): nothing the
            # daemon started is left
            everything = tree(daemon.pid)
            assert daemon.poll() is None, tail(log)
            for new in engines(daemon.pid):
                os.kill(new.pid, signal.SIGSTOP)
            daemon.kill()
            daemon.wait()
            assert wait_for(lambda: not left(everything, token), GONE_WITHIN_S), left(
                everything, token
            )
        finally:
            daemon.kill()
            daemon.wait()
            log.close()
