"""Mention counts kept as articles are matched (never a rescan), their reads, the backfill of
an older database, and the trend-message outbox (spike alerts, daily briefings)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import AlertDraft, PostDraft, Storage, open_store
from storage.days import mention_day
from storage.sqlite.schema import migrations
from tests.storage.conftest import article

DAY = "2026-03-01"


def save(store: Storage, n: int, source: str, subjects: tuple[str, ...], **fields: object) -> int:
    fields.setdefault("published", f"{DAY}T09:00:00+00:00")
    fields.setdefault("language", "en")
    result = store.save_article(
        article(n, source, **fields),
        alerts=[AlertDraft("#news", tuple(s for s in subjects if not s.startswith("@")))],
        mentions=subjects,
    )
    assert result.article_id is not None
    return result.article_id


def test_mention_day_is_the_publication_day_unless_in_the_future() -> None:
    stored = "2026-03-02T10:00:00+00:00"
    assert mention_day("2026-03-01T23:30:00-02:00", stored) == "2026-03-02"  # UTC day
    assert mention_day("2026-02-20", stored) == "2026-02-20"
    assert mention_day("2026-04-01T00:00:00Z", stored) == "2026-03-02"  # future: stored day
    assert mention_day("not a date", stored) == "2026-03-02"
    assert mention_day(None, stored) == "2026-03-02"


def test_counts_per_subject_day_source_and_language(store: Storage) -> None:
    save(store, 1, "herald", ("azerbaijan", "@BAKU"))
    save(store, 2, "herald", ("azerbaijan",), language="ru")
    save(store, 3, "wire", ("azerbaijan",))
    save(store, 4, "wire", ("corridor",), published="2026-02-28T12:00:00Z")
    store.save_article(article(3, "wire"), mentions=("azerbaijan",))  # a duplicate: not counted
    counts = {
        (c.subject, c.day, c.source, c.language): c.articles
        for c in store.mention_counts("2026-02-01", DAY)
    }
    assert counts == {
        ("@BAKU", DAY, "herald", "en"): 1,
        ("azerbaijan", DAY, "herald", "en"): 1,
        ("azerbaijan", DAY, "herald", "ru"): 1,
        ("azerbaijan", DAY, "wire", "en"): 1,
        ("corridor", "2026-02-28", "wire", "en"): 1,
    }
    daily = store.daily_mentions("2026-02-01", DAY, ["azerbaijan", "corridor"])
    assert [(d.subject, d.day, d.articles, d.stories, d.outlets) for d in daily] == [
        ("azerbaijan", DAY, 3, 3, 2),
        ("corridor", "2026-02-28", 1, 1, 1),
    ]
    assert store.mention_counts(DAY, DAY, []) == []


def test_mention_days_are_the_first_and_last_matched_day(store: Storage) -> None:
    assert store.mention_days() is None
    save(store, 1, "herald", ("ferry",), published="2026-02-27T09:00:00+00:00")
    save(store, 2, "wire", ("ferry", "summit"))
    save(store, 3, "wire", ("summit",), published="2026-03-04T09:00:00+00:00")
    assert store.mention_days() == ("2026-02-27", "2026-03-04")
    assert store.mention_days(["ferry"]) == ("2026-02-27", DAY)
    assert store.mention_days(["nothing"]) is None and store.mention_days([]) is None


def test_top_stories_most_outlets_first(store: Storage) -> None:
    # story A: three outlets, two languages (same fingerprint → same story); story B: one
    for n, source, lang in ((1, "herald", "en"), (2, "wire", "ru"), (3, "times", "en")):
        save(store, n, source, ("azerbaijan",), fingerprint="fp-a", language=lang)
    save(store, 4, "herald", ("azerbaijan", "corridor"), title="Lonely story")
    top = store.top_stories(["azerbaijan"], since_day=DAY, until_day=DAY)
    assert [(len(s.outlets), s.articles) for s in top] == [(3, 3), (1, 1)]
    assert top[0].title == "Title 1" and top[0].url == "https://outlet.test/herald/1"
    assert top[0].outlets == ("herald", "times", "wire") and top[0].languages == ("en", "ru")
    assert top[1].subjects == ("azerbaijan",)  # the subjects asked about
    both = store.top_stories(["azerbaijan", "corridor"], since_day=DAY, until_day=DAY)
    assert both[1].subjects == ("azerbaijan", "corridor") and both[1].articles == 1
    assert store.top_stories(["corridor"], since_day=DAY, until_day=DAY)[0].title == "Lonely story"
    assert store.top_stories(["azerbaijan"], since_day="2026-03-02") == []
    titles = store.mention_titles("azerbaijan", DAY, DAY)
    assert sorted(titles) == [(DAY, "Lonely story")] + [(DAY, f"Title {n}") for n in (1, 2, 3)]


def test_a_trend_message_is_queued_once_per_key(store: Storage) -> None:
    draft = PostDraft(
        key="spike:azerbaijan:2026-03-01:0",
        kind="spike",
        channel="#news",
        subject="azerbaijan",
        day=DAY,
        volume=7,
        text="Spike",
        blocks=({"type": "section", "text": {"type": "mrkdwn", "text": "hi"}},),
        filename="chart.png",
        file=b"\x89PNG data",
    )
    post_id = store.add_post(draft)
    assert post_id is not None
    assert store.add_post(draft) is None  # a second node, a restart: nothing new
    assert store.post_exists(draft.key) and not store.post_exists("other")
    (due,) = store.due_posts(100.0)
    assert (due.id, due.kind, due.volume, due.file, due.status) == (
        post_id,
        "spike",
        7,
        b"\x89PNG data",
        "pending",
    )
    assert due.blocks[0]["text"]["text"] == "hi"
    latest = store.latest_post("spike", "azerbaijan", DAY)
    assert latest is not None and latest.key == draft.key
    assert store.claim_post(post_id, 100.0, 45.0)
    assert not store.claim_post(post_id, 101.0, 45.0)  # leased to the first dispatcher
    assert store.extend_post_claim(post_id, 145.0, 160.0)  # waiting for its channel's turn
    assert not store.claim_post(post_id, 150.0, 45.0)
    assert not store.extend_post_claim(post_id, 145.0, 170.0)  # not the lease it holds now
    store.mark_post(post_id, "sending", ts="123.4", when=150.0)
    store.mark_post(post_id, "pending", when=200.0, error="rate limited")
    (again,) = store.due_posts(300.0)
    assert again.ts == "123.4" and again.last_error == "rate limited" and again.attempts == 1
    store.mark_post(post_id, "sent")
    assert store.due_posts(10**12) == []
    assert store.recent_posts()[0].status == "sent"


@pytest.mark.sqlite
def test_migration_backfills_counts_from_stored_alerts(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m011_mentions")  # a database from before the counts
    db.execute(
        "INSERT INTO articles (id, url, source, title, text, published, language, story_id, "
        "fetched_at) VALUES (1, 'u1', 'herald', 'T1', 'x', '2026-02-27T08:00:00Z', 'en', 1, "
        "'2026-02-27T09:00:00+00:00'), (2, 'u2', 'wire', 'T2', 'x', NULL, NULL, 2, "
        "'2026-02-28T09:00:00+00:00')"
    )
    db.execute(
        "INSERT INTO alerts (article_id, story_id, channel, rules, status) VALUES "
        "(1, 1, '#a', '[\"az\", \"corridor\"]', 'sent'), (1, 1, '#b', '[\"az2\"]', 'sent'), "
        "(2, 2, '#a', '[\"az\"]', 'pending')"
    )
    db.conn.commit()
    db.close()
    store = open_store(path)
    try:
        counts = {
            (c.subject, c.day, c.source, c.language): c.articles
            for c in store.mention_counts("2026-02-01", "2026-03-31")
        }
        assert counts == {
            ("az", "2026-02-27", "herald", "en"): 1,
            ("corridor", "2026-02-27", "herald", "en"): 1,
            ("az2", "2026-02-27", "herald", "en"): 1,
            ("az", "2026-02-28", "wire", ""): 1,
        }
    finally:
        store.close()


def _counts(store: Storage) -> dict[tuple[str, str, str], int]:
    return {
        (c.subject, c.day, c.source): c.articles
        for c in store.mention_counts("2026-01-01", "2026-12-31")
    }


def test_a_later_rule_is_backfilled_once_and_never_counted_twice(store: Storage) -> None:
    first = save(store, 1, "herald", ("azerbaijan",))
    second = save(store, 2, "wire", ())
    texts = store.stored_texts(0, 10)
    assert [(t.id, t.source) for t in texts] == [(first, "herald"), (second, "wire")]
    assert store.stored_texts(first, 10)[0].id == second
    assert store.backfilled_subjects() == set()
    # the new rule "corridor" matched both stored articles; "azerbaijan" is counted already
    found = [(first, ["corridor", "azerbaijan"]), (second, ["corridor"])]
    assert store.backfill_mentions(found) == 2
    assert store.backfill_mentions(found) == 0  # again (another node, a restart): no doubles
    store.mark_backfilled(["corridor", "azerbaijan"])
    store.mark_backfilled(["corridor"])
    assert store.backfilled_subjects() == {"corridor", "azerbaijan"}
    assert _counts(store) == {
        ("azerbaijan", DAY, "herald"): 1,
        ("corridor", DAY, "herald"): 1,
        ("corridor", DAY, "wire"): 1,
    }
    assert store.backfill_mentions([(999_999, ["corridor"])]) == 0  # a deleted article


def test_a_revised_article_counts_only_for_what_its_new_text_matches(store: Storage) -> None:
    kept = save(store, 1, "herald", ("azerbaijan", "@BAKU", "old-rule"))
    save(store, 2, "herald", ("azerbaijan",))
    # the learned line took "Baku" away; "old-rule" is no longer configured (not looked for)
    store.revise_article(
        kept,
        text="cleaned",
        fingerprint=None,
        linked=(),
        alerts=[AlertDraft("#news", ("azerbaijan",))],
        mentions=["azerbaijan", "corridor"],
        looked_for={"azerbaijan", "corridor", "@BAKU"},
    )
    assert _counts(store) == {
        ("azerbaijan", DAY, "herald"): 2,
        ("corridor", DAY, "herald"): 1,
        ("old-rule", DAY, "herald"): 1,
    }
    assert [d.subject for d in store.daily_mentions("2026-01-01", "2026-12-31")] == [
        "azerbaijan",
        "corridor",
        "old-rule",
    ]
