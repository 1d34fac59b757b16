"""The crawl engine with many outlets at once, and the daemon's shutdown under an alert backlog."""

from __future__ import annotations

import gzip
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from storage import AlertDraft, NewArticle, open_store
from tests.conftest import newsmon, spawn, write_config

HOSTS = 10  # outlet servers, each on its own loopback address (its own download slot)
PER_HOST = 20  # outlets on each, under their own path
BODY = "<p>" + "Azerbaijan and Kazakhstan agreed on new Caspian ferry routes this week. " * 6
BODY += "</p>"


@pytest.fixture
def servers() -> Iterator[list[OutletServer]]:
    started = [OutletServer(None, host=f"127.0.10.{i + 1}").start() for i in range(HOSTS)]
    yield started
    for server in started:
        server.stop()


def outlet_source(server: OutletServer, name: str) -> dict[str, object]:
    prefix = f"/{name}"
    article = f"{prefix}/2026/11/30/ferry-routes-{name}/"
    server.set(
        f"{prefix}/feed.xml",
        f"<rss><channel><item><title>t</title><link>{{{{BASE}}}}{article}</link></item>"
        "</channel></rss>",
        "application/rss+xml",
    )
    server.set(
        article,
        f"<html lang='en'><head><title>Ferry routes ({name})</title></head>"
        f"<body><article><h1>Ferry routes ({name})</h1>{BODY}</article></body></html>",
    )
    return {
        "name": name,
        "url": server.url(prefix + "/"),
        "feeds": [server.url(prefix + "/feed.xml")],
        "timeout": "2s",
        "delay": "0s",  # twenty outlets share each host here; real ones rarely do
    }


def test_two_hundred_outlets_some_hostile_in_one_engine(
    tmp_path: Path, servers: list[OutletServer]
) -> None:
    sources, hostile = [], {}
    for h, server in enumerate(servers):
        for k in range(PER_HOST):
            sources.append(outlet_source(server, f"o{h:02d}-{k:02d}"))
    # a few outlets turn hostile: a feed that hangs, a gzip bomb, a server error, junk bytes
    bad = {"o00-03": "hang", "o03-07": "bomb", "o05-11": "error", "o08-19": "junk"}
    for name, kind in bad.items():
        server = servers[int(name[1:3])]
        path = f"/{name}/feed.xml"
        if kind == "hang":
            server.set(path, "<rss/>", "application/rss+xml", delay=30)
        elif kind == "bomb":
            bomb = gzip.compress(b"<rss>" + b" " * (40 * 2**20))
            server.set(path, bomb, "application/rss+xml", headers={"Content-Encoding": "gzip"})
        elif kind == "error":
            server.set(path, "oops", status=500)
        else:
            server.set(path, bytes(range(256)) * 64, "application/rss+xml")
        hostile[name] = kind
    rules = [{"name": "azerbaijan", "query": "Azerbaijan", "channel": "#caucasus"}]
    config = write_config(tmp_path, servers[0], None, sources=sources, rules=rules)
    started = time.monotonic()
    result = newsmon("--config", str(config), "crawl", "--no-deliver")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        stored = {r[0] for r in conn.execute("SELECT source FROM articles")}
        alerted = {
            r[0]
            for r in conn.execute(
                "SELECT ar.source FROM alerts a JOIN articles ar ON ar.id = a.article_id"
            )
        }
        runs = dict(conn.execute("SELECT source, status FROM crawl_runs").fetchall())
        errors = {r[0] for r in conn.execute("SELECT source FROM crawl_errors")}
    healthy = {s["name"] for s in sources} - set(hostile)
    assert stored == healthy and alerted == healthy  # every healthy outlet: stored and alerted
    assert len(runs) == len(sources) and set(runs.values()) == {"finished"}
    assert {"o00-03", "o03-07", "o05-11"} <= errors  # hung, bomb, error: recorded for the source
    # the hung outlet cost its own timeout, not everyone's: 200 outlets in one engine
    assert took < 30, took


def test_sigterm_with_an_alert_backlog_exits_in_time_and_keeps_the_rest(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    with OutletServer(None) as server:
        src = outlet_source(server, "calm")
        src["interval"] = "1h"
        # Only the backlog is to be sent (this test is about the drain): the outlet's article
        # matches no rule, whether or not its crawl ends before SIGTERM, and spike checks are
        # off (500 stories in one day are a spike: the start-up check would queue a 501st).
        config = write_config(
            tmp_path,
            server,
            slack,
            sources=[src],
            rules=[{"name": "c5-plus-one", "query": '"C5+1"', "channel": "#central-asia"}],
            delivery={"max_per_hour": None},
            spikes={"enabled": False},
        )
        store = open_store(tmp_path / "newsmon.db")
        for n in range(500):  # five hundred stories waiting for one channel (1 message/s)
            store.save_article(
                NewArticle(f"https://outlet.test/{n}/", "calm", f"Story {n}", f"text {n}"),
                alerts=(AlertDraft("#caucasus", ("azerbaijan",)),),
            )
        store.close()
        proc = spawn("--config", str(config), "run")
        deadline = time.monotonic() + 60
        while len(slack.messages) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(slack.messages) >= 3, "the daemon did not start delivering"
        proc.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        _out, err = proc.communicate(timeout=60)
        took = time.monotonic() - stopped
    assert proc.returncode == 0, err
    assert took < 30, took
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        states = dict(conn.execute("SELECT status, count(*) FROM alerts GROUP BY status"))
    ids = [(m.metadata or {}).get("event_payload", {}).get("alert_id") for m in slack.messages]
    assert len(ids) == len(set(ids)) == states["sent"]  # each sent once, and recorded
    assert states.get("pending", 0) + states["sent"] == 500  # the rest is still queued
    assert states["pending"] > 400
