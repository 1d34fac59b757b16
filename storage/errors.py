"""Backend-neutral storage errors: no driver exception (sqlite3, psycopg) crosses the interface."""

from __future__ import annotations


class StorageError(Exception):
    """The database could not do what was asked. ``str()`` is the message for the user."""


class QueryError(StorageError):
    """A search query the database cannot run (syntax)."""


class DatabaseBusy(StorageError):
    """Another writer held the database for longer than the busy timeout."""


class UnsupportedDatabase(StorageError):
    """A database location no backend serves, or an operation this backend does not offer."""
