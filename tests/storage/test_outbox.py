"""The alert outbox: enqueued with the article, leased, sent into threads, retried, dead; and
flood control's held alerts and hourly digests."""

from __future__ import annotations

from storage import AlertDraft, OutboxAlert, Storage
from tests.storage.conftest import add, article

NOW = 1_000_000.0
HOUR = "2026-03-01T10"


def only(alerts: list[OutboxAlert]) -> OutboxAlert:
    assert len(alerts) == 1
    return alerts[0]


def due(store: Storage, alert_id: int) -> OutboxAlert:
    """The due alert ``alert_id`` (it must be due)."""
    return only([a for a in store.due_alerts(NOW) if a.id == alert_id])


def test_one_alert_per_draft_with_its_rules(store: Storage) -> None:
    saved = store.save_article(
        article(1),
        alerts=[AlertDraft("#a", ("r1", "r2"), "snip"), AlertDraft("#b", ("r3",))],
    )
    queued = store.due_alerts(NOW)
    assert [a.id for a in queued] == list(saved.alert_ids) and len(queued) == 2
    assert [(a.channel, a.rules, a.snippet) for a in queued] == [
        ("#a", ("r1", "r2"), "snip"),
        ("#b", ("r3",), ""),
    ]
    assert {(a.article_id, a.story_id, a.status, a.url) for a in queued} == {
        (saved.article_id, saved.story_id, "pending", "https://outlet.test/herald/1")
    }


def test_due_alerts_oldest_first_with_a_limit(store: Storage) -> None:
    ids = [add(store, n).alert_ids[0] for n in range(3)]
    assert [a.id for a in store.due_alerts(NOW)] == ids
    assert [a.id for a in store.due_alerts(NOW, limit=2)] == ids[:2]


def test_later_alert_of_a_story_waits_for_the_first(store: Storage) -> None:
    first = add(store, 1, "#news", "#other", fingerprint="same").alert_ids
    second = add(store, 2, "#news", fingerprint="same").alert_ids
    assert [a.id for a in store.due_alerts(NOW)] == list(first)
    store.mark_sent(due(store, first[0]), "1.1", None)
    assert [a.id for a in store.due_alerts(NOW)] == [first[1], second[0]]


def test_a_claim_holds_for_its_lease(store: Storage) -> None:
    alert_id = add(store, 1).alert_ids[0]
    assert store.claim_alert(alert_id, now=NOW, lease=60)
    assert not store.claim_alert(alert_id, now=NOW + 30, lease=60)
    assert store.due_alerts(NOW + 30) == []
    again = only(store.due_alerts(NOW + 61))
    assert (again.status, again.attempts) == ("sending", 1)
    assert store.claim_alert(alert_id, now=NOW + 61, lease=60)


def test_a_claim_is_extended_only_by_its_holder(store: Storage) -> None:
    alert_id = add(store, 1).alert_ids[0]
    now = NOW + 0.123456789  # a lease end that is not a round number keeps its value exactly
    assert store.claim_alert(alert_id, now=now, lease=2)
    assert store.extend_claim(alert_id, now + 2, now + 9)  # waiting for the channel's turn
    assert not store.claim_alert(alert_id, now=now + 5, lease=2)  # still held
    assert store.claim_alert(alert_id, now=now + 10, lease=2)  # the lease ran out: taken
    assert not store.extend_claim(alert_id, now + 9, now + 20)  # no longer the first one's


def test_a_sent_alert_is_never_claimed(store: Storage) -> None:
    alert = due(store, add(store, 1).alert_ids[0])
    store.mark_sent(alert, "1.1", None)
    assert not store.claim_alert(alert.id, now=NOW, lease=60)
    assert store.due_alerts(NOW) == []


def test_top_level_send_opens_the_thread(store: Storage) -> None:
    alert = due(store, add(store, 1).alert_ids[0])
    assert store.thread_for(alert.story_id, "#news") is None
    store.mark_sent(alert, "111.1", None)
    assert store.thread_for(alert.story_id, "#news") == "111.1"
    assert store.thread_for(alert.story_id, "#other") is None


def test_a_reply_opens_no_thread(store: Storage) -> None:
    alert = due(store, add(store, 1).alert_ids[0])
    store.mark_sent(alert, "222.2", "111.1")
    assert store.thread_for(alert.story_id, "#news") is None


def test_mark_retry_delays_and_records_the_error(store: Storage) -> None:
    alert_id = add(store, 1).alert_ids[0]
    store.claim_alert(alert_id, now=NOW, lease=60)
    store.mark_retry(alert_id, NOW + 300, "HTTP 503")
    assert store.due_alerts(NOW + 299) == []
    retried = only(store.due_alerts(NOW + 300))
    assert (retried.status, retried.last_error, retried.attempts) == ("pending", "HTTP 503", 1)
    assert store.next_alert_due() == NOW + 300


def test_a_dead_alert_is_not_due(store: Storage) -> None:
    alert_id = add(store, 1).alert_ids[0]
    store.mark_dead(alert_id, "channel_not_found")
    assert store.due_alerts(NOW) == []
    assert store.next_alert_due() is None
    assert not store.claim_alert(alert_id, now=NOW, lease=60)


def test_next_alert_due_is_the_earliest_pending(store: Storage) -> None:
    assert store.next_alert_due() is None
    a, b = (add(store, n).alert_ids[0] for n in range(2))
    store.mark_retry(a, NOW + 50, "x")
    store.mark_retry(b, NOW + 20, "x")
    assert store.next_alert_due() == NOW + 20


def held(store: Storage, *numbers: int, channel: str = "#news", hour: str = HOUR) -> list[int]:
    ids = [add(store, n, channel).alert_ids[0] for n in numbers]
    for alert_id in ids:
        store.hold_alert(alert_id, hour)
    return ids


def test_held_alerts_are_not_due_alone(store: Storage) -> None:
    held(store, 1)
    assert store.due_alerts(NOW) == []
    assert store.next_alert_due() is None


def test_a_digest_is_due_only_after_its_hour(store: Storage) -> None:
    held(store, 1, 2)
    held(store, 3, channel="#other", hour="2026-03-01T11")
    assert store.due_digests("2026-03-01T10", NOW) == []
    assert store.due_digests("2026-03-01T11", NOW) == [("#news", HOUR)]
    assert store.due_digests("2026-03-01T12", NOW) == [
        ("#news", HOUR),
        ("#other", "2026-03-01T11"),
    ]


def test_claim_digest_leases_its_alerts(store: Storage) -> None:
    ids = held(store, 1, 2)
    claimed = store.claim_digest("#news", HOUR, NOW, lease=60)
    assert [a.id for a in claimed] == ids
    assert {(a.status, a.attempts) for a in claimed} == {("digest_sending", 1)}
    assert store.claim_digest("#news", HOUR, NOW + 30, lease=60) == []
    assert store.due_digests("2026-03-01T11", NOW + 30) == []
    assert [a.id for a in store.claim_digest("#news", HOUR, NOW + 61, lease=60)] == ids


def test_a_sent_digest_is_done(store: Storage) -> None:
    ids = held(store, 1, 2)
    store.claim_digest("#news", HOUR, NOW, lease=60)
    store.mark_digest_sent(ids, "9.9")
    assert store.due_digests("2026-03-01T11", NOW + 1e6) == []
    assert store.claim_digest("#news", HOUR, NOW + 1e6, lease=60) == []
    assert store.alert_counts().sent == 2


def test_a_released_digest_waits_until_when(store: Storage) -> None:
    ids = held(store, 1, 2)
    store.claim_digest("#news", HOUR, NOW, lease=60)
    store.release_digest(ids, NOW + 600, "HTTP 429")
    assert store.due_digests("2026-03-01T11", NOW + 599) == []
    assert store.due_digests("2026-03-01T11", NOW + 600) == [("#news", HOUR)]
    again = store.claim_digest("#news", HOUR, NOW + 600, lease=60)
    assert [(a.id, a.last_error, a.attempts) for a in again] == [(i, "HTTP 429", 2) for i in ids]


def test_top_level_sent_since_counts_top_level_sends_of_the_rule(store: Storage) -> None:
    top = add(store, 1, rules=("r1", "r2"), fingerprint="story").alert_ids[0]
    reply = add(store, 2, rules=("r1",), fingerprint="story").alert_ids[0]
    digest = add(store, 3, rules=("r1",)).alert_ids[0]
    add(store, 4, rules=("r1",))  # never sent
    for n, channel, rules in ((5, "#news", ("r3",)), (6, "#other", ("r1",))):
        store.mark_sent(due(store, add(store, n, channel, rules=rules).alert_ids[0]), "x", None)
    store.mark_sent(due(store, top), "1.0", None)
    store.mark_sent(due(store, reply), "2.0", "1.0")
    store.hold_alert(digest, HOUR)
    store.claim_digest("#news", HOUR, NOW, lease=60)
    store.mark_digest_sent([digest], "3.0")

    since = "2000-01-01T00:00:00"
    assert store.top_level_sent_since("#news", "r1", since) == 1
    assert store.top_level_sent_since("#news", "r2", since) == 1
    assert store.top_level_sent_since("#news", "r3", since) == 1
    assert store.top_level_sent_since("#other", "r1", since) == 1
    assert store.top_level_sent_since("#news", "r9", since) == 0
    assert store.top_level_sent_since("#news", "r1", "2999-01-01T00:00:00") == 0


def test_a_story_thread_knows_its_top_alert_and_languages(store: Storage) -> None:
    draft = [AlertDraft("#news", ("r",))]
    first = store.save_article(article(1, language="en", fingerprint="same"), alerts=draft)
    second = store.save_article(article(2, language="ru", fingerprint="same"), alerts=draft)
    third = store.save_article(article(3, language="ru", fingerprint="same"), alerts=draft)
    assert first.story_id == second.story_id == third.story_id is not None
    story = first.story_id
    assert (
        store.thread_alert(story, "#news") is None and store.story_languages(story, "#news") == ()
    )
    store.mark_sent(due(store, first.alert_ids[0]), "1.1", None)
    store.mark_sent(due(store, second.alert_ids[0]), "1.2", "1.1")
    store.mark_sent(due(store, third.alert_ids[0]), "1.3", "1.1")
    top = store.thread_alert(story, "#news")
    assert top is not None and top.id == first.alert_ids[0] and top.language == "en"
    assert store.story_languages(story, "#news") == ("en", "ru")
    assert store.story_languages(story, "#other") == ()
