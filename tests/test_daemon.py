"""The real daemon in a child process against local fixture outlets and the Slack stand-in."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from alerts.standin import SlackStandIn
from crawler.demo.server import OutletServer
from tests.conftest import ROOT, TOKEN, cli_env, source, write_config


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


def start(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "--config", str(config), "-v", "run"],
        cwd=ROOT,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


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
    time.sleep(6)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=40)
    assert proc.returncode == 0
    assert len(outlet.hits("/feed.xml")) == feed_hits  # crawled 1h ago at most: not again yet
    assert count(db, "SELECT count(*) FROM crawl_runs") == 1
