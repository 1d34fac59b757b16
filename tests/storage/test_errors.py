"""Failures cross the interface as storage errors, never as sqlite3 exceptions."""

from __future__ import annotations

import inspect
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storage import (
    AlertDraft,
    ArticleSave,
    DatabaseBusy,
    FetchUpdate,
    OutboxAlert,
    PageTemplate,
    PostDraft,
    QueryError,
    ScheduleEntry,
    Storage,
    StorageError,
    ThreadFold,
    ThreadJoin,
    UnsupportedDatabase,
    open_store,
)
from storage.interface import Storage as StorageProtocol
from storage.sqlite import SQLiteStore
from tests.storage.conftest import article

ALERT = OutboxAlert(1, 1, 1, "#news", ("r",), "", "pending", 0, None, "u", None, "herald")

# One call per public method that reaches the database (close and browse_target do not).
CALLS: dict[str, Callable[[Storage], Any]] = {
    "is_known": lambda s: s.is_known("k"),
    "remember_url": lambda s: s.remember_url("k", "herald", "article"),
    "save_article": lambda s: s.save_article(article(1), alerts=[AlertDraft("#a", ("r",))]),
    "save_articles": lambda s: s.save_articles([ArticleSave(article(1))]),
    "article": lambda s: s.article(1),
    "article_by_url": lambda s: s.article_by_url("https://example.org/1"),
    "articles": lambda s: list(s.articles()),
    "article_times": lambda s: s.article_times("herald"),
    "recent_texts": lambda s: s.recent_texts("herald", 5),
    "stored_texts": lambda s: s.stored_texts(0, 5),
    "backfill_mentions": lambda s: s.backfill_mentions([(1, ["r"])]),
    "backfilled_subjects": lambda s: s.backfilled_subjects(),
    "mark_backfilled": lambda s: s.mark_backfilled(["r"]),
    "revise_article": lambda s: s.revise_article(
        1, text="t", fingerprint=None, linked=(), alerts=()
    ),
    "search": lambda s: s.search("ferry"),
    "boilerplate_keys": lambda s: s.boilerplate_keys("herald", 2),
    "learn_lines": lambda s: s.learn_lines("herald", {"k": "line"}, 2),
    "fetch_state": lambda s: s.fetch_state("u"),
    "save_fetch_states": lambda s: s.save_fetch_states({"u": FetchUpdate(etag="e")}),
    "start_run": lambda s: s.start_run("herald"),
    "finish_run": lambda s: s.finish_run(1, status="finished", reason="r", stats={}),
    "record_error": lambda s: s.record_error(None, "herald", "u", "http", "500"),
    "last_run": lambda s: s.last_run("herald"),
    "due_alerts": lambda s: s.due_alerts(0.0),
    "next_alert_due": lambda s: s.next_alert_due(),
    "claim_alert": lambda s: s.claim_alert(1, 0.0, 60.0),
    "extend_claim": lambda s: s.extend_claim(1, 60.0, 120.0),
    "mark_sent": lambda s: s.mark_sent(ALERT, "1.0", None),
    "mark_retry": lambda s: s.mark_retry(1, 0.0, "e"),
    "mark_dead": lambda s: s.mark_dead(1, "e"),
    "thread_for": lambda s: s.thread_for(1, "#news"),
    "story_languages": lambda s: s.story_languages(1, "#news"),
    "thread_alert": lambda s: s.thread_alert(1, "#news"),
    "replies_sent_since": lambda s: s.replies_sent_since(1, "#news", "2000"),
    "claim_source": lambda s: s.claim_source("herald", "node-a", 0.0, 60.0),
    "release_source": lambda s: s.release_source("herald", "node-a"),
    "add_to_schedule": lambda s: s.add_to_schedule([ScheduleEntry("herald", 60.0, 0.0)]),
    "claim_due": lambda s: s.claim_due("node-a", ["herald"], 0.0, 60.0, 5),
    "release_leases": lambda s: s.release_leases("node-a"),
    "reserve_post": lambda s: s.reserve_post("#news", 0.0, 1.0),
    "heartbeat": lambda s: s.heartbeat("node-a", "host", 1, 0.0, 0.0),
    "fleet": lambda s: s.fleet(),
    "fold_for": lambda s: s.fold_for(1, "#news"),
    "mark_folded": lambda s: s.mark_folded(ALERT, ThreadFold(1, "#news", "1.0", ())),
    "top_level_sent_since": lambda s: s.top_level_sent_since("#news", "r", "2000"),
    "hold_alert": lambda s: s.hold_alert(1, "2026-03-01T10"),
    "due_digests": lambda s: s.due_digests("2026-03-01T10", 0.0),
    "claim_digest": lambda s: s.claim_digest("#news", "2026-03-01T10", 0.0, 60.0),
    "mark_digest_sent": lambda s: s.mark_digest_sent([1], "1.0"),
    "release_digest": lambda s: s.release_digest([1], 0.0, "e"),
    "schedule": lambda s: s.schedule(),
    "save_schedule": lambda s: s.save_schedule(ScheduleEntry("herald", 60.0, 0.0)),
    "add_notice": lambda s: s.add_notice("#ops", "herald", "k", "t"),
    "due_notices": lambda s: s.due_notices(0.0),
    "mark_notice": lambda s: s.mark_notice(1, "sent"),
    "recent_notices": lambda s: s.recent_notices(),
    "alert_counts": lambda s: s.alert_counts(),
    "failed_alerts": lambda s: s.failed_alerts(),
    "source_summaries": lambda s: s.source_summaries(),
    "daily_mentions": lambda s: s.daily_mentions("2026-01-01", "2026-01-31"),
    "mention_counts": lambda s: s.mention_counts("2026-01-01", "2026-01-31"),
    "mention_days": lambda s: s.mention_days(["r"]),
    "page_templates": lambda s: s.page_templates("herald"),
    "save_page_template": lambda s: s.save_page_template(PageTemplate("herald", "k", "{}", 3)),
    "delete_page_template": lambda s: s.delete_page_template("herald", "k"),
    "note_delivery": lambda s: s.note_delivery("desk", 1.0),
    "delivery_states": lambda s: s.delivery_states(),
    "top_stories": lambda s: s.top_stories(["r"]),
    "mention_titles": lambda s: s.mention_titles("r", "2026-01-01", "2026-01-31"),
    "add_post": lambda s: s.add_post(PostDraft("k", "spike", "#news", "r", "2026-01-01", 1, "t")),
    "post_exists": lambda s: s.post_exists("k"),
    "latest_post": lambda s: s.latest_post("spike", "r", "2026-01-01"),
    "recent_posts": lambda s: s.recent_posts(),
    "due_posts": lambda s: s.due_posts(0.0),
    "claim_post": lambda s: s.claim_post(1, 0.0, 60.0),
    "extend_post_claim": lambda s: s.extend_post_claim(1, 60.0, 120.0),
    "mark_post": lambda s: s.mark_post(1, "sent"),
    "join_stories": lambda s: s.join_stories(2, 1),
    "kept_story": lambda s: s.kept_story(2),
    "thread_joins": lambda s: s.thread_joins(),
    "mark_thread_join": lambda s: s.mark_thread_join(ThreadJoin(2, 1, "#news", "1.0", 1), True),
    "outbox_alert": lambda s: s.outbox_alert(1),
}


@pytest.mark.parametrize("query", ['"unclosed', "AND", "ferry NOT", "title:"])
def test_unparsable_search_raises_query_error(store: Storage, query: str) -> None:
    store.save_article(article(1, text="The ferry to Baku"))
    with pytest.raises(QueryError):
        store.search(query)


def test_every_database_method_is_covered_here() -> None:
    public = {n for n, _ in inspect.getmembers(StorageProtocol, inspect.isfunction)}
    public = {n for n in public if not n.startswith("_")}
    assert set(CALLS) == public - {"close", "browse_target"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_no_sqlite3_error_escapes_a_closed_store(tmp_path: Path, name: str) -> None:
    store = open_store(tmp_path / "x.db")
    store.close()
    with pytest.raises(StorageError):  # a sqlite3.ProgrammingError would fail the test
        CALLS[name](store)


def test_writing_under_another_writers_lock_raises_database_busy(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    open_store(path).close()
    store = open_store(path)
    assert isinstance(store, SQLiteStore)
    store.db.conn.execute("PRAGMA busy_timeout=100")  # the backend's own: fail fast
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseBusy):
            store.remember_url("k", "herald", "not_article")
        other.execute("ROLLBACK")
        store.remember_url("k", "herald", "not_article")  # the store still works afterwards
        assert store.is_known("k")
    finally:
        other.close()
        store.close()


def test_opening_a_file_that_is_no_database_raises_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages of a database\n" * 200)
    with pytest.raises(StorageError):
        open_store(path)


def test_opening_a_corrupted_database_raises_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    store = open_store(path)
    for n in range(20):
        store.save_article(article(n, text="word " * 500))
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * (len(data) - 100))  # header kept, pages garbage
    with pytest.raises(StorageError):
        open_store(path)


def test_a_database_url_no_backend_serves_raises_unsupported_database() -> None:
    with pytest.raises(UnsupportedDatabase, match="mysql"):
        open_store("mysql://x/y")


def test_an_unreachable_postgresql_server_is_a_storage_error_without_the_password() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StorageError) as caught:
        open_store(f"postgresql://newsmon:s3cret-pw@127.0.0.1:{port}/newsmon")
    assert "s3cret-pw" not in str(caught.value)
    assert not isinstance(caught.value, UnsupportedDatabase)


def test_browse_target_names_the_file_and_its_search_table(tmp_path: Path) -> None:
    store = open_store(tmp_path / "news.db")
    try:
        target = store.browse_target()
    finally:
        store.close()
    assert Path(target.path) == tmp_path / "news.db"
    assert target.name == "news"
    articles = target.metadata["databases"]["news"]["tables"]["articles"]
    assert articles["fts_table"] == "articles_fts"
