"""The crawl's article writer: batches written in one transaction by a thread of its own, each
article with its own outcome, on a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

import storage.sqlite.connection as connection
from crawler.store_batches import StoreBatches
from storage import ArticleSave, DatabaseBusy, NewArticle, StorageError, open_store


def article(n: int, source: str | None = "herald") -> NewArticle:
    return NewArticle(
        url=f"https://outlet.test/{n}",
        source=source,  # type: ignore[arg-type]
        title=f"Title {n}",
        text=f"Text of article {n} " * 20,
        fingerprint=f"fp-{n}",
    )


def test_articles_of_one_window_are_one_batch_written_beside_the_crawl(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    crawl_store = open_store(db)
    writers: set[str] = set()

    def own_store():  # type: ignore[no-untyped-def]
        writers.add(threading.current_thread().name)
        return open_store(db)

    batches = StoreBatches(lambda: crawl_store, own_store, window=0.05)

    async def crawl() -> list[object]:
        saves = [batches.save(ArticleSave(article(n))) for n in range(5)]
        broken = batches.save(ArticleSave(article(9, source=None)))  # violates NOT NULL
        lines = batches.learn_lines("herald", {"k": "Share this"}, 1)
        return await asyncio.gather(*saves, broken, lines, return_exceptions=True)

    *stored, broken, reached = asyncio.run(crawl())
    batches.close()
    assert batches.batches == 1
    assert all(getattr(r, "is_new", False) for r in stored)
    assert isinstance(broken, StorageError)
    assert reached == {"k"}
    assert writers and threading.current_thread().name not in writers
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    crawl_store.close()


def test_a_batch_fills_before_its_window(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    crawl_store = open_store(db)
    batches = StoreBatches(lambda: crawl_store, lambda: open_store(db), window=60.0, size=4)

    async def crawl() -> list[object]:
        return await asyncio.wait_for(
            asyncio.gather(*(batches.save(ArticleSave(article(n))) for n in range(8))), 10
        )

    assert len(asyncio.run(crawl())) == 8  # two full batches, no 60 s wait
    assert batches.batches == 2
    batches.close()
    crawl_store.close()


def test_a_failed_write_fails_every_article_of_its_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.2)
    db = tmp_path / "x.db"
    crawl_store = open_store(db)
    batches = StoreBatches(lambda: crawl_store, lambda: open_store(db), window=0.01)
    locker = sqlite3.connect(db, timeout=0)
    locker.execute("BEGIN EXCLUSIVE")  # another writer holds the database

    async def crawl() -> list[object]:
        saves = (batches.save(ArticleSave(article(n))) for n in range(3))
        return await asyncio.gather(*saves, return_exceptions=True)

    try:
        results = asyncio.run(crawl())
    finally:
        locker.rollback()
        locker.close()
    assert len(results) == 3 and all(isinstance(r, DatabaseBusy) for r in results)
    assert batches.batches == 1
    batches.close()
    crawl_store.close()
