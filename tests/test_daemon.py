"""The real daemon in a child process against local fixture outlets and the Slack stand-in."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from tests.conftest import TOKEN, source, spawn, write_config


def wait_for(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def engine_processes(config: Path) -> list[int]:
    """PIDs of the crawl engine processes started for this config (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(config).encode() in args and b"newsmon.engine_process" in args:
            pids.append(int(entry.name))
    return pids


def start(config: Path) -> subprocess.Popen[str]:
    return spawn("--config", str(config), "-v", "run")


def test_daemon_crawls_alerts_picks_up_new_articles_and_stops_cleanly(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    config = write_config(
        tmp_path, outlet, slack, sources=[source(outlet, "steppe-herald", interval="3s")]
    )
    db = tmp_path / "newsmon.db"
    proc = start(config)
    try:
        assert wait_for(lambda: count(db, "SELECT count(*) FROM articles") == 5, 60)
        assert wait_for(lambda: len(slack.messages) == 3, 30)
        body = (
            "<p>"
            + "Azerbaijan and Kazakhstan agreed on new ferry routes, officials said. " * 6
            + "</p>"
        )
        outlet.set(
            "/2025/10/30/ferries/",
            f"<html lang='en'><head><title>Ferries</title></head><body><article><h1>Ferries</h1>{body}</article></body></html>",
        )
        feed = (outlet.root / "feed.xml").read_text()  # type: ignore[operator]
        item = "<item><title>Ferries</title><link>{{BASE}}/2025/10/30/ferries/</link></item>"
        outlet.set("/feed.xml", feed.replace("<item>", item + "<item>", 1), "application/rss+xml")
        assert wait_for(lambda: count(db, "SELECT count(*) FROM articles") == 6, 60)
        assert wait_for(lambda: len(slack.messages) == 4, 30)
        assert "ferries" in slack.messages[-1].text
        runs = count(db, "SELECT count(*) FROM crawl_runs")
        assert runs >= 2
    finally:
        proc.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        out, err = proc.communicate(timeout=40)
    assert proc.returncode == 0, err
    assert time.monotonic() - stopped < 30
    assert "newsmon daemon: stopped" in err
    assert TOKEN not in out + err
    assert count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running'") == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restart_resumes_schedule_without_a_burst(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    config = write_config(
        tmp_path, outlet, slack, sources=[source(outlet, "steppe-herald", interval="1h")]
    )
    db = tmp_path / "newsmon.db"
    proc = start(config)
    try:
        assert wait_for(
            lambda: count(db, "SELECT count(*) FROM crawl_runs WHERE status != 'running'") == 1, 60
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=40)
    feed_hits = len(outlet.hits("/feed.xml"))
    proc = start(config)
    # once the restarted daemon has planned its sources, a few seconds pass without a crawl
    assert proc.stderr is not None
    while "newsmon daemon:" not in (line := proc.stderr.readline()):
        assert line, "the daemon exited before it started"
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=40)
    assert proc.returncode == 0
    assert len(outlet.hits("/feed.xml")) == feed_hits  # crawled 1h ago at most: not again yet
    assert count(db, "SELECT count(*) FROM crawl_runs") == 1


def test_hung_crawl_is_cut_off_health_alert_then_recovery(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    # the caspian-wire feed hangs; steppe-herald keeps being crawled meanwhile
    feed = (outlet.root / "wire" / "feed.xml").read_bytes()  # type: ignore[operator]
    outlet.set("/wire/feed.xml", feed, "application/atom+xml", delay=30)
    config = write_config(
        tmp_path,
        outlet,
        slack,
        sources=[
            source(outlet, "steppe-herald", interval="2s"),
            source(outlet, "caspian-wire", "/wire", interval="1s", max_interval="3s"),
        ],
        health={"channel": "#newsmon-ops", "failed_runs": 2},
    )
    db = tmp_path / "newsmon.db"
    proc = spawn("--config", str(config), "run", "--crawl-timeout", "4")
    try:
        ops = lambda: [m.text for m in slack.messages if m.channel == "#newsmon-ops"]  # noqa: E731
        assert wait_for(
            lambda: any("caspian-wire: 2 crawls in a row failed" in t for t in ops()), 90
        )
        assert any("crawl cut off after 4s" in t for t in ops())
        assert count(db, "SELECT count(*) FROM crawl_errors WHERE kind = 'timeout'") >= 2
        # the other source went on being crawled
        assert wait_for(
            lambda: (
                count(db, "SELECT count(*) FROM crawl_runs WHERE source = 'steppe-herald'") >= 2
            ),
            30,
        )
        outlet.set("/wire/feed.xml", feed, "application/atom+xml")  # the outlet is back
        assert wait_for(lambda: any("caspian-wire recovered" in t for t in ops()), 60)
        assert wait_for(
            lambda: count(db, "SELECT count(*) FROM articles WHERE source = 'caspian-wire'") == 2,
            30,
        )
        with sqlite3.connect(db) as conn:
            (interval,) = conn.execute(
                "SELECT interval FROM schedule WHERE source = 'steppe-herald'"
            ).fetchone()
        assert 1 <= interval <= 8  # adapted within min/max (defaults: interval/2 .. 4× interval)
    finally:
        proc.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        _out, err = proc.communicate(timeout=40)
    assert proc.returncode == 0, err
    assert time.monotonic() - stopped < 30
    assert "health caspian-wire: 2 crawls in a row failed" in err


def test_engine_killed_mid_crawl_is_restarted_and_the_crawl_recorded(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    feed = (outlet.root / "feed.xml").read_bytes()  # type: ignore[operator]
    outlet.set("/feed.xml", feed, "application/rss+xml", delay=8, times=1)  # first crawl: slow
    config = write_config(
        tmp_path, outlet, slack, sources=[source(outlet, "steppe-herald", interval="1s")]
    )
    db = tmp_path / "newsmon.db"
    proc = start(config)
    try:
        assert wait_for(lambda: outlet.in_flight > 0, 30)  # the crawl is waiting on the feed
        engine = engine_processes(config)
        assert len(engine) == 1, "no crawl engine process found"
        os.kill(engine[0], signal.SIGKILL)
        assert wait_for(
            lambda: count(db, "SELECT count(*) FROM crawl_errors WHERE kind = 'crash'") == 1, 30
        )
        # the next crawl runs and stores the outlet's articles
        assert wait_for(lambda: count(db, "SELECT count(*) FROM articles") == 5, 60)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=40)
    assert proc.returncode == 0, err
    assert "crawl steppe-herald: crawl failed: the crawl engine exited with -9" in err
    assert "the crawl engine died (exit -9): starting a new one" in err


def test_engine_recycled_past_its_memory_ceiling_loses_and_doubles_nothing(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    # a ceiling below what any engine holds: it is recycled after every poll
    config = write_config(
        tmp_path, outlet, slack, sources=[source(outlet, "steppe-herald", interval="1s")]
    )
    db = tmp_path / "newsmon.db"
    proc = spawn("--config", str(config), "-v", "run", "--engine-memory", "64")
    try:
        assert wait_for(lambda: count(db, "SELECT count(*) FROM crawl_runs") >= 3, 90)
        assert wait_for(lambda: len(slack.messages) == 3, 30)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=40)
    assert proc.returncode == 0, err
    assert err.count("recycling the crawl engine") >= 2
    assert count(db, "SELECT count(*) FROM articles") == 5  # each once
    assert count(db, "SELECT count(*) FROM alerts") == 3
    ids = [(m.metadata or {}).get("event_payload", {}).get("alert_id") for m in slack.messages]
    assert len(ids) == len(set(ids)) == 3
    assert count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running'") == 0
