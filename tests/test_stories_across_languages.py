"""One story across languages, for real: an English and a Russian outlet carry the same events;
a crawl with story vectors on (the multilingual embedding model in the crawl) stores each event's
copies under one story, and Slack gets one top-level message per event and channel, the other
language's copy as a thread reply naming its language and outlet, the top-level message updated
to list the languages."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from tests.conftest import cli_env, newsmon, source, write_config

SUMMIT_EN = "/2025/10/28/tokayev-backs-azerbaijan-to-join-central-asia-u-s-summit/"
SUMMIT_RU = "/novosti/2025/10/28/tokaev-azerbaijan-sammit-centralnaya-aziya-ssha/"
CARGO_KK = "/2025/10/24/kazakhstan-azerbaijan-caspian-cargo/"
CARGO_RU = "/novosti/2025/10/24/kazahstan-azerbajdzhan-kaspij-gruzy/"


def test_one_top_level_message_per_event_and_channel_across_languages(
    tmp_path: Path, outlet: OutletServer, slack: SlackStandIn
) -> None:
    sources = [source(outlet, "steppe-herald"), source(outlet, "stepnoy-vestnik", "/novosti")]
    config = write_config(tmp_path, outlet, slack, sources=sources)
    result = newsmon("--config", str(config), "crawl", env=cli_env(NEWSMON_STORY_VECTORS="1"))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        story = dict(conn.execute("SELECT url, story_id FROM articles").fetchall())
    assert len(story) == 7
    assert story[outlet.url(SUMMIT_EN)] == story[outlet.url(SUMMIT_RU)]
    assert story[outlet.url(CARGO_KK)] == story[outlet.url(CARGO_RU)]
    assert story[outlet.url(SUMMIT_EN)] != story[outlet.url(CARGO_KK)]
    assert len(set(story.values())) == 5  # the other three English articles stand alone

    # one top-level message per story and channel; the second language replies in its thread
    for channel, events in (("#caucasus", 2), ("#central-asia", 1)):
        top = slack.top_level(channel)
        assert len(top) == events, [m.text for m in top]
        for message in top:
            replies = slack.replies(message.ts)
            assert len(replies) == 1, [m.text for m in replies]
            reply = json.dumps(replies[0].blocks, ensure_ascii=False)
            named = re.search(r"↳ _(\w+), ([\w-]+):_", reply)
            assert named is not None, reply
            top_source = "steppe-herald" if named[2] == "stepnoy-vestnik" else "stepnoy-vestnik"
            assert top_source in json.dumps(message.blocks)
            # the top-level message was updated to list both languages, in arrival order
            assert message.edits == 1
            listed = re.search(
                r" · in (\w+), (\w+)", json.dumps(message.blocks, ensure_ascii=False)
            )
            assert listed is not None and listed[2] == named[1]
            assert {listed[1], listed[2]} in ({"English", "Russian"}, {"Kazakh", "Russian"})
    assert len(slack.messages) == 6

    # search collapses the copies by story; export keeps one line per article
    found = newsmon("--config", str(config), "search", "--by-story", "Tokayev OR Токаев")
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert sum(f"story {story[outlet.url(SUMMIT_EN)]} " in line for line in lines) == 1
    assert any(line.strip().startswith("also ") for line in lines)
    assert {"en/ru", "ru/en"} & {w for line in lines for w in line.split()}
    exported = newsmon("--config", str(config), "export", "--format", "jsonl")
    records = [json.loads(x) for x in exported.stdout.splitlines()]
    assert len(records) == 7
    assert (
        len(
            {
                r["story_id"]
                for r in records
                if r["url"] in (outlet.url(SUMMIT_EN), outlet.url(SUMMIT_RU))
            }
        )
        == 1
    )
