"""Articles: stored once by canonical URL, the URL keys that led to them, their stories."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import AlertDraft, ArticleRecord, ArticleSave, SaveResult, Storage, open_store
from storage.errors import StorageError
from storage.rows import URL_ARTICLE, URL_NOT_ARTICLE
from tests.storage.conftest import article

ALERT = AlertDraft("#news", ("rule-a",), "snippet")


def url_status(path: Path, key: str) -> tuple[str, int | None]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT status, article_id FROM urls WHERE url = ?", [key]).fetchone()


def test_second_save_of_a_canonical_url_is_not_new(store: Storage) -> None:
    first = store.save_article(article(1))
    second = store.save_article(article(1, title="Edited title"))
    assert first.is_new and first.article_id is not None
    assert not second.is_new and second.alert_ids == ()
    assert [a.title for a in store.articles()] == ["Title 1"]


def test_a_duplicate_enqueues_no_alert(store: Storage) -> None:
    store.save_article(article(1), alerts=[ALERT])
    again = store.save_article(article(1), alerts=[ALERT, AlertDraft("#other", ("r",))])
    assert again.alert_ids == ()
    assert len(store.due_alerts(now=1e12)) == 1


def test_url_keys_of_a_duplicate_are_remembered(store: Storage) -> None:
    store.save_article(article(1), url_keys=["https://outlet.test/a"])
    assert not store.is_known("https://outlet.test/a?utm=x")
    store.save_article(article(1), url_keys=["https://outlet.test/a?utm=x"])
    assert store.is_known("https://outlet.test/a?utm=x")


def test_remember_url_makes_a_key_known(store: Storage) -> None:
    assert not store.is_known("https://outlet.test/about")
    store.remember_url("https://outlet.test/about", "herald", URL_NOT_ARTICLE)
    assert store.is_known("https://outlet.test/about")


@pytest.mark.sqlite  # reads the file from outside
def test_an_article_key_is_never_downgraded(store: Storage, tmp_path: Path) -> None:
    saved = store.save_article(article(1), url_keys=["k"])
    store.remember_url("k", "herald", URL_NOT_ARTICLE)
    assert url_status(tmp_path / "x.db", "k") == (URL_ARTICLE, saved.article_id)


@pytest.mark.sqlite  # reads the file from outside
def test_a_not_article_key_becomes_an_article_key(store: Storage, tmp_path: Path) -> None:
    store.remember_url("k", "herald", URL_NOT_ARTICLE)
    saved = store.save_article(article(1), url_keys=["k"])
    assert url_status(tmp_path / "x.db", "k") == (URL_ARTICLE, saved.article_id)


def test_identical_fingerprint_joins_the_same_story(store: Storage) -> None:
    first = store.save_article(article(1, fingerprint="same"))
    copy = store.save_article(article(2, fingerprint="same"))
    assert copy.is_new and copy.story_id == first.story_id


def test_different_text_starts_a_new_story(store: Storage) -> None:
    first = store.save_article(article(1))
    other = store.save_article(article(2, text="Something else entirely"))
    assert first.story_id is not None and other.story_id is not None
    assert other.story_id != first.story_id


@pytest.mark.sqlite  # reads the file from outside
def test_a_duplicate_leaves_no_empty_story(store: Storage, tmp_path: Path) -> None:
    store.save_article(article(1, fingerprint=None))
    store.save_article(article(1, fingerprint=None))
    with sqlite3.connect(tmp_path / "x.db") as conn:
        assert conn.execute("SELECT count(*) FROM stories").fetchone() == (1,)


def test_article_returns_the_record(store: Storage) -> None:
    saved = store.save_article(article(7, author="A. Writer", language="en"))
    assert saved.article_id is not None
    record = store.article(saved.article_id)
    assert isinstance(record, ArticleRecord)
    assert (record.id, record.url, record.author, record.language, record.story_id) == (
        saved.article_id,
        "https://outlet.test/herald/7",
        "A. Writer",
        "en",
        saved.story_id,
    )
    assert store.article(saved.article_id + 1) is None


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Storage, list[int]]]:
    """1,100 articles, every third of source "wire", the rest of "herald"."""
    s = open_store(tmp_path_factory.mktemp("many") / "x.db")
    ids = []
    for n in range(1100):
        saved = s.save_article(article(n, source="wire" if n % 3 == 0 else "herald"))
        assert saved.article_id is not None
        ids.append(saved.article_id)
    yield s, ids
    s.close()


def test_articles_pages_through_all_in_id_order(many: tuple[Storage, list[int]]) -> None:
    store, ids = many
    assert [a.id for a in store.articles()] == sorted(ids)


def test_articles_of_one_source_page_through_in_id_order(
    many: tuple[Storage, list[int]],
) -> None:
    store, ids = many
    herald = [a for a in store.articles("herald")]
    assert len(herald) == 733
    assert [a.id for a in herald] == [i for n, i in enumerate(ids) if n % 3 != 0]
    assert {a.source for a in herald} == {"herald"}


def test_article_times_of_a_source_with_a_limit(store: Storage) -> None:
    before = int(time.time())
    for n in range(3):
        store.save_article(article(n))
    store.save_article(article(9, source="wire"))
    times = store.article_times("herald")
    assert len(times) == 3
    assert all(before <= t <= time.time() for t in times)
    assert len(store.article_times("herald", limit=2)) == 2
    assert store.article_times("nobody") == []


def test_a_batch_is_stored_in_order_with_its_alerts(store: Storage) -> None:
    results = store.save_articles(
        [
            ArticleSave(article(1), url_keys=("https://outlet.test/1",), alerts=(ALERT,)),
            ArticleSave(article(2), mentions=("rule-a",)),
            ArticleSave(article(1, title="Again")),  # already stored, earlier in this batch
        ]
    )
    first, second, again = results
    assert isinstance(first, SaveResult) and first.is_new and len(first.alert_ids) == 1
    assert isinstance(second, SaveResult) and second.is_new
    assert isinstance(again, SaveResult) and not again.is_new
    assert [a.title for a in store.articles()] == ["Title 1", "Title 2"]
    assert store.is_known("https://outlet.test/1")
    assert len(store.due_alerts(now=1e12)) == 1


def test_an_article_that_fails_in_a_batch_is_rolled_back_alone(store: Storage) -> None:
    broken = article(2, source=None)  # violates NOT NULL: its statements fail
    results = store.save_articles(
        [
            ArticleSave(article(1), alerts=(ALERT,)),
            ArticleSave(broken, url_keys=("https://outlet.test/broken",), alerts=(ALERT,)),
            ArticleSave(article(3), alerts=(ALERT,)),
        ]
    )
    assert isinstance(results[1], StorageError)
    assert all(isinstance(r, SaveResult) and r.is_new for r in (results[0], results[2]))
    assert [a.title for a in store.articles()] == ["Title 1", "Title 3"]
    assert not store.is_known("https://outlet.test/broken")
    assert len(store.due_alerts(now=1e12)) == 2
