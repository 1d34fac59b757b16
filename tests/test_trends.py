"""What is rising, for real: a fixture outlet publishes a burst → one spike alert in Slack;
the daily briefing at its local time (fake clock), once across a daemon restart, its chart
shared through the three upload calls; spike alerts once per rule and day unless doubled."""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib.image
import pytest

from crawler.config import load_config
from newsmon.app import App
from newsmon.charts import PNG_SIGNATURE
from newsmon.daemon import Daemon
from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from newsmon.trends import check_spikes
from storage import AlertDraft, NewArticle, Storage, open_store
from tests.conftest import TOKEN, TOKEN_ENV, newsmon, rss, write_config

RULE = {"name": "trans-caspian", "query": '"Trans-Caspian" OR Transcaspian', "channel": "#caucasus"}
WORDS = [
    "cargo",
    "ferry",
    "port",
    "rail",
    "tariff",
    "customs",
    "transit",
    "freight",
    "container",
    "terminal",
    "shipment",
    "route",
    "ministers",
    "summit",
    "agreement",
    "investment",
    "capacity",
    "pipeline",
    "export",
    "harbour",
    "logistics",
    "border",
    "delegation",
    "timetable",
    "wagon",
    "tanker",
    "grain",
    "oil",
    "gas",
    "steel",
    "cotton",
    "fertiliser",
    "crossing",
    "barge",
    "insurance",
    "warehouse",
    "dispatch",
    "quota",
    "licence",
    "bridge",
    "highway",
    "depot",
    "schedule",
    "carrier",
    "forecast",
]


def story(seed: int) -> tuple[str, str]:
    """A title and a body of its own (distinct stories), mentioning the corridor."""
    rng = random.Random(seed)
    words = [rng.choice(WORDS) for _ in range(90)]
    sentences = [" ".join(words[i : i + 15]).capitalize() + "." for i in range(0, 90, 15)]
    title = f"Trans-Caspian corridor: {' '.join(words[:4])} story {seed}"
    return title, f"The Trans-Caspian corridor was in the news again. {' '.join(sentences)}"


def page(title: str, body: str) -> str:
    return (
        f'<html lang="en"><head><title>{title}</title><meta property="og:type" '
        f'content="article"></head><body><article><h1>{title}</h1><p>{body}</p>'
        f"<p>{body}</p></article></body></html>"
    )


def test_a_burst_sends_one_spike_alert_naming_the_top_stories(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    # two outlets publish six corridor stories today; the first is carried by both
    links: dict[str, list[str]] = {"a": [], "b": []}
    for n in range(6):
        title, body = story(n)
        site.set(f"/a/{n}/", page(title, body))
        links["a"].append(site.url(f"/a/{n}/"))
        if n == 0:
            site.set("/b/copy/", page(title + " (wire copy)", body))
            links["b"].append(site.url("/b/copy/"))
    for name in links:
        site.set(f"/{name}/feed.xml", rss(*links[name]), "application/rss+xml")
    sources = [
        {
            "name": f"outlet-{n}",
            "url": site.url(f"/{n}/"),
            "feeds": [site.url(f"/{n}/feed.xml")],
            "delay": "0s",
        }
        for n in links
    ]
    # one story alert an hour, the rest held for the digest: the channel's pace (a message a
    # second) is spent on the spike alert, not on six story alerts
    config = write_config(
        tmp_path,
        site,
        slack,
        sources=sources,
        rules=[RULE],
        delivery={"max_per_hour": 1},
        concepts={"CARGO": ["cargo", "freight"]},
    )
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    assert "1 spike alert(s) queued" in result.stdout

    spikes = [m for m in slack.top_level("#caucasus") if m.text.startswith("Spike:")]
    assert len(spikes) == 1
    spike = spikes[0]
    assert "trans-caspian — 6 stories from 2 outlets" in spike.text
    blocks = " ".join(str(b) for b in spike.blocks or [])
    top = blocks.index("story 0")  # the story most outlets carried comes first
    assert all(top < blocks.index(f"story {n}") for n in range(1, 6))
    assert site.url("/a/0/") in blocks or site.url("/b/copy/") in blocks
    assert "2 outlets (outlet-a, outlet-b)" in blocks
    assert "Terms rising" in blocks and "*capacity* (4 vs 0.0)" in blocks
    assert "*corridor* (7 vs 0.0)" in blocks
    assert "*caspian*" not in blocks  # the rule's own words are why titles match: left out
    assert "Languages: en 7" in blocks
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:  # concepts are counted too
        counted = dict(conn.execute("SELECT subject, sum(articles) FROM mention_counts GROUP BY 1"))
    assert counted["trans-caspian"] == 7 and 0 < counted["@CARGO"] <= 7

    # the next cycle's check (same volume): no second spike alert today
    assert App(load_config(config)).check_spikes() == 0

    shown = newsmon("--config", str(config), "trends")
    assert shown.returncode == 0, shown.stderr
    assert "1 of 1 rule(s) rising" in shown.stdout
    assert "Spike: trans-caspian — 6 stories from 2 outlets" in shown.stdout
    assert site.url("/a/1/") in shown.stdout


def corridor_article(n: int, published: datetime | None = None) -> NewArticle:
    """Stored article ``n``: a corridor story of its own, from one of three outlets."""
    title, body = story(100 + n)
    return NewArticle(
        url=f"https://x.test/{n}",
        source=f"s{n % 3}",
        title=title,
        text=body,
        fingerprint=f"fp{n}",
        language="en",
        published=published.isoformat() if published else None,
    )


def _save(store: Storage, n: int) -> None:
    store.save_article(
        corridor_article(n),
        alerts=[AlertDraft("#caucasus", ("trans-caspian",))],
        mentions=("trans-caspian",),
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_one_spike_per_rule_and_day_unless_it_doubles_across_nodes(
    tmp_path: Path, site: OutletServer, backend: str, request: pytest.FixtureRequest
) -> None:
    config = load_config(write_config(tmp_path, site, rules=[RULE])).model
    where = request.getfixturevalue("pg_url") if backend == "postgresql" else tmp_path / "x.db"
    node_a = open_store(where)
    node_b = open_store(where)  # another node sharing the database
    try:
        for n in range(5):
            _save(node_a, n)
        now = time.time()
        assert len(check_spikes(node_a, config, now)) == 1
        assert check_spikes(node_b, config, now) == []
        for n in range(5, 9):  # 9 stories: not yet double the 5 alerted on
            _save(node_a, n)
        assert check_spikes(node_b, config, now) == []
        _save(node_a, 9)  # 10: doubled
        (again,) = check_spikes(node_b, config, now)
        assert again.decision.today == 10
        assert check_spikes(node_a, config, now) == []
        keys = [p.key for p in node_a.recent_posts()]
        today = datetime.fromtimestamp(now, UTC).date().isoformat()
        assert keys == [f"spike:trans-caspian:{today}:1", f"spike:trans-caspian:{today}:0"]
    finally:
        node_a.close()
        node_b.close()


def test_daily_briefing_at_local_time_once_across_a_restart_with_its_chart(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    path = write_config(
        tmp_path,
        site,
        slack,
        rules=[RULE, {"name": "caspian", "query": "Caspian", "channel": "#caucasus"}],
        briefing={"time": "08:00", "timezone": "Asia/Almaty"},
        delivery={"max_per_hour": 1},  # the stored articles' alerts do not pace the briefing
    )
    store = open_store(tmp_path / "newsmon.db")
    for n in range(4):
        _save(store, n)
    store.close()
    zone = ZoneInfo("Asia/Almaty")
    today = datetime.now(zone).date()
    at = datetime(today.year, today.month, today.day, 8, 0, tzinfo=zone)
    before, after = (at - timedelta(minutes=1)).timestamp(), (at + timedelta(minutes=1)).timestamp()

    daemon = Daemon(App(load_config(path)))
    assert daemon.briefings(now=before) == []  # not yet 08:00 in Almaty
    assert daemon.briefings(now=after) == [f"briefing:#caucasus:{today.isoformat()}"]
    delivered = daemon.app.deliver_pending(timeout=20)
    assert delivered.report is not None and delivered.report.posts == 1

    def briefings() -> list:
        return [m for m in slack.top_level("#caucasus") if m.text.startswith("Daily briefing")]

    (message,) = briefings()
    assert message.text.startswith(f"Daily briefing #caucasus {today.isoformat()}")
    blocks = " ".join(str(b) for b in message.blocks or [])
    assert "Top stories" in blocks and "https://x.test/0" in blocks
    (chart,) = slack.files("#caucasus")  # through getUploadURLExternal, upload, complete
    assert chart.channel_id == slack.channel_id("#caucasus")
    assert chart.filename == f"mentions-caucasus-{today.isoformat()}.png"
    assert chart.content.startswith(PNG_SIGNATURE) and chart.length == len(chart.content)
    (tmp_path / "chart.png").write_bytes(chart.content)
    pixels = matplotlib.image.imread(tmp_path / "chart.png")
    assert pixels.shape[0] > 200 and pixels.shape[1] > 400  # a real image, not a stub
    methods = [m for m, _ in slack.calls]
    assert methods.index("files.getUploadURLExternal") < methods.index("upload")
    assert methods.index("upload") < methods.index("files.completeUploadExternal")

    # a restart (a new daemon on the same database) an hour later: no second briefing today
    restarted = Daemon(App(load_config(path)))
    assert restarted.briefings(now=after + 3600) == []
    restarted.app.deliver_pending(timeout=5)
    assert len(briefings()) == 1 and len(slack.files()) == 1
    # the next day's comes at its own 08:00
    assert restarted.briefings(now=after + 86400) == [
        f"briefing:#caucasus:{(today + timedelta(days=1)).isoformat()}"
    ]


def test_the_stand_in_checks_file_uploads_the_way_slack_does(slack: SlackStandIn) -> None:
    import urllib.error
    import urllib.request

    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=TOKEN, base_url=slack.base_url)
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.api_call("files.getUploadURLExternal", params={"filename": "a.png"})
    got = client.files_getUploadURLExternal(filename="a.png", length=4)
    with pytest.raises(SlackApiError, match="file_upload_incomplete"):  # step 2 skipped
        client.files_completeUploadExternal(files=[{"id": got["file_id"]}])
    with pytest.raises(urllib.error.HTTPError):  # not the announced size
        urllib.request.urlopen(urllib.request.Request(got["upload_url"], data=b"12345"))
    urllib.request.urlopen(urllib.request.Request(got["upload_url"], data=b"1234"))
    with pytest.raises(SlackApiError, match="channel_not_found"):
        client.files_completeUploadExternal(files=[{"id": got["file_id"]}], channel_id="CNOSUCH01")
    posted = client.chat_postMessage(channel="#caucasus", text="hi")
    assert posted["channel"] == slack.channel_id("#caucasus")  # a post answers with the id
    done = client.files_completeUploadExternal(
        files=[{"id": got["file_id"], "title": "A"}], channel_id=posted["channel"]
    )
    assert done["files"][0]["id"] == got["file_id"]
    assert [f.content for f in slack.files("#caucasus")] == [b"1234"]
    with pytest.raises(SlackApiError, match="file_not_found"):  # completed once only
        client.files_completeUploadExternal(files=[{"id": got["file_id"]}])


def test_trend_messages_stay_within_slack_limits() -> None:
    from alerts.spikes import assess
    from alerts.trend_messages import Briefing, SpikeReport, briefing_blocks, spike_blocks
    from newsmon.demo.slack_standin import block_kit_problem
    from storage import StorySummary

    stories = [
        StorySummary(
            n, "A very long headline " * 12, f"https://x.test/{'p' * 150}/{n}",
            tuple(f"outlet-{i}" for i in range(9)), ("en", "ru"), 9, ("trans-caspian",),
        )
        for n in range(16)
    ]  # fmt: skip
    report = SpikeReport(
        "trans-caspian", "#caucasus", "2026-03-01", assess(40, [3] * 14), 9, 2.5, stories
    )
    briefing = Briefing("#caucasus", "2026-03-01", 24, stories, {"trans-caspian": 144})
    for blocks in (spike_blocks(report), briefing_blocks(briefing)):
        assert block_kit_problem(blocks) is None
        texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
        assert all(t.count("<") == t.count(">") for t in texts)  # no link cut in half


def test_a_rule_added_later_is_counted_over_the_archive_once(
    tmp_path: Path, site: OutletServer
) -> None:
    """Stored before the rule existed: two corridor stories a day for ten days, five today. The
    rule's history is counted before its first look (once), so today is judged against it —
    not against a silent past that would make any five stories a spike."""
    config = write_config(tmp_path, site, rules=[RULE], concepts={"CARGO": ["cargo", "freight"]})
    now = datetime.now(UTC)
    store = open_store(tmp_path / "newsmon.db")
    try:
        for n in range(25):  # stored with no rule configured: nothing counted
            published = now - timedelta(days=0 if n < 5 else 1 + (n - 5) // 2)
            store.save_article(corridor_article(n, published))
    finally:
        store.close()
    first = newsmon("--config", str(config), "trends", "--all")
    assert first.returncode == 0, first.stderr
    assert "@CARGO, trans-caspian: counted 48 mention(s) in 25 stored article(s)" in first.stderr
    assert "0 of 1 rule(s) rising" in first.stdout
    assert "trans-caspian: 5 stories (usually 1.4)" in first.stdout
    again = newsmon("--config", str(config), "trends")
    assert "Mentions:" not in again.stderr  # once
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        counted = dict(conn.execute("SELECT subject, sum(articles) FROM mention_counts GROUP BY 1"))
    assert counted["trans-caspian"] == 25 and 0 < counted["@CARGO"] <= 25
