"""One event, one thread, on news written apart from the thresholds: small outlets (en, ru
twice, kk) carry reports from the labelled set in ``bench/stories/harder/``, crawled once with
story vectors on. Each class the story decision has to get right is here, each in a Slack
channel of its own (the stand-in paces one message a second per channel):

- one event told in two languages and two scripts (two ferries ordered for the Aktau–Baku line,
  in English and Kazakh): one top-level alert, the other report in its thread;
- its follow-up a day later (the ferry contract signed after the agreement, in Russian): a
  top-level alert of its own, not a reply to the agreement;
- two events on one corridor in one language, from two Russian outlets (a grain tariff agreed by
  Kazakhstan and Turkmenistan; pipeline talks between Turkmenistan and Azerbaijan): two
  top-level alerts, neither threaded under the other;
- two reports that name almost nothing but their figures (a price freeze, in Russian and
  Kazakh): one thread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pytest

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import Posted, SlackStandIn
from tests.conftest import TOKEN, cli_env, newsmon, rss, write_config

HARDER = Path(__file__).resolve().parent.parent / "bench" / "stories" / "harder"
OUTLETS = {"en": "/steppe", "ru": "/vestnik", "ru2": "/kaspiy", "kk": "/dala"}
# event → the outlets (by OUTLETS key) that carry it, by the report's language
CARRIED = {
    "t01": {"en": "en", "kk": "kk"},
    "t04": {"ru": "ru"},
    "t07": {"ru": "ru2"},
    "t08": {"ru": "ru"},
    "f03": {"ru": "ru", "kk": "kk"},
}
RULES = [
    {"name": "ferries", "query": "ferr* OR паром*", "channel": "#ferries"},
    {"name": "corridor", "query": "тариф* OR газопровод*", "channel": "#corridor"},
    {"name": "prices", "query": "цен* OR бағас*", "channel": "#prices"},
]


@dataclass(frozen=True)
class Report:
    event: str
    lang: str
    path: str


@dataclass(frozen=True)
class Crawled:
    outlet: OutletServer
    slack: SlackStandIn
    reports: list[Report]
    stories: dict[str, int]  # url → story_id

    def event_of(self, message: Posted) -> str:
        """The event whose report a Slack message links to."""
        text = json.dumps(message.blocks) + message.text
        found = {r.event for r in self.reports if self.outlet.url(r.path) in text}
        assert len(found) == 1, (found, message.text)
        return found.pop()


def page(title: str, lead: str, published: str, lang: str) -> str:
    t, d = escape(title), escape(lead)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{t}</title>'
        f'<meta property="og:title" content="{t}"><meta property="og:description" content="{d}">'
        f'<meta property="article:published_time" content="{published}"></head><body><article>'
        f"<h1>{t}</h1><p>{d}</p><p>{t}. {d}</p><p>{d} ({t})</p></article></body></html>"
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    rows = [
        json.loads(line)
        for path in HARDER.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    tmp = tmp_path_factory.mktemp("one-thread")
    with OutletServer(root=None) as outlet, SlackStandIn(token=TOKEN) as slack:
        outlet.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        reports: list[Report] = []
        feeds: dict[str, list[str]] = {prefix: [] for prefix in OUTLETS.values()}
        for row in rows:
            carrier = CARRIED.get(row["event"], {}).get(row["lang"])
            if carrier is None:
                continue
            prefix = OUTLETS[carrier]
            path = f"{prefix}/{row['event']}-{row['lang']}/"
            outlet.set(path, page(row["title"], row["lead"], row["published"], row["lang"]))
            feeds[prefix].append(outlet.url(path))
            reports.append(Report(row["event"], row["lang"], path))
        sources = []
        for prefix, links in feeds.items():
            outlet.set(f"{prefix}/feed.xml", rss(*links), "application/rss+xml")
            sources.append(
                {
                    "name": prefix.strip("/"),
                    "url": outlet.url(prefix + "/"),
                    "feeds": [outlet.url(prefix + "/feed.xml")],
                    "delay": "0s",
                }
            )
        config = write_config(tmp, outlet, slack, sources=sources, rules=RULES)
        result = newsmon("--config", str(config), "crawl", env=cli_env(NEWSMON_STORY_VECTORS="1"))
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(tmp / "newsmon.db") as conn:
            stories = dict(conn.execute("SELECT url, story_id FROM articles").fetchall())
        assert len(stories) == len(reports) == 7
        yield Crawled(outlet, slack, reports, stories)


def story(crawled: Crawled, event: str) -> set[int]:
    return {
        crawled.stories[crawled.outlet.url(r.path)] for r in crawled.reports if r.event == event
    }


def threads(crawled: Crawled, channel: str) -> dict[str, list[str]]:
    """Each top-level alert's event → the events of the replies in its thread."""
    found: dict[str, list[str]] = {}
    for top in crawled.slack.top_level(channel):
        event = crawled.event_of(top)
        assert event not in found, f"a second top-level alert for {event}"
        found[event] = [crawled.event_of(m) for m in crawled.slack.replies(top.ts)]
    return found


def test_one_event_in_two_scripts_is_one_thread(crawled: Crawled) -> None:
    assert len(story(crawled, "t01")) == 1
    assert threads(crawled, "#ferries")["t01"] == ["t01"]


def test_the_follow_up_a_day_later_is_a_thread_of_its_own(crawled: Crawled) -> None:
    assert story(crawled, "t04").isdisjoint(story(crawled, "t01"))
    assert threads(crawled, "#ferries") == {"t01": ["t01"], "t04": []}


def test_two_events_on_one_corridor_in_one_language_are_two_threads(crawled: Crawled) -> None:
    assert story(crawled, "t07").isdisjoint(story(crawled, "t08"))
    assert threads(crawled, "#corridor") == {"t07": [], "t08": []}


def test_copies_that_name_little_are_one_thread(crawled: Crawled) -> None:
    assert len(story(crawled, "f03")) == 1
    assert threads(crawled, "#prices") == {"f03": ["f03"]}


def test_every_report_alerted_once(crawled: Crawled) -> None:
    posted = [
        m for m in crawled.slack.messages if m.channel in ("#ferries", "#corridor", "#prices")
    ]
    assert len(posted) == 7  # 5 top-level alerts, 2 replies
    assert sum(m.edits for m in posted) == 2  # each top-level with a reply lists both languages
