"""One event first seen as two stories: a later report close to both, sharing a figure with
both, joins them — the later story's articles, alerts and threads move into the earlier one,
the join is recorded, and an id another process still holds lands in the kept story. Stories
that share no figure, or disagree on one, stay apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storage import AlertDraft, Storage, ThreadJoin, open_store
from tests.storage.conftest import add, article
from tests.storage.test_story_vectors import unit


def save(store: Storage, n: int, vector: np.ndarray, *evidence: str) -> tuple[int, int]:
    """Store report ``n`` with an alert to #news: (its story, its alert)."""
    result = store.save_article(
        article(n, source=f"outlet{n}", vector=vector.tobytes(), evidence=evidence),
        alerts=[AlertDraft("#news", ("recall",), f"snippet {n}")],
        mentions=["recall"],
    )
    assert result.story_id is not None and result.alert_ids
    return result.story_id, result.alert_ids[0]


def send_all(store: Storage) -> None:
    """Deliver every due alert as Slack would: a story's first opens its thread."""
    for alert in store.due_alerts(1e12):
        thread = store.thread_for(alert.story_id, alert.channel)
        store.mark_sent(alert, f"{alert.id}.0", thread)


def split_event(seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two reports too far apart to join (cosine 0.80), and one between them (0.95 to each)."""
    one = unit(seed)
    two = unit(seed + 1, one, 0.80)
    bridge = (one + two) / np.linalg.norm(one + two)
    return one, two, bridge.astype(np.float32)


def test_a_report_close_to_both_halves_of_a_split_event_joins_them(store: Storage) -> None:
    one, two, bridge = split_event()
    first, first_alert = save(store, 1, one, "n:12000")
    later, later_alert = save(store, 2, two, "n:12000")
    assert first < later
    send_all(store)  # two top-level messages: 1.0 and 2.0
    story, _ = save(store, 3, bridge, "n:12000", "p:bkt")
    assert story == first
    stored = [store.article_by_url(article(n, source=f"outlet{n}").url) for n in (1, 2, 3)]
    assert {a.story_id for a in stored if a} == {first} and all(stored)
    assert store.kept_story(later) == first and store.kept_story(first) == first
    moved = store.outbox_alert(later_alert)
    assert moved is not None and moved.story_id == first
    # the later top-level message is to point to the kept thread; nothing else opens one
    assert store.thread_joins() == [
        ThreadJoin(later, first, "#news", f"{later_alert}.0", later_alert)
    ]
    assert store.thread_for(first, "#news") == f"{first_alert}.0"
    assert store.thread_for(later, "#news") is None
    (due,) = store.due_alerts(1e12)
    assert due.story_id == first  # the bridging report replies in the kept thread
    (join,) = store.thread_joins()
    store.mark_thread_join(join, False, "ratelimited")
    assert store.thread_joins()[0].attempts == 1
    store.mark_thread_join(join, True)
    assert store.thread_joins() == []


def test_halves_that_share_no_figure_or_disagree_on_one_stay_apart(store: Storage) -> None:
    one, two, bridge = split_event()
    first, _ = save(store, 1, one)
    later, _ = save(store, 2, two)
    assert save(store, 3, bridge)[0] in (first, later)  # it joins one: no figure to join on
    assert store.kept_story(later) == later
    one, two, bridge = split_event(10)
    a, _ = save(store, 11, one, "n:500", "t:09:00")
    b, _ = save(store, 12, two, "n:500", "t:17:30")
    assert save(store, 13, bridge, "n:500")[0] in (a, b)  # two times of day: two events
    assert store.kept_story(b) == b
    assert store.article_by_url(article(12, source="outlet12").url).story_id == b  # type: ignore[union-attr]


def test_a_later_story_joins_with_its_threads_and_chains_flatten(store: Storage) -> None:
    s1 = add(store, 1, "#b").story_id
    s2 = add(store, 2, "#a").story_id
    s3 = add(store, 3).story_id
    assert s1 is not None and s2 is not None and s3 is not None
    send_all(store)
    a_ts = store.thread_for(s2, "#a")
    assert store.join_stories(s2, s1)
    assert store.thread_for(s1, "#a") == a_ts  # only the later story had a thread there
    assert store.thread_joins() == []
    assert store.join_stories(s3, s2)  # s2 is s1 now
    assert store.kept_story(s3) == s1 and store.kept_story(s2) == s1
    assert not store.join_stories(s2, s1)
    stored = [store.article_by_url(article(n).url) for n in (1, 2, 3)]
    assert {a.story_id for a in stored if a} == {s1} and all(stored)


def test_another_process_s_story_id_lands_in_the_kept_story(
    store: Storage, store_location: Path | str
) -> None:
    one, two, bridge = split_event()
    first, _ = save(store, 1, one, "n:12000")
    later, _ = save(store, 2, two, "n:12000")
    other = open_store(store_location)  # another crawl: its index holds both stories
    try:
        assert save(other, 4, unit(4), "n:7")[0] not in (first, later)
        assert save(store, 3, bridge, "n:12000")[0] == first
        # close to the later half only, in the other process: the kept story
        assert save(other, 5, unit(5, two, 0.97), "n:12000")[0] == first
    finally:
        other.close()


def test_a_copy_sent_top_level_while_its_story_joined_points_to_the_kept_thread(
    store: Storage,
) -> None:
    s1 = add(store, 1).story_id
    send_all(store)  # story 1 opens its thread
    s2 = add(store, 2).story_id
    assert s1 is not None and s2 is not None
    (late,) = store.due_alerts(1e12)  # story 2's alert, read before the join
    assert late.story_id == s2
    assert store.join_stories(s2, s1)  # (story 2 had no thread yet: nothing to point)
    assert store.thread_joins() == []
    store.mark_sent(late, "9.0", None)  # it went out top-level all the same
    assert store.thread_joins() == [ThreadJoin(s2, s1, "#news", "9.0", late.id)]
    kept = store.thread_alert(s1, "#news")
    assert kept is not None and store.thread_for(s1, "#news") == f"{kept.id}.0"
