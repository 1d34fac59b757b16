"""Flood control and digests, Block Kit limits, incoming webhooks and thread replies after an
uncertain send — through the real slack-sdk clients against the local Slack stand-in."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from alerts.dispatch_report import hour_of
from alerts.dispatcher import Dispatcher
from alerts.messages import build_digest, build_message
from alerts.notifiers import Notifier, RoutingNotifier, SlackNotifier, WebhookNotifier
from newsmon.demo.slack_standin import Fault, SlackStandIn, block_kit_problem
from storage import AlertDraft, NewArticle, OutboxAlert
from storage.sqlite import SQLiteStore
from tests.conftest import TOKEN
from tests.test_dispatcher import add, statuses


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore.open(tmp_path / "alerts.db")
    yield s
    s.close()


class Clock:
    """The dispatcher's clock: its waits (pacing, retries) advance it instead of passing."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


def fast(store: SQLiteStore, notifier: Notifier) -> Dispatcher:
    clock = Clock()
    return Dispatcher(store, notifier, clock=clock, sleep=clock.sleep)


def test_flood_control_holds_the_rest_of_the_hour_for_one_digest(
    store: SQLiteStore, slack: SlackStandIn
) -> None:
    # 10:15 UTC on some day: the digest of the 10:00 hour goes out once 11:00 has passed
    clock = Clock(1_795_000_000 - 1_795_000_000 % 3600 + 900)
    for n in range(6):
        add(store, n, rules=("azerbaijan",))
    add(store, 50, rules=("azerbaijan", "c5-plus-one"))  # its second rule is under its limit
    add(store, 60, channel="#central-asia")  # another channel has its own count
    d = Dispatcher(
        store,
        SlackNotifier(TOKEN, slack.base_url),
        max_per_hour=2,
        rule_limits={"c5-plus-one": 5},
        clock=clock,
        sleep=lambda s: None,
        per_channel_interval=0,
    )
    report = d.run_once()
    top = slack.top_level("#caucasus")
    assert [m.text.split(" — ")[0] for m in top] == ["Story 0", "Story 1", "Story 50"]
    assert len(slack.top_level("#central-asia")) == 1
    assert len(report.held) == 4
    assert statuses(store).count("held") == 4

    clock.now += 1800  # 10:45: still inside the hour, nothing more goes out
    d.run_once()
    assert len(slack.messages) == 4

    clock.now += 1800  # 11:15: the 10:00 digest is due
    report = d.run_once()
    assert report.digests == 1 and len(report.sent) == 4
    digest = slack.messages[-1]
    assert digest.channel == "#caucasus" and digest.thread_ts is None
    assert digest.blocks is not None and block_kit_problem(digest.blocks) is None
    assert digest.blocks[0]["text"]["text"] == "4 more alerts (azerbaijan)"
    body = json.dumps(digest.blocks)
    for n in (2, 3, 4, 5):
        assert f"https://outlet.test/{n}/" in body and f"https://outlet.test/{n}/" in digest.text
    assert statuses(store).count("held") == 0
    d.run_once()
    assert len(slack.messages) == 5  # the digest is sent once


def test_digest_is_retried_and_not_doubled(store: SQLiteStore, slack: SlackStandIn) -> None:
    clock = Clock(1_795_000_000 - 1_795_000_000 % 3600 + 60)
    for n in range(3):
        add(store, n)
    d = Dispatcher(
        store,
        SlackNotifier(TOKEN, slack.base_url, timeout=1),
        max_per_hour=1,
        clock=clock,
        sleep=lambda s: None,
    )
    d.run_once()
    clock.now += 3600
    # Slack takes the digest but answers too late: the next attempt finds it in the history
    slack.fail(Fault(stall=2.0, record=True, times=1))
    report = d.run_once()
    assert report.digests == 0 and statuses(store).count("held") == 2
    clock.now += 600
    report = d.run_once()
    assert report.digests == 1
    assert len(slack.messages) == 2  # one alert, one digest: not two digests
    assert statuses(store) == ["sent"] * 3


def test_messages_stay_within_block_kit_limits() -> None:
    huge = OutboxAlert(
        id=1,
        article_id=1,
        story_id=1,
        channel="#c",
        rules=tuple(f"rule-{i}" for i in range(300)),
        snippet="word " * 2000,
        status="pending",
        attempts=0,
        last_error=None,
        url="https://outlet.test/" + "x" * 500,
        title="Headline " * 200,
        source="s" * 300,
        published="2026-11-27T10:00:00+00:00",
        language="en",
    )
    message = build_message(huge)
    assert block_kit_problem(message.blocks) is None
    assert len(message.text) <= 3000
    alerts = [
        replace(huge, id=i, url=f"https://outlet.test/{i}/" + "y" * 200, rules=("a",))
        for i in range(1, 600)
    ]
    digest = build_digest("#c", "2026-11-27T10", alerts)
    assert block_kit_problem(digest.blocks) is None and len(digest.blocks) <= 50
    assert "more: `newsmon search`" in json.dumps(digest.blocks)


def test_block_kit_check_rejects_what_slack_would() -> None:
    """The check above is the stand-in's own, independent of the builders' limits: it passes
    a section at Slack's 3000 characters and rejects one character more, or an uncut snippet."""

    def section(text: str) -> dict[str, Any]:
        return {"type": "section", "text": {"type": "mrkdwn", "text": text}}

    assert block_kit_problem([section("z" * 3000)]) is None
    assert block_kit_problem([section("z" * 3001)]) is not None
    assert block_kit_problem([section("> " + "word " * 2000)]) is not None
    assert block_kit_problem([section("z")] * 51) is not None


def test_incoming_webhook_delivery(store: SQLiteStore, slack: SlackStandIn) -> None:
    add(store, 1, fingerprint="same")
    add(store, 2, fingerprint="same")  # another outlet's copy of the story
    add(store, 3, channel="#central-asia")
    notifier = RoutingNotifier(
        {"#caucasus": WebhookNotifier(slack.webhook_url("caucasus"))},
        SlackNotifier(TOKEN, slack.base_url),
        "no route",
    )
    slack.fail(Fault(status=429, headers={"Retry-After": "0.5"}, method="webhook", times=1))
    report = fast(store, notifier).drain(15)
    assert sorted(report.sent) == [1, 2, 3]
    hooked = [m for m in slack.messages if m.channel == "webhook:caucasus"]
    assert [m.text.split(" — ")[0] for m in hooked] == ["Story 1", "↳ same story: Story 2"]
    assert [m.channel for m in slack.messages if m.channel != "webhook:caucasus"] == [
        "#central-asia"
    ]


def test_webhook_permanent_error_is_dead(store: SQLiteStore, slack: SlackStandIn) -> None:
    add(store, 1)
    slack.fail(Fault(status=404, error="no_service", method="webhook", times=1))
    notifier = RoutingNotifier({"#caucasus": WebhookNotifier(slack.webhook_url("x"))}, None, "-")
    report = fast(store, notifier).drain(5)
    assert report.dead == [1] and "no_service" in store.failed_alerts()[0].last_error


def test_channel_without_route_waits(store: SQLiteStore) -> None:
    add(store, 1)
    report = Dispatcher(store, RoutingNotifier({}, None, "$SLACK_BOT_TOKEN is not set")).run_once()
    assert report.retried == [1] and statuses(store) == ["pending"]


def test_reply_timed_out_after_send_is_found_in_its_thread(
    store: SQLiteStore, slack: SlackStandIn
) -> None:
    add(store, 1, fingerprint="same")
    d = fast(store, SlackNotifier(TOKEN, slack.base_url, timeout=1))
    d.drain(5)  # the first copy opens the story's thread
    add(store, 2, fingerprint="same")
    # the reply reaches Slack but its answer comes too late; it is not in the channel history
    # (replies never are), so the dispatcher must look inside the thread
    slack.fail(Fault(stall=2.0, record=True, times=1))
    d.drain(15)
    replies = [m for m in slack.messages if m.thread_ts]
    assert len(replies) == 1 and replies[0].thread_ts == slack.messages[0].ts
    assert statuses(store) == ["sent", "sent"]


def test_hour_of() -> None:
    assert hour_of(0) == "1970-01-01T00"
    assert hour_of(time.time()) <= hour_of(time.time() + 3600)


def test_held_and_digest_states_survive_a_new_store(tmp_path: Path, slack: SlackStandIn) -> None:
    path = tmp_path / "a.db"
    s1 = SQLiteStore.open(path)
    for n in range(3):
        s1.save_article(
            NewArticle(
                url=f"https://o.test/{n}/", source="s", title=f"T{n}", text="x", fingerprint=f"f{n}"
            ),
            alerts=(AlertDraft("#c", ("r",), "x"),),
        )
    clock = Clock(1_795_000_000 - 1_795_000_000 % 3600 + 10)
    Dispatcher(
        s1, SlackNotifier(TOKEN, slack.base_url), max_per_hour=1, clock=clock, sleep=lambda s: None
    ).run_once()
    s1.close()
    s2 = SQLiteStore.open(path)  # a restart: the held alerts are still there for the digest
    clock.now += 3600
    report = Dispatcher(
        s2, SlackNotifier(TOKEN, slack.base_url), max_per_hour=1, clock=clock, sleep=lambda s: None
    ).run_once()
    assert report.digests == 1 and len(slack.messages) == 2
    s2.close()


def test_a_flood_of_copies_folds_into_one_summary_reply(
    store: SQLiteStore, slack: SlackStandIn
) -> None:
    for n in range(15):  # fifteen outlets carry one story
        add(store, n, fingerprint="same")
    clock = Clock()
    d = Dispatcher(
        store,
        SlackNotifier(TOKEN, slack.base_url),
        max_replies_per_hour=10,
        clock=clock,
        sleep=clock.sleep,
    )
    report = d.drain(60)
    assert sorted(report.sent) == list(range(1, 16)) and report.folded == 4
    (top,) = slack.top_level("#caucasus")
    replies = slack.replies(top.ts)
    assert len(replies) == 11  # ten copies, then one summary reply for the rest
    summary = replies[-1]
    assert summary.edits == 3  # posted with the 11th copy, updated with the 12th to 14th
    assert summary.text.startswith("+ 4 more outlets carried this story")
    assert "https://outlet.test/14/" in json.dumps(summary.blocks)
    assert statuses(store) == ["sent"] * 15
    # an hour later the thread takes replies again
    clock.now += 3601
    add(store, 99, fingerprint="same")
    d.drain(5)
    assert len(slack.replies(top.ts)) == 12
