"""Many new outlets' first crawls at once. Each article waits for its outlet's first batch, out
of Scrapy's scraper (whose limit on the pages in the pipelines throttles downloads): the crawl
never stalls however many batches wait, the articles come out clean, memory held is bounded,
and a crawl stopped half-way exits in time and loses nothing. The crawls run the real CLI in a
child process against outlets each on a loopback address of its own (127.0.12.x)."""

from __future__ import annotations

import json
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from crawler.config import SourceConfig
from crawler.extract.article import Article
from crawler.first_batch import FirstBatches, Held
from crawler.items import PageItem
from crawler.poll import SHUTDOWN, Poll
from newsmon.demo.outlets import OutletServer
from tests.conftest import ROOT, cli_env, write_config

PER_OUTLET = 3
PROMO = "Special project: the Caspian desk, every Friday"  # under every article of an outlet
WORDS = (
    "ferry", "port", "tariff", "grain", "rail", "cargo", "harbour", "customs", "wheat", "cotton",
    "pipeline", "bridge", "road", "ministry", "council", "budget", "tender", "school", "hospital",
    "airport", "terminal", "station", "metro", "bus", "tram", "river", "canal", "dam", "orchard",
    "market", "bank", "loan", "bond", "levy", "quota", "licence", "permit", "harvest", "drought",
)  # fmt: skip
# The crawl in a child process with Scrapy's scraper limit (the bytes of responses whose output
# is in the pipelines, past which Scrapy stops downloading) cut from 5 MB to 100 kB: about fifty
# of these pages. Pages kept in the scraper while their batches wait would stop the crawl.
SCRAPER_LIMIT = 100_000
LAUNCH = (
    "import sys, crawler.settings as s; s.SCRAPER_SLOT_MAX_ACTIVE_SIZE = int(sys.argv.pop(1)); "
    "from newsmon.cli import main; main()"
)


def page(name: str, k: int) -> str:
    rng = random.Random(f"{name}-{k}")
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(4)
    ]
    title = f"{name}: harbour {' '.join(rng.choice(WORDS) for _ in range(4))} {k}"
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:2]) + f"<p>{PROMO}</p>"
    body += "".join(f"<p>{p}</p>" for p in paragraphs[2:])
    return (
        f"<html lang='en'><head><title>{title}</title><meta property='og:type' content='article'>"
        "<meta property='article:published_time' content='2026-11-30T10:00:00+05:00'></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def article_path(k: int) -> str:
    return f"/2026/11/30/story-{k}/"


def serve(server: OutletServer, name: str, *, slow_last: float = 0.0) -> dict[str, object]:
    """An outlet of ``PER_OUTLET`` articles (the last one answering after ``slow_last`` s)."""
    links = "".join(
        f"<item><title>t</title><link>{{{{BASE}}}}{article_path(k)}</link></item>"
        for k in range(PER_OUTLET)
    )
    server.set("/feed.xml", f"<rss><channel>{links}</channel></rss>", "application/rss+xml")
    for k in range(PER_OUTLET):
        last = k == PER_OUTLET - 1
        server.set(article_path(k), page(name, k), delay=slow_last if last else 0.0)
    return {"name": name, "url": server.url("/"), "feeds": [server.url("/feed.xml")]}


@pytest.fixture
def outlets(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[OutletServer]]:
    """``request.param`` outlet servers, on 127.0.12.1 and up."""
    with monkeypatch.context() as patch:
        # binding an HTTP server looks its address's name up: 75 ms an address here
        patch.setattr(socket, "getfqdn", lambda name="": name)
        started = [
            OutletServer(None, host=f"127.0.12.{i + 1}").start() for i in range(int(request.param))
        ]
    yield started
    with ThreadPoolExecutor(32) as pool:  # each waits for its server's loop to notice
        list(pool.map(OutletServer.stop, started))


def config_for(tmp_path: Path, sources: list[dict[str, object]], server: OutletServer) -> Path:
    # every title names the harbour: one alert an article, so an article stored twice would show
    rules = [{"name": "harbour", "query": "harbour", "channel": "#caspian"}]
    specs = [{**s, "delay": "0s", "timeout": "60s"} for s in sources]
    return write_config(tmp_path, server, None, sources=specs, rules=rules)


def start_crawl(config: Path) -> subprocess.Popen[str]:
    """``newsmon crawl`` in a child process, with the low scraper limit."""
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCH, str(SCRAPER_LIMIT), "--config", str(config), "crawl"]
        + ["--no-deliver"],
        cwd=ROOT,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def crawl(config: Path, *, limit: float = 90) -> str:
    """A whole crawl (killed past ``limit`` seconds, failing the test); its stderr."""
    proc = start_crawl(config)
    try:
        _out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
        pytest.fail(f"the crawl did not finish in {limit:.0f} s: {err[-2000:]}")
    assert proc.returncode == 0, err[-3000:]
    return err


def stop(proc: subprocess.Popen[str]) -> tuple[float, str]:
    """SIGTERM: how long the crawl took to exit (killed past 45 s), and its stderr."""
    proc.send_signal(signal.SIGTERM)
    stopping = time.monotonic()
    try:
        _out, err = proc.communicate(timeout=45)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("the crawl did not exit in 45 s after SIGTERM")
    assert proc.returncode == 0, err[-3000:]
    return time.monotonic() - stopping, err


def stored(db: Path) -> tuple[list[tuple[str, str, str]], int]:
    """(source, url, text) of every stored article, and the number of alerts."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT source, url, text FROM articles").fetchall()
        alerts = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    return rows, int(alerts)


@pytest.mark.parametrize("outlets", [200], indirect=True)
def test_two_hundred_new_outlets_at_once_store_every_article_clean(
    tmp_path: Path, outlets: list[OutletServer]
) -> None:
    sources = [serve(server, f"new-{i:03d}") for i, server in enumerate(outlets)]
    config = config_for(tmp_path, sources, outlets[0])
    crawl(config)
    rows, alerts = stored(tmp_path / "newsmon.db")
    assert len(rows) == len({url for _s, url, _t in rows}) == PER_OUTLET * len(sources)
    # every first batch was learned from as a whole: its repeated line left every article
    assert not [url for _s, url, text in rows if PROMO in text]
    assert alerts == len(rows)
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        runs = conn.execute("SELECT status, count(*) FROM crawl_runs GROUP BY status").fetchall()
    assert runs == [("finished", len(sources))]


@pytest.mark.parametrize("outlets", [150], indirect=True)
def test_sigterm_in_a_big_first_crawl_exits_in_time_and_a_rerun_stores_the_rest_once(
    tmp_path: Path, outlets: list[OutletServer]
) -> None:
    # the last article of each outlet answers late: its first two wait in their batches
    sources = [serve(server, f"cut-{i:03d}", slow_last=12) for i, server in enumerate(outlets)]
    config = config_for(tmp_path, sources, outlets[0])
    proc = start_crawl(config)
    try:
        deadline = time.monotonic() + 60
        while sum(len(s.hits("/2026/")) for s in outlets) < 0.9 * 2 * len(outlets):
            assert time.monotonic() < deadline, "the crawl did not fetch the first articles"
            time.sleep(0.2)
        time.sleep(2)  # their extraction, and into their batches
        took, _err = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert took < 30, took
    db = tmp_path / "newsmon.db"
    first, _alerts = stored(db)
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT status, finish_reason, stats FROM crawl_runs").fetchall()
    assert {(status, reason) for status, reason, _s in runs} == {("failed", "shutdown")}
    left = sum(json.loads(stats).get("newsmon/first_batch_left", 0) for _r, _s, stats in runs)
    # the articles held when the crawl stopped were left to the next crawl, and said so
    assert left >= len(outlets) and len(first) + left <= PER_OUTLET * len(sources)

    for i, server in enumerate(outlets):  # the late pages answer at once now
        serve(server, f"cut-{i:03d}")
    crawl(config)
    rows, alerts = stored(db)
    urls = [url for _s, url, _t in rows]
    assert len(urls) == len(set(urls)) == PER_OUTLET * len(sources)  # nothing lost or doubled
    assert alerts == len(rows)  # nor alerted twice
    assert not [url for _s, url, text in rows if PROMO in text]


def test_sigterm_does_not_wait_for_a_download_that_hangs(
    tmp_path: Path, site: OutletServer
) -> None:
    # two articles wait in the outlet's first batch; the third hangs past the stop's grace
    config = config_for(tmp_path, [serve(site, "hung", slow_last=120)], site)
    proc = start_crawl(config)
    try:
        deadline = time.monotonic() + 30
        while not (site.in_flight and len(site.hits("/2026/")) >= PER_OUTLET - 1):
            assert time.monotonic() < deadline, "the crawl did not reach the last article"
            time.sleep(0.1)
        time.sleep(1)
        took, err = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert took < 30, took
    assert "did not close" in err and "fetches them again" in err
    rows, _alerts = stored(tmp_path / "newsmon.db")
    assert rows == []  # left to the next crawl, not stored half-learned
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        (stats,) = conn.execute("SELECT stats FROM crawl_runs").fetchone()
    assert json.loads(stats)["newsmon/first_batch_left"] == PER_OUTLET - 1


# --- the batches themselves, without a crawl ---------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.learned: list[tuple[str, int]] = []
        self.back: list[Held] = []

    def learn(self, source: str, batch: object, listings: object) -> None:
        self.learned.append((source, len(batch)))  # type: ignore[arg-type]

    def resubmit(self, held: Held) -> bool:
        self.back.append(held)
        return True


def new_poll(name: str) -> Poll:
    return Poll(SourceConfig(name=name, url="http://127.0.0.1/"))


def fetched(poll: Poll, k: int) -> tuple[PageItem, Article]:
    url = f"http://127.0.0.1/{poll.name}/{k}"
    item = PageItem(poll.name, url, url, "<html>…</html>", poll, poll.token())
    return item, Article(url, "t", "text " * 200, None, None, "en", None, f"fp{k}")


def test_a_batch_goes_on_when_the_rest_of_its_poll_is_done_not_on_a_timer() -> None:
    seen = Recorder()
    batches = FirstBatches(seen.learn, resubmit=seen.resubmit)
    poll = new_poll("a")
    requests = [poll.token() for _ in range(3)]  # three article requests in flight
    for k in range(2):
        item, article = fetched(poll, k)
        poll.release(requests[k])
        assert batches.hold(item, article) is not None and item.token is None
    assert seen.learned == [] and batches.held_count == 2
    poll.release(requests[2])  # the third page: not an article
    assert seen.learned == [("a", 2)] and len(seen.back) == 2
    assert batches.held_count == 0 and batches.held_bytes == 0
    assert not poll.done  # the held articles' tokens came back with them
    for held in seen.back:
        poll.release(held.token)
    assert poll.done and poll.reason == "finished"


def test_past_the_memory_bound_the_oldest_batch_goes_early() -> None:
    seen = Recorder()
    polls = [new_poll(f"s{i}") for i in range(3)]
    waiting = [p.token() for p in polls]  # each poll has more to fetch
    item, article = fetched(polls[0], 0)
    one = Held(article, replace(item, html=None)).size  # as held: without its page
    batches = FirstBatches(seen.learn, max_bytes=int(4.5 * one), resubmit=seen.resubmit)
    for k in range(2):
        for poll in polls[:2]:
            batches.hold(*fetched(poll, k))
    assert seen.learned == [] and batches.held_count == 4
    batches.hold(*fetched(polls[2], 0))  # a fifth record: past the bound
    assert seen.learned == [("s0", 2)] and batches.held_count == 3
    assert batches.held_bytes <= batches.max_bytes
    assert polls[0].counts["first_batch_early"] == 1 and waiting


def test_a_stopping_crawl_leaves_held_articles_to_the_next_crawl() -> None:
    seen = Recorder()
    batches = FirstBatches(seen.learn, resubmit=seen.resubmit)
    poll = new_poll("b")
    poll.token()  # more to fetch
    poll.fetch_updates["http://127.0.0.1/feed.xml"] = object()  # type: ignore[assignment]
    for k in range(2):
        batches.hold(*fetched(poll, k))
    poll.end(SHUTDOWN)
    assert seen.learned == [] and seen.back == []  # not learned from, not stored
    assert batches.left == 2 and poll.counts["first_batch_left"] == 2
    assert poll.fetch_updates == {}  # the feed is read in full next time
    item, article = fetched(poll, 2)  # extracted after the stop
    assert "next crawl" in (batches.hold(item, article) or "")
    assert batches.left == 3 and batches.held_count == 0
