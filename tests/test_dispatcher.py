"""Delivery through the real slack-sdk client against the local Slack stand-in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from alerts.dispatcher import LEASE_S, Dispatcher
from alerts.messages import AlertMessage, build_message
from alerts.notifiers import MAX_RETRY_AFTER_S, SlackNotifier, retry_wait
from alerts.retry_after import parse_retry_after
from newsmon.demo.slack_standin import Fault, SlackStandIn
from storage import AlertDraft, NewArticle
from storage.sqlite import SQLiteStore
from tests.conftest import TOKEN


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore.open(tmp_path / "alerts.db")
    yield s
    s.close()


def add(
    store: SQLiteStore,
    n: int,
    channel: str = "#caucasus",
    fingerprint: str | None = None,
    rules: tuple[str, ...] = ("azerbaijan",),
) -> int:
    result = store.save_article(
        NewArticle(
            url=f"https://outlet.test/{n}/",
            source="steppe-herald",
            title=f"Story {n}",
            text=f"Azerbaijan article number {n}",
            fingerprint=fingerprint or f"fp{n}",
        ),
        alerts=(AlertDraft(channel, rules, "*Azerbaijan* article"),),
    )
    assert result.alert_ids
    return result.alert_ids[0]


class FakeClock:
    """The dispatcher's clock: waits (pacing, retries) advance it instead of passing."""

    def __init__(self) -> None:
        self.now = time.time()
        self.slept = 0.0

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        self.slept += max(0.0, seconds)


class Timed(SlackNotifier):
    """The real Slack notifier, noting the dispatcher's clock at each post."""

    def __init__(self, clock: FakeClock, token: str, base_url: str, timeout: float) -> None:
        super().__init__(token, base_url, timeout=timeout)
        self.clock = clock
        self.sent_at: list[tuple[str, float]] = []

    def send(self, message: AlertMessage, thread_ts: str | None) -> str:
        ts = super().send(message, thread_ts)
        self.sent_at.append((message.channel, self.clock.time()))
        return ts


def dispatcher(
    store: SQLiteStore,
    slack: SlackStandIn,
    token: str = TOKEN,
    timeout: float = 5,
    clock: FakeClock | None = None,
) -> Dispatcher:
    clock = clock or FakeClock()
    notifier = Timed(clock, token, slack.base_url, timeout)
    return Dispatcher(store, notifier, clock=clock.time, sleep=clock.sleep)


def statuses(store: SQLiteStore) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT status FROM alerts ORDER BY id")]


def test_message_shape(store: SQLiteStore, slack: SlackStandIn) -> None:
    add(store, 1, rules=("azerbaijan", "trans-caspian"))
    dispatcher(store, slack).drain(10)
    (m,) = slack.messages
    assert m.text == "Story 1 — https://outlet.test/1/ (rules: azerbaijan, trans-caspian)"
    assert m.blocks and m.blocks[0]["text"]["text"] == "*<https://outlet.test/1/|Story 1>*"
    assert m.metadata == {
        "event_type": "newsmon_alert",
        "event_payload": {"alert_id": 1, "story_id": 1},
    }
    assert statuses(store) == ["sent"]


def test_one_top_level_message_per_story_and_channel(
    store: SQLiteStore, slack: SlackStandIn
) -> None:
    add(store, 1, fingerprint="same")
    add(store, 2, fingerprint="same")
    add(store, 3, fingerprint="same", channel="#central-asia")
    add(store, 4, fingerprint="other")
    dispatcher(store, slack).drain(20)
    top = slack.top_level("#caucasus")
    assert [m.text.split(" — ")[0] for m in top] == ["Story 1", "Story 4"]
    assert [m.text.split(" — ")[0] for m in slack.replies(top[0].ts)] == ["Story 2"]
    assert len(slack.top_level("#central-asia")) == 1


def test_rate_never_above_one_per_second_per_channel(
    store: SQLiteStore, slack: SlackStandIn
) -> None:
    for n in range(4):
        add(store, n)
    add(store, 10, channel="#central-asia")
    d = dispatcher(store, slack)
    d.drain(20)
    assert isinstance(d.notifier, Timed)
    times = [at for channel, at in d.notifier.sent_at if channel == "#caucasus"]
    assert len(times) == 4 and len(slack.messages) == 5
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 1.0, gaps


@pytest.mark.parametrize("retry_after", ["1", "1.5"])
def test_429_with_retry_after(store: SQLiteStore, slack: SlackStandIn, retry_after: str) -> None:
    add(store, 1)
    slack.fail(
        Fault(status=429, error="ratelimited", headers={"Retry-After": retry_after}, times=2)
    )
    clock = FakeClock()
    report = dispatcher(store, slack, clock=clock).drain(20)
    assert len(slack.messages) == 1 and statuses(store) == ["sent"]
    assert len(report.retried) == 2
    assert clock.slept >= 2 * float(retry_after)  # waited what Slack asked, twice


def test_server_errors_are_retried(store: SQLiteStore, slack: SlackStandIn) -> None:
    add(store, 1)
    slack.fail(Fault(status=500, times=1))
    d = dispatcher(store, slack)
    d.drain(10)
    assert statuses(store) == ["sent"] and len(slack.messages) == 1


def test_a_slack_outage_is_one_warning_and_one_line_back(
    store: SQLiteStore, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(1, 4):
        add(store, n)
    slack.fail(Fault(status=503, times=5))  # five tries fail, over a minute of backoff
    clock = FakeClock()
    caplog.set_level("INFO", logger="newsmon.dispatcher")
    report = dispatcher(store, slack, clock=clock).drain(600)
    assert statuses(store) == ["sent"] * 3 and len(report.retried) == 5
    down, back = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert down.startswith("Slack (#caucasus) is failing (alert ") and "HTTP 503" in down
    assert back.startswith("Slack (#caucasus) is taking alerts again after ")
    assert back.endswith("(5 failed attempt(s) meanwhile)")


@pytest.mark.parametrize("error", ["invalid_auth", "channel_not_found", "not_in_channel"])
def test_permanent_errors_go_to_dead_letter(
    store: SQLiteStore, slack: SlackStandIn, error: str
) -> None:
    add(store, 1)
    add(store, 2, channel="#other")
    slack.fail(Fault(error=error, times=1))
    report = dispatcher(store, slack).drain(10)
    assert statuses(store) == ["dead", "sent"]
    assert report.dead == [1]
    (dead,) = store.failed_alerts()
    assert error in dead.last_error


def test_wrong_token_is_dead_and_never_logged(
    store: SQLiteStore, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    add(store, 1)
    caplog.set_level("DEBUG")
    dispatcher(store, slack, token="xoxb-wrong-token-123").drain(5)
    assert statuses(store) == ["dead"]
    assert "xoxb-wrong-token-123" not in caplog.text


def test_timeout_after_send_is_not_sent_twice(store: SQLiteStore, slack: SlackStandIn) -> None:
    add(store, 1)
    # Slack takes the message, but the answer comes after the client has given up.
    slack.fail(Fault(stall=2.5, record=True, times=1))
    d = dispatcher(store, slack, timeout=1)
    d.drain(15)
    assert len(slack.messages) == 1
    assert statuses(store) == ["sent"]
    row = store.db.execute("SELECT message_ts FROM alerts").fetchone()
    assert row[0] == slack.messages[0].ts


def test_crash_between_send_and_mark_sent(store: SQLiteStore, slack: SlackStandIn) -> None:
    alert_id = add(store, 1)
    # A dispatcher claimed the alert and posted it, then died before recording the result.
    now = time.time()
    assert store.claim_alert(alert_id, now - LEASE_S - 1, LEASE_S)
    (alert,) = [a for a in store.due_alerts(now + LEASE_S) if a.id == alert_id]
    SlackNotifier(TOKEN, slack.base_url).send(build_message(alert), None)
    assert len(slack.messages) == 1
    # A new dispatcher (after a restart) finds it in the channel history instead of reposting.
    report = dispatcher(store, slack).drain(5)
    assert report.sent == [alert_id]
    assert len(slack.messages) == 1 and statuses(store) == ["sent"]


def test_two_dispatchers_do_not_double_send(tmp_path: Path, slack: SlackStandIn) -> None:
    a, b = SQLiteStore.open(tmp_path / "x.db"), SQLiteStore.open(tmp_path / "x.db")
    for n in range(3):
        add(a, n, channel=f"#c{n}")
    first = dispatcher(a, slack)
    alert = a.due_alerts(time.time())[0]
    assert a.claim_alert(alert.id, time.time(), LEASE_S)
    assert not b.claim_alert(alert.id, time.time(), LEASE_S)  # leased by the first
    first.drain(10)
    dispatcher(b, slack).drain(10)
    assert len(slack.messages) == 2  # the leased alert waits for its lease; no duplicates
    a.close()
    b.close()


def test_outage_then_recovery_loses_nothing(store: SQLiteStore, slack: SlackStandIn) -> None:
    for n in range(3):
        add(store, n, channel=f"#c{n}")
    slack.fail(Fault(status=503, times=3))
    d = dispatcher(store, slack)
    d.run_once()
    assert statuses(store) == ["pending"] * 3
    d.drain(15)
    assert statuses(store) == ["sent"] * 3 and len(slack.messages) == 3


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        ("1.5", 1.5),
        (" 0.25 ", 0.25),
        ("-5", 0.0),
        ("3599.5", 3599.5),
        ("3600", 3600.0),
        ("86400", MAX_RETRY_AFTER_S),  # a day: capped at the notifiers' ceiling
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_wait_caps_what_slack_asks_for(value: str | None, seconds: float | None) -> None:
    assert MAX_RETRY_AFTER_S == 3600.0
    assert retry_wait(value) == seconds


NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        ("1.5", 1.5),
        (" 0.25 ", 0.25),
        ("-5", 0.0),
        ("86400", 86400.0),  # no ceiling here: callers apply their own
        (b"7", 7.0),
        (b" 2.5 ", 2.5),
        ("Tue, 14 Nov 2023 22:14:20 GMT", 60.0),  # an HTTP date, a minute after NOW
        (b"Tue, 14 Nov 2023 22:14:20 GMT", 60.0),
        ("Tuesday, 14-Nov-23 22:15:20 GMT", 120.0),  # the obsolete RFC 850 form
        ("Tue, 14 Nov 2023 22:00:00 GMT", 0.0),  # in the past
        ("soon", None),
        (b"\xff\xfe", None),
        ("", None),
        (b"", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: bytes | str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def test_parse_retry_after_dates_default_to_the_current_time() -> None:
    soon = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 120))
    got = parse_retry_after(soon)
    assert got is not None and 110 <= got <= 121


def test_drain_deadline_holds_per_message_and_leaves_the_rest_queued(
    store: SQLiteStore, slack: SlackStandIn
) -> None:
    for n in range(40):
        add(store, n, fingerprint=f"story{n}")  # forty stories, one channel: 1 message/s
    clock = FakeClock()
    report = dispatcher(store, slack, clock=clock).drain(5)
    assert 4 <= len(report.sent) <= 6, report.sent  # five seconds' worth, not the backlog
    assert clock.slept <= 6
    assert statuses(store).count("pending") == 40 - len(report.sent)


def test_an_alert_waiting_for_its_channel_turn_stays_claimed(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    """A fleet's pace can put an alert's turn further off than its lease: the lease is
    extended before the wait, so a second dispatcher does not take the alert meanwhile and
    send it too."""
    a, b = SQLiteStore.open(tmp_path / "x.db"), SQLiteStore.open(tmp_path / "x.db")
    add(a, 1)
    clock = FakeClock()
    for _ in range(4):  # other nodes' messages to the channel: its next turn is 4 s off
        a.reserve_post("#caucasus", clock.now, 1.0)
    second = Dispatcher(b, Timed(clock, TOKEN, slack.base_url, 5), clock=clock.time, lease=2)

    def sleep(seconds: float) -> None:  # the first waits; past its 2 s lease the second looks
        clock.now += 2.5
        second.run_once()
        clock.now += max(0.0, seconds - 2.5)

    first = Dispatcher(
        a, Timed(clock, TOKEN, slack.base_url, 5), clock=clock.time, sleep=sleep, lease=2
    )
    first.run_once()
    assert len(slack.messages) == 1
    assert statuses(a) == ["sent"]
    a.close()
    b.close()


def test_a_dispatcher_that_wakes_late_for_its_turn_takes_a_later_one(
    store: SQLiteStore, slack: SlackStandIn
) -> None:
    """On a busy machine a dispatcher can wake well after its channel's turn; it then takes a
    later turn instead of posting right before the next dispatcher's message."""
    add(store, 1)
    clock = FakeClock()
    store.reserve_post("#caucasus", clock.now, 1.0)  # another message: the turn is 1 s off
    turns: list[float] = []
    reserve = store.reserve_post

    def noted(channel: str, now: float, interval: float) -> float:
        turns.append(reserve(channel, now, interval))
        return turns[-1]

    store.reserve_post = noted  # type: ignore[method-assign]

    def oversleep(seconds: float) -> None:
        clock.now += seconds + (0.4 if len(turns) == 1 else 0.0)  # late for the first turn only

    notifier = Timed(clock, TOKEN, slack.base_url, 5)
    Dispatcher(store, notifier, clock=clock.time, sleep=oversleep).run_once()
    assert len(turns) == 2 and turns[1] - turns[0] >= 1.0  # the late turn was given up
    ((_, sent_at),) = notifier.sent_at
    assert sent_at - turns[1] < 0.1
