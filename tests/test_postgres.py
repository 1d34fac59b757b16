"""Every command against a real PostgreSQL server, as with SQLite: crawl, export, status,
search, rules backtest, migrate — and daemons of a fleet sharing the database."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psycopg
import yaml

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import Fault, SlackStandIn
from tests.conftest import cli_env, newsmon, source, spawn, write_config


def test_commands_on_postgresql(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn, pg_url: str
) -> None:
    # the URL comes from the environment (where a password would be), named by database_env
    config = write_config(
        tmp_path, outlet, slack, database="newsmon.db", database_env="NEWSMON_TEST_DB_URL"
    )
    env = cli_env(NEWSMON_TEST_DB_URL=pg_url)
    result = newsmon("--config", str(config), "crawl", env=env)
    assert result.returncode == 0, result.stderr
    assert "steppe-herald: 5 new article(s)" in result.stdout
    assert "alerts: 6 sent" in result.stdout
    assert not (tmp_path / "newsmon.db").exists()  # nothing went to a SQLite file
    assert len(slack.top_level("#caucasus")) == 3  # the syndicated copy went into a thread
    again = newsmon("--config", str(config), "crawl", env=env)
    assert "0 new article(s)" in again.stdout and "1 unchanged" in again.stdout
    exported = newsmon("--config", str(config), "export", "--format", "jsonl", env=env)
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(lines) == 7 and {"url", "source", "story_id", "language"} <= set(lines[0])
    status = newsmon("--config", str(config), "status", env=env)
    assert status.returncode == 0 and "steppe-herald" in status.stdout
    assert "6 sent" in status.stdout
    found = newsmon("--config", str(config), "search", "Tokayev", env=env)
    assert "Tokayev" in found.stdout and "[Tokayev]" in found.stdout
    prefix = newsmon("--config", str(config), "search", "Azerbaij*", "--lang", "en", env=env)
    assert prefix.returncode == 0 and "No matching" not in prefix.stdout
    bad = newsmon("--config", str(config), "search", '"unclosed', env=env)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    backtest = newsmon(
        "--config", str(config), "rules", "test", "--backtest", "azerbaijan", env=env
    )
    assert "of 7 stored article(s) would have matched" in backtest.stdout
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (7,)
        assert conn.execute("SELECT count(DISTINCT story_id) FROM articles").fetchone() == (6,)


def test_a_password_in_the_config_file_is_refused(tmp_path: Path, outlet: OutletServer) -> None:
    config = write_config(tmp_path, outlet, None, database="postgresql://u:secret@127.0.0.1/x")
    result = newsmon("--config", str(config), "status")
    assert result.returncode == 2
    assert "database: a password does not belong in the config file" in result.stderr
    assert "secret" not in result.stderr


def test_migrate_sqlite_to_postgresql_is_idempotent(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn, pg_url: str
) -> None:
    config = write_config(tmp_path, outlet, slack)
    assert newsmon("--config", str(config), "crawl", "--no-deliver").returncode == 0
    before = newsmon("--config", str(config), "export").stdout
    first = newsmon("--config", str(config), "migrate", "--to", pg_url)
    assert first.returncode == 0, first.stderr
    assert "articles: 7 row(s) copied" in first.stdout and "alerts: 6 row(s)" in first.stdout
    again = newsmon("--config", str(config), "migrate", "--to", pg_url)  # resumable: no doubles
    assert "articles: 0 row(s) copied" in again.stdout and "alerts: 0 row(s)" in again.stdout
    assert "mention_counts: 0 row(s)" in again.stdout
    counts = (
        "SELECT subject, day, source, language, articles FROM mention_counts ORDER BY 1, 2, 3, 4"
    )
    with sqlite3.connect(tmp_path / "newsmon.db") as lite, psycopg.connect(pg_url) as pg:
        kept = lite.execute(counts).fetchall()
        assert kept and pg.execute(counts).fetchall() == kept  # the trends go along
    (tmp_path / "pg").mkdir()
    moved = write_config(tmp_path / "pg", outlet, slack, database=pg_url)
    assert newsmon("--config", str(moved), "export").stdout == before
    # the pending alerts go out from PostgreSQL, and a new crawl stores nothing twice
    result = newsmon("--config", str(moved), "crawl")
    assert "0 new article(s)" in result.stdout and "alerts: 6 sent" in result.stdout
    found = newsmon("--config", str(moved), "search", "Tokayev")
    assert "[Tokayev]" in found.stdout


def test_three_nodes_share_one_database_and_one_dies_mid_send(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn, pg_url: str
) -> None:
    """Three daemons on one PostgreSQL, each calling Slack under a path of its own. The first
    message lands in Slack but its answer never comes: the node that sent it is killed (-9)
    mid-send. Every article stored once, every alert sent exactly once (the one that landed is
    found, not resent), one message a second per channel across the fleet, never two polls of
    one source at once, and `newsmon status` shows the nodes."""
    sources = [
        source(outlet, "steppe-herald", interval="1s"),
        source(outlet, "caspian-wire", "/wire", interval="1s"),
    ]
    slack.fail(Fault(stall=60, record=True))  # lands, then no answer

    def node(n: int) -> subprocess.Popen[str]:
        home = tmp_path / f"node-{n}"
        home.mkdir()
        config = write_config(home, outlet, slack, sources=sources, database=pg_url)
        data = yaml.safe_load(config.read_text())
        data["slack"]["base_url"] = slack.origin + f"/node-{n}/api/"
        data["delivery"] = {"lease": "2s"}
        config.write_text(yaml.safe_dump(data, allow_unicode=True))
        args = ("--config", str(config), "run", "--lease-ttl", "3")
        return spawn(*args, env=cli_env(NEWSMON_NODE=f"node-{n}"))

    nodes = {f"/node-{n}/api/": node(n) for n in (1, 2, 3)}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not slack.messages:
            time.sleep(0.1)
        assert slack.messages, "no message was sent"
        victim = nodes.pop(slack.messages[0].via)
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=30)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with psycopg.connect(pg_url) as conn:
                sent = conn.execute("SELECT count(*) FROM alerts WHERE status = 'sent'").fetchone()
                runs = conn.execute(
                    "SELECT count(*) FROM crawl_runs WHERE status = 'finished'"
                ).fetchone()
            if sent == (6,) and runs is not None and runs[0] >= 8:
                break
            time.sleep(0.3)
    finally:
        for proc in nodes.values():
            proc.send_signal(signal.SIGTERM)
        errs = [proc.communicate(timeout=40)[1] for proc in nodes.values()]
    assert all(proc.returncode == 0 for proc in nodes.values()), errs
    ids = [(m.metadata or {}).get("event_payload", {}).get("alert_id") for m in slack.messages]
    assert len(ids) == len(set(ids)) == 6, ids  # each alert exactly once
    assert any(method == "conversations.history" for method, _ in slack.calls)  # looked first
    assert len({m.via for m in slack.messages}) >= 2  # the survivors sent the rest
    for channel in ("#caucasus", "#central-asia"):
        times = [m.at for m in slack.messages if m.channel == channel]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert all(g >= 0.9 for g in gaps), (channel, gaps)  # the pace held fleet-wide
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (7,)
        assert conn.execute("SELECT count(*) FROM alerts WHERE status = 'sent'").fetchone() == (6,)
        runs = conn.execute(
            # in the order they began (timestamps are whole seconds: two short polls can share one)
            "SELECT source, started_at, finished_at FROM crawl_runs ORDER BY source, id"
        ).fetchall()
        heartbeats = {r[0] for r in conn.execute("SELECT node FROM nodes").fetchall()}
    assert heartbeats == {"node-1", "node-2", "node-3"}
    for (src_a, _, end_a), (src_b, start_b, _) in zip(runs, runs[1:], strict=False):
        if src_a == src_b and end_a is not None:  # (the killed node's poll never finished)
            assert start_b >= end_a  # never two polls of one source at once
    status = newsmon("--config", str(tmp_path / "node-2" / "newsmon.yaml"), "status")
    assert "Nodes (daemons sharing this database):" in status.stdout
    assert all(f"node-{n}" in status.stdout for n in (1, 2, 3))


def test_a_node_killed_mid_crawl_is_taken_over(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn, pg_url: str
) -> None:
    """kill -9 of one of two nodes while it polls (its lease held, its alerts maybe being sent):
    the other takes its sources over once the lease runs out; nothing lost, nothing doubled."""
    for path in ("/feed.xml", "/wire/feed.xml"):
        feed = (outlet.root / path.strip("/")).read_bytes()  # type: ignore[operator]
        outlet.set(path, feed, "application/rss+xml", delay=1.5)  # polls take a while
    sources = [
        source(outlet, "steppe-herald", interval="1s"),
        source(outlet, "caspian-wire", "/wire", interval="1s"),
    ]
    config = write_config(
        tmp_path, outlet, slack, sources=sources, database=pg_url, delivery={"lease": "2s"}
    )

    def node(n: int) -> subprocess.Popen[str]:
        args = ("--config", str(config), "run", "--lease-ttl", "3")
        return spawn(*args, env=cli_env(NEWSMON_NODE=f"node-{n}"))

    nodes = {f"node-{n}": node(n) for n in (1, 2)}
    deadline = time.monotonic() + 90
    holder = None  # kill whichever node polls first (either may win every claim for a while)
    while time.monotonic() < deadline and holder is None:
        time.sleep(0.2)
        for name, proc in nodes.items():
            assert proc.poll() is None, f"{name} exited: {proc.communicate()[1]}"
        try:
            with psycopg.connect(pg_url) as conn:
                row = conn.execute("SELECT node FROM leases LIMIT 1").fetchone()
                holder = row[0] if row else None
        except psycopg.Error:  # the tables are not there yet
            holder = None
    assert holder in nodes, "no node ever polled"
    first = nodes.pop(holder)
    (second,) = nodes.values()
    first.send_signal(signal.SIGKILL)  # mid-poll: its lease held, its engine orphaned
    first.communicate(timeout=30)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with psycopg.connect(pg_url) as conn:
                sent = conn.execute("SELECT count(*) FROM alerts WHERE status = 'sent'").fetchone()
            if sent == (6,):
                break
            time.sleep(0.3)
    finally:
        second.send_signal(signal.SIGTERM)
        _out, err = second.communicate(timeout=40)
    assert second.returncode == 0, err
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (7,)
        assert conn.execute("SELECT count(*) FROM alerts WHERE status = 'sent'").fetchone() == (6,)
    ids = [(m.metadata or {}).get("event_payload", {}).get("alert_id") for m in slack.messages]
    assert len(ids) == len(set(ids)) == 6, ids  # each alert exactly once
