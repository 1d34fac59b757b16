"""Telegram channels crawled for real: a local server serves the saved preview pages
(tests/fixtures/telegram/) as the preview host (``telegram_base_url``); posts go through the
same pipeline as articles into the same database, rules, stories and Slack threads."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from crawler.stats import CrawlCounts
from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from newsmon.schedule import RunOutcome
from tests.conftest import FIXTURES, newsmon, source, write_config

PAGES = FIXTURES / "telegram"
SUMMIT = "/2025/10/28/tokayev-backs-azerbaijan-to-join-central-asia-u-s-summit/"


def channel(name: str, username: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "telegram": username, **extra}


def page(name: str) -> str:
    return (PAGES / name).read_text()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def last_stats(db: Path, source_name: str) -> CrawlCounts:
    stats = rows(
        db, f"SELECT stats FROM crawl_runs WHERE source = '{source_name}' ORDER BY id DESC LIMIT 1"
    )
    return CrawlCounts.from_stats(json.loads(stats[0][0]))


def test_first_poll_walks_back_then_polls_only_the_newest_page(
    tmp_path: Path, site: OutletServer
) -> None:
    site.set("/s/walkchan", page("walk-1.html"))
    site.set("/s/walkchan?before=7", page("walk-2.html"))
    site.set("/s/walkchan?before=4", page("walk-3.html"))
    config = write_config(
        tmp_path,
        site,
        sources=[channel("walk-tg", "walkchan")],
        telegram_base_url=site.base_url,
        telegram_delay="0.2s",
    )
    assert newsmon("--config", str(config), "crawl").returncode == 0
    db = tmp_path / "newsmon.db"
    stored = [r[0] for r in rows(db, "SELECT url FROM articles ORDER BY url")]
    assert stored == [f"https://t.me/walkchan/{i}" for i in range(1, 10)]
    pages = [h for h in site.log if h.path.startswith("/s/")]
    assert [h.path for h in pages] == [
        "/s/walkchan",
        "/s/walkchan?before=7",
        "/s/walkchan?before=4",
    ]
    # one request at a time to the preview host, the configured pace apart
    assert site.max_in_flight == 1
    assert all(b.started - a.at >= 0.15 for a, b in zip(pages, pages[1:], strict=False))

    site.log.clear()
    assert newsmon("--config", str(config), "crawl").returncode == 0
    assert [h.path for h in site.log if h.path.startswith("/s/")] == ["/s/walkchan"]
    counts = last_stats(db, "walk-tg")
    assert (counts.stored, counts.skipped_seen, counts.discovered) == (0, 3, 3)
    assert len(rows(db, "SELECT id FROM articles")) == 9  # each post stored once

    # a channel's first poll reads back no more than its ``history``
    other = tmp_path / "capped"
    other.mkdir()
    capped = write_config(
        other,
        site,
        sources=[channel("walk-tg", "walkchan", history=4)],
        telegram_base_url=site.base_url,
        telegram_delay=0,
    )
    site.log.clear()
    assert newsmon("--config", str(capped), "crawl").returncode == 0
    kept = [r[0] for r in rows(other / "newsmon.db", "SELECT url FROM articles ORDER BY url")]
    assert kept == [f"https://t.me/walkchan/{i}" for i in (6, 7, 8, 9)]
    assert [h.path for h in site.log if h.path.startswith("/s/")] == [
        "/s/walkchan",
        "/s/walkchan?before=7",
    ]


def test_unavailable_empty_and_busy_channels(tmp_path: Path, site: OutletServer) -> None:
    site.set("/s/closedchan", "", status=302, headers={"Location": "/closedchan"})
    site.set("/s/emptychan", page("empty.html"))
    site.set("/s/busychan", page("channel.html"))
    site.set("/s/busychan?before=100", page("empty.html"))
    site.set(
        "/s/busychan",
        "Too Many Requests",
        "text/plain",
        status=429,
        times=1,
        headers={"Retry-After": "1"},
    )
    config = write_config(
        tmp_path,
        site,
        sources=[
            channel("closed-tg", "closedchan"),
            channel("empty-tg", "emptychan"),
            channel("busy-tg", "busychan"),
        ],
        telegram_base_url=site.base_url,
        telegram_delay=0,
    )
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    db = tmp_path / "newsmon.db"
    # the redirect is the answer: never followed to the channel's landing page
    assert not [h for h in site.log if h.path == "/closedchan"]
    # 429: waited out (Retry-After: 1), then read
    busy = [h for h in site.log if h.path == "/s/busychan"]
    assert [h.status for h in busy] == [429, 200]
    assert busy[1].started - busy[0].at >= 0.9
    assert last_stats(db, "busy-tg").retry_after_s == 1.0
    assert last_stats(db, "busy-tg").stored == 9
    # an exhausted walk-back (no older message) is the end of the history, not an error
    assert "layout_changed" not in last_stats(db, "busy-tg").errors

    errors = dict(rows(db, "SELECT source, kind FROM crawl_errors"))
    assert errors == {"closed-tg": "telegram_unavailable", "empty-tg": "layout_changed"}
    status = newsmon("--config", str(config), "status")
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    closed = next(i for i, line in enumerate(lines) if line.startswith("closed-tg "))
    assert lines[closed].split()[1] == "unavailable"
    assert "Telegram preview unavailable (private, removed or restricted)" in lines[closed + 1]
    empty = next(i for i, line in enumerate(lines) if line.startswith("empty-tg "))
    assert " layout changed " in lines[empty]
    assert "no message block" in lines[empty + 1]

    # the daemon's planner reads the same failures as the source's last error
    counts = last_stats(db, "closed-tg")
    outcome = RunOutcome.from_counts(counts, ok=True)
    assert not outcome.ok
    assert outcome.error == "Telegram preview unavailable (private, removed or restricted)"


def _caucasus(slack: SlackStandIn) -> list[Any]:
    return [m for m in slack.messages if m.channel == "#caucasus"]


def test_a_channel_and_a_website_report_one_event_and_an_edit_revises_the_post(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    outlet.set("/s/eventchan", page("event.html"))
    config = write_config(
        tmp_path,
        outlet,
        slack,
        sources=[source(outlet, "steppe-herald"), channel("event-tg", "eventchan")],
        telegram_base_url=outlet.base_url,
        telegram_delay=0,
    )
    db = tmp_path / "newsmon.db"
    assert newsmon("--config", str(config), "crawl", "steppe-herald").returncode == 0
    top = [m for m in slack.top_level("#caucasus") if SUMMIT in m.text]
    assert len(top) == 1
    before = len(slack.messages)

    assert newsmon("--config", str(config), "crawl", "event-tg").returncode == 0
    story = dict(rows(db, "SELECT url, story_id FROM articles"))
    post = "https://t.me/eventchan/41"
    assert story[post] == story[outlet.url(SUMMIT)]
    # one story, one top-level message: the post is a reply in its thread, named as Telegram's
    assert len(slack.messages) == before + 1
    replies = slack.replies(top[0].ts)
    assert len(replies) == 1
    reply = json.dumps(replies[0].blocks, ensure_ascii=False)
    assert "↳ _Telegram, @eventchan:_" in reply and post in reply

    exported = newsmon("--config", str(config), "export")
    kinds = {
        json.loads(line)["url"]: json.loads(line)["kind"] for line in exported.stdout.splitlines()
    }
    assert kinds[post] == "telegram" and kinds[outlet.url(SUMMIT)] == "web"

    # between two polls post 41 is edited (still the same rule) and post 42 newly names
    # Azerbaijan: 41 is revised without a second alert, 42 gets its first
    outlet.set("/s/eventchan", page("event-edited.html"))
    assert newsmon("--config", str(config), "crawl", "event-tg").returncode == 0
    counts = last_stats(db, "event-tg")
    assert counts.stored == 0
    texts = dict(rows(db, "SELECT url, text FROM articles WHERE source = 'event-tg'"))
    assert "said on Tuesday evening." in texts[post]
    assert "Azerbaijan border crossing" in texts["https://t.me/eventchan/42"]
    assert len(rows(db, "SELECT id FROM articles")) == len(story)  # revised, not stored again
    new = slack.messages[before + 1 :]
    assert [m.thread_ts is None for m in new] == [True]
    assert "https://t.me/eventchan/42" in new[0].text
    alerts = rows(db, "SELECT a.url FROM alerts JOIN articles a ON a.id = alerts.article_id")
    assert sorted(u for (u,) in alerts if "eventchan" in u) == [post, post.replace("41", "42")]

    # the same edit seen again changes nothing
    assert newsmon("--config", str(config), "crawl", "event-tg").returncode == 0
    assert len(slack.messages) == before + 2


def test_follow_links_fetches_the_linked_article_into_the_posts_story(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    outlet.set("/s/eventchan", page("event.html"))
    config = write_config(
        tmp_path,
        outlet,
        slack,
        sources=[channel("event-tg", "eventchan", follow_links=True)],
        telegram_base_url=outlet.base_url,
        telegram_delay=0,
    )
    assert newsmon("--config", str(config), "crawl").returncode == 0
    db = tmp_path / "newsmon.db"
    story = dict(rows(db, "SELECT url, story_id FROM articles"))
    assert set(story) == {
        "https://t.me/eventchan/41",
        "https://t.me/eventchan/42",
        outlet.url(SUMMIT),
    }
    assert story["https://t.me/eventchan/41"] == story[outlet.url(SUMMIT)]
    title = rows(db, f"SELECT title FROM articles WHERE url = '{outlet.url(SUMMIT)}'")
    assert title == [("Tokayev Backs Azerbaijan to Join Central Asia-U.S. Summit",)]
    top = slack.top_level("#caucasus")
    assert len(top) == 1 and len(slack.replies(top[0].ts)) == 1
