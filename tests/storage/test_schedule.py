"""The daemon's per-source schedule, and its operational notices."""

from __future__ import annotations

from storage import Notice, ScheduleEntry, Storage

ENTRY = ScheduleEntry(
    source="herald",
    interval=900.0,
    next_due=1_000_900.0,
    failures=2,
    empty_runs=1,
    extraction_runs=3,
    last_started=1_000_000.0,
    last_success=999_000.0,
    last_new_article=998_000.0,
    last_error="HTTP 503",
    problems=("failing", "silent"),
    problems_since=997_000.0,
)


def test_schedule_round_trip(store: Storage) -> None:
    assert store.schedule() == {}
    store.save_schedule(ENTRY)
    assert store.schedule() == {"herald": ENTRY}


def test_schedule_of_one_source(store: Storage) -> None:
    other = ScheduleEntry("wire", 60.0, 5.0)
    store.save_schedule(ENTRY)
    store.save_schedule(other)
    assert store.schedule("wire") == {"wire": other}
    assert set(store.schedule()) == {"herald", "wire"}


def test_saving_again_replaces_the_entry(store: Storage) -> None:
    store.save_schedule(ENTRY)
    fresh = ScheduleEntry("herald", 300.0, 2_000_000.0)
    store.save_schedule(fresh)
    assert store.schedule() == {"herald": fresh}


def test_a_notice_with_a_channel_is_pending(store: Storage) -> None:
    notice_id = store.add_notice("#ops", "herald", "failing", "herald fails")
    [due] = store.due_notices(now=0.0)
    assert due.created_at
    assert due == Notice(
        notice_id, "#ops", "herald", "failing", "herald fails", "pending", 0, due.created_at
    )


def test_a_notice_without_a_channel_is_only_logged(store: Storage) -> None:
    notice_id = store.add_notice(None, "herald", "silent", "herald is silent")
    assert store.due_notices(now=1e12) == []
    [logged] = store.recent_notices()
    assert (logged.id, logged.channel, logged.status) == (notice_id, None, "logged")


def test_due_notices_oldest_first_with_a_limit(store: Storage) -> None:
    ids = [store.add_notice("#ops", "herald", "failing", f"n{i}") for i in range(3)]
    assert [n.id for n in store.due_notices(now=0.0)] == ids
    assert [n.id for n in store.due_notices(now=0.0, limit=2)] == ids[:2]


def test_a_sent_notice_is_no_longer_due(store: Storage) -> None:
    notice_id = store.add_notice("#ops", "herald", "failing", "text")
    store.mark_notice(notice_id, "sent", ts="123.4")
    assert store.due_notices(now=1e12) == []
    [sent] = store.recent_notices()
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)


def test_a_pending_notice_waits_until_when(store: Storage) -> None:
    notice_id = store.add_notice("#ops", "herald", "failing", "text")
    store.mark_notice(notice_id, "pending", when=500.0, error="HTTP 429")
    assert store.due_notices(now=499.0) == []
    [again] = store.due_notices(now=500.0)
    assert (again.id, again.attempts, again.last_error) == (notice_id, 1, "HTTP 429")


def test_recent_notices_newest_first(store: Storage) -> None:
    ids = [store.add_notice("#ops" if i % 2 else None, "herald", "k", f"n{i}") for i in range(4)]
    assert [n.id for n in store.recent_notices()] == ids[::-1]
    assert [n.id for n in store.recent_notices(limit=2)] == ids[:1:-1]
