"""The SQLite connection every concern of the backend shares: WAL, a busy timeout, write
transactions that take the lock up front, migrations, and how driver errors translate.

Every write runs in a ``BEGIN IMMEDIATE`` transaction, so concurrent writers (the daemon and an
on-demand ``scrapy crawl``) queue on SQLite's busy timeout instead of failing with "database is
locked" when a deferred transaction tries to upgrade its lock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.errors import DatabaseBusy, StorageError
from storage.sqlite.schema import migrations

BUSY_TIMEOUT_S = 30.0


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def rules_of(value: str | None) -> tuple[str, ...]:
    """The ``rules`` column (a JSON list of rule names) as a tuple."""
    return tuple(json.loads(value or "[]"))


def translated(exc: sqlite3.Error) -> StorageError:
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return DatabaseBusy(f"the database stayed locked by another writer: {text}")
    return StorageError(f"database error: {text}")


class Connection:
    """The open database: ``self.db`` (sqlite-utils) and ``self.transaction()``."""

    def __init__(self, db: Database, path: Path | None = None) -> None:
        self.db = db
        self.path = path

    @classmethod
    def connect(cls, path: str | Path) -> Database:
        path = Path(path)
        memory = str(path) == ":memory:"
        if not memory:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        db = Database(conn)
        if not memory:
            with db.ensure_autocommit_on():
                conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        return db

    def migrate(self) -> None:
        if not migrations.pending(self.db):
            return
        with self.transaction():
            # Under the write lock, sqlite-utils re-reads what is pending (another process may
            # have migrated meanwhile) and applies each migration with its record in a savepoint.
            migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """A write transaction that takes the write lock up front (``BEGIN IMMEDIATE``)."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def rows(self, sql: str, args: Any = ()) -> list[dict[str, Any]]:
        """A query's rows as dicts (inside the backend only)."""
        cur = self.db.execute(sql, list(args))
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
