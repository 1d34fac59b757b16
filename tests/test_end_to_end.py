"""The whole pipe for real: fixture outlets over HTTP → Scrapy → trafilatura → SQLite → rules →
slack-sdk → the local Slack stand-in. The CLI runs in a child process."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from tests.conftest import ROOT, TOKEN, cli_env, newsmon, source, write_config
from tests.test_extract import BOILERPLATE

SEED = "/2025/10/28/tokayev-backs-azerbaijan-to-join-central-asia-u-s-summit/"
WIRE_COPY = "/wire/2025/10/28/kazakh-leader-welcomes-baku-at-washington-summit/"
ARTICLES = {
    SEED: ("steppe-herald", "en"),
    "/2025/10/27/finland-kazakhstan-strengthen-economic-links/": ("steppe-herald", "en"),
    "/2025/10/26/kazakhstan-international-snow-leopard-day/": ("steppe-herald", "en"),
    "/2025/10/25/sothebys-islamic-middle-eastern-art-sales-london/": ("steppe-herald", "en"),
    "/2025/10/24/kazakhstan-azerbaijan-caspian-cargo/": ("steppe-herald", "kk"),
    WIRE_COPY: ("caspian-wire", "en"),
    "/wire/2025/10/27/baku-aktau-ferry-capacity/": ("caspian-wire", "ru"),
}


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_crawl_store_alert_and_recrawl(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    config = write_config(tmp_path, outlet, slack)
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    assert "steppe-herald: 5 new article(s)" in result.stdout
    assert "caspian-wire: 2 new article(s)" in result.stdout
    db = tmp_path / "newsmon.db"

    # exact rows: every article once, under its canonical URL (the feed's utm_* links are gone)
    stored = rows(db, "SELECT url, source, language FROM articles ORDER BY url")
    assert stored == sorted((outlet.url(p), s, lang) for p, (s, lang) in ARTICLES.items())
    texts = dict(rows(db, "SELECT url, text FROM articles"))
    for words in BOILERPLATE:
        assert words not in texts[outlet.url(SEED)], words
    story = dict(rows(db, "SELECT url, story_id FROM articles"))
    assert story[outlet.url(SEED)] == story[outlet.url(WIRE_COPY)]  # syndicated copy, one story
    assert len(set(story.values())) == 6

    # exact Slack messages: one top-level per story and channel; the wire copy replies in thread
    by_channel: dict[str, list] = {}
    for m in slack.messages:
        by_channel.setdefault(m.channel, []).append(m)
    assert sorted(by_channel) == ["#caucasus", "#central-asia"]
    caucasus_top = slack.top_level("#caucasus")
    central_top = slack.top_level("#central-asia")
    assert len(caucasus_top) == 3 and len(central_top) == 1
    assert len(slack.messages) == 6
    seed_like = {outlet.url(SEED), outlet.url(WIRE_COPY)}
    (first_ca,) = [m for m in caucasus_top if any(u in m.text for u in seed_like)]
    assert (
        "azerbaijan" in first_ca.text and "trans-caspian" in first_ca.text
    )  # both rules, one message
    (reply_ca,) = slack.replies(first_ca.ts)
    assert reply_ca.channel == "#caucasus"
    (reply_c5,) = slack.replies(central_top[0].ts)
    assert "c5-plus-one" in reply_c5.text and "c5-plus-one" in central_top[0].text
    for m in slack.messages:
        assert m.unfurl_links is False
        assert m.metadata and m.metadata["event_type"] == "newsmon_alert"
    # no alert from boilerplate: articles whose rule words sit only in polls or "recent news"
    alerted = " ".join(m.text for m in slack.messages)
    for quiet in ("finland", "snow-leopard", "sothebys"):
        assert quiet not in alerted
    assert rows(db, "SELECT status, count(*) FROM alerts GROUP BY status") == [("sent", 6)]

    # a re-crawl: feeds are read again, no article is requested, nothing stored, nothing sent
    before = len(outlet.log)
    again = newsmon("--config", str(config), "crawl")
    assert again.returncode == 0, again.stderr
    paths = [h.path.split("?")[0] for h in outlet.log[before:]]
    assert not [p for p in paths if p in ARTICLES], paths
    assert sorted(set(paths)) == ["/feed.xml", "/robots.txt", "/wire/feed.xml"]
    feeds = [h for h in outlet.log[before:] if h.path.endswith("feed.xml")]
    assert [h.status for h in feeds] == [304, 304]  # conditional GET: unchanged feeds, no body
    assert rows(db, "SELECT count(*) FROM articles") == [(7,)]
    assert len(slack.messages) == 6
    assert "steppe-herald: 0 new article(s), 0 already stored, 1 unchanged" in again.stdout

    # the token never shows up in output or in the database
    assert TOKEN not in result.stdout + result.stderr + again.stdout + again.stderr
    assert TOKEN.encode() not in db.read_bytes()

    # export: one article per line with the contract's fields
    exported = newsmon("--config", str(config), "export", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(x) for x in exported.stdout.splitlines()]
    assert len(lines) == 7
    for rec in lines:
        assert {"url", "source", "title", "text", "published", "language", "story_id"} <= rec.keys()
    seed = next(r for r in lines if r["url"] == outlet.url(SEED))
    assert seed["published"] == "2025-10-28T09:15:00+05:00" and seed["language"] == "en"

    status = newsmon("--config", str(config), "status")
    assert status.returncode == 0, status.stderr
    assert "steppe-herald" in status.stdout and "6 sent" in status.stdout

    found = newsmon("--config", str(config), "search", "Tokayev")
    assert found.returncode == 0 and outlet.url(SEED) in found.stdout
    assert "[Tokayev]" in found.stdout  # the matched term, marked in the snippet

    def search(*args: str) -> str:
        result = newsmon("--config", str(config), "search", *args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    both = search("Azerbaijan OR Азербайджан*")
    assert "steppe-herald" in both and "caspian-wire" in both
    only_ru = search("Azerbaijan OR Азербайджан*", "--lang", "ru")
    assert "Баку и Актау" in only_ru and "Tokayev Backs" not in only_ru
    wire = search("Tokayev", "--source", "caspian-wire")
    assert "Kazakh Leader Welcomes Baku" in wire and outlet.url(SEED) not in wire
    # the seed was published 2025-10-28, the Russian article 2025-10-27
    assert "Tokayev Backs" not in search("Tokayev", "--until", "2025-10-27")
    assert "Tokayev Backs" in search("Tokayev", "--since", "2025-10-28", "--until", "2025-10-28")
    assert search("Tokayev", "--since", "2026-01-01").strip() == "No matching articles."


def test_new_article_appears_between_crawls(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    config = write_config(tmp_path, outlet, slack, sources=[source(outlet, "steppe-herald")])
    assert newsmon("--config", str(config), "crawl").returncode == 0
    sent = len(slack.messages)
    feed = (outlet.root / "feed.xml").read_text()  # type: ignore[operator]
    body = (
        "<p>"
        + "The Trans-Caspian corridor carried record cargo this month, officials said. " * 6
        + "</p>"
    )
    outlet.set(
        "/2025/10/29/record-cargo/",
        f"<html lang='en'><head><title>Record cargo</title></head><body><article><h1>Record cargo</h1>{body}</article></body></html>",
    )
    item = "<item><title>Record cargo</title><link>{{BASE}}/2025/10/29/record-cargo/</link></item>"
    outlet.set("/feed.xml", feed.replace("<item>", item + "\n    <item>", 1), "application/rss+xml")
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    assert "steppe-herald: 1 new article(s)" in result.stdout
    new = slack.messages[sent:]
    assert len(new) == 1 and "record-cargo" in new[0].text and new[0].thread_ts is None


def test_broken_pages_are_recorded_and_the_crawl_goes_on(
    tmp_path: Path, outlet: OutletServer
) -> None:
    feed = (outlet.root / "feed.xml").read_text()  # type: ignore[operator]
    extra = (
        "<item><title>gone</title><link>{{BASE}}/gone/</link></item>"
        "<item><title>broken</title><link>{{BASE}}/broken/</link></item>"
        "<item><title>pdf</title><link>{{BASE}}/report.pdf</link></item>"
        "<item><title>about</title><link>{{BASE}}/about/</link></item>"
    )
    outlet.set("/feed.xml", feed.replace("<item>", extra + "<item>", 1), "application/rss+xml")
    outlet.set("/broken/", "<html>oops", status=500)
    outlet.set("/report.pdf", b"%PDF-1.4 binary", "application/pdf")
    config = write_config(tmp_path, outlet, None, sources=[source(outlet, "steppe-herald")])
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    assert "steppe-herald: 5 new article(s)" in result.stdout
    assert "ALERT → #caucasus" in result.stdout  # no Slack configured: the console notifier
    db = tmp_path / "newsmon.db"
    errors = rows(db, "SELECT url, kind FROM crawl_errors ORDER BY url")
    assert errors == [(outlet.url("/broken/"), "http_500"), (outlet.url("/gone/"), "http_404")]
    known = dict(rows(db, "SELECT url, status FROM urls"))
    assert known[outlet.url("/about")] == "not_article"  # keys are slash-insensitive
    # a PDF announced by the feed is never requested
    assert not outlet.hits("/report.pdf")
    assert rows(db, "SELECT status FROM crawl_runs") == [("finished",)]


def test_windows_1251_page_through_the_crawler(tmp_path: Path, outlet: OutletServer) -> None:
    raw = (Path(__file__).parent / "fixtures" / "ru-windows-1251.html").read_bytes()
    outlet.set(
        "/news/2025/10/kazakhstan-azerbaijan-route.html", raw, "text/html"
    )  # no charset header
    outlet.set(
        "/ru.xml",
        "<rss version='2.0'><channel><title>ru</title><item><title>x</title>"
        "<link>{{BASE}}/news/2025/10/kazakhstan-azerbaijan-route.html</link></item></channel></rss>",
        "application/rss+xml",
    )
    config = write_config(
        tmp_path,
        outlet,
        None,
        sources=[{**source(outlet, "ru-outlet"), "feeds": [outlet.url("/ru.xml")]}],
    )
    assert newsmon("--config", str(config), "crawl").returncode == 0
    ((title, text),) = rows(tmp_path / "newsmon.db", "SELECT title, text FROM articles")
    assert title.startswith("Казахстан и Азербайджан")
    assert "Транскаспийского" in text


def test_scrapy_list_and_crawl_from_the_repo_root(tmp_path: Path, outlet: OutletServer) -> None:
    import subprocess
    import sys

    config = write_config(tmp_path, outlet, None)
    env = cli_env(NEWSMON_CONFIG=str(config))
    scrapy = [sys.executable, "-m", "scrapy"]
    listed = subprocess.run(
        [*scrapy, "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    assert sorted(listed.stdout.split()) == ["caspian-wire", "steppe-herald"]
    crawled = subprocess.run(
        [*scrapy, "crawl", "caspian-wire"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crawled.returncode == 0, crawled.stderr
    assert rows(
        tmp_path / "newsmon.db", "SELECT source, count(*) FROM articles GROUP BY source"
    ) == [("caspian-wire", 2)]
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: x\n    url: nope\n")
    failed = subprocess.run(
        [*scrapy, "list"],
        cwd=ROOT,
        env=cli_env(NEWSMON_CONFIG=str(bad)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failed.returncode == 2
    assert "bad.yaml: sources[0].url: not a URL" in failed.stderr


def test_progress_line_on_request(tmp_path: Path, outlet: OutletServer) -> None:
    config = write_config(tmp_path, outlet, None)
    wide = cli_env(COLUMNS="200")  # the line is cut to the terminal's width
    result = newsmon("--config", str(config), "crawl", "--no-deliver", "--progress", env=wide)
    assert result.returncode == 0, result.stderr
    # (text mode turns the line's "\r" into line breaks)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert any("steppe-herald: " in line and " pages, " in line for line in lines)
    final = lines[-1]
    assert "steppe-herald: " in final and "caspian-wire: " in final and final.count("✓") == 2
    assert "5 new" in final and "2 new" in final
    quiet = newsmon("--config", str(config), "crawl", "--no-deliver")  # not a terminal: no line
    assert " pages, " not in quiet.stderr
