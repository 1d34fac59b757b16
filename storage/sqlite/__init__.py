"""The SQLite backend (the embedded default), through sqlite-utils: one class per concern,
joined into :class:`SQLiteStore`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.errors import guard_public_methods
from storage.sqlite.articles import Articles
from storage.sqlite.boilerplate import Boilerplate
from storage.sqlite.connection import Connection, translated
from storage.sqlite.crawls import Crawls
from storage.sqlite.datasette import Browse
from storage.sqlite.deliveries import Deliveries
from storage.sqlite.fleet import Fleet
from storage.sqlite.joins import Joins
from storage.sqlite.outbox import Outbox
from storage.sqlite.schedule import Schedule
from storage.sqlite.search import Search
from storage.sqlite.status import Status
from storage.sqlite.trends import Trends


class SQLiteStore(
    Articles,
    Search,
    Boilerplate,
    Crawls,
    Outbox,
    Schedule,
    Status,
    Browse,
    Fleet,
    Trends,
    Deliveries,
    Joins,
):
    """A newsmon database in one SQLite file. Open with :meth:`open`; close with :meth:`close`."""

    threadsafe = False  # one connection: one thread at a time

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> SQLiteStore:
        """Open (creating the file if needed) and migrate; a file that is not a newsmon
        database, or a damaged one, raises :class:`storage.errors.StorageError`."""
        db = None
        try:
            db = Connection.connect(path)
            store = cls(db, Path(path))
            if migrate:
                store.migrate()
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            raise translated(exc) from None
        return store


# No sqlite3 exception crosses the interface: every public method translates them.
guard_public_methods(SQLiteStore, sqlite3.Error, translated)

__all__ = ["SQLiteStore"]
