"""The PostgreSQL connection pool every concern of the backend shares, and driver errors
translated (no psycopg type or exception leaves the backend; the URL's password never appears
in a message)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from storage.errors import DatabaseBusy, DatabaseUnreachable, QueryError, StorageError, redact
from storage.postgres.schema import migrate

CONNECTION_WAIT_S = 10.0  # a server restart shorter than this is waited out without an error


def translated(exc: psycopg.Error) -> StorageError:
    text = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    if isinstance(exc, psycopg.errors.LockNotAvailable | psycopg.errors.DeadlockDetected):
        return DatabaseBusy(f"the database was busy: {text}")
    if isinstance(exc, psycopg.errors.SyntaxError):
        return QueryError(text)
    if isinstance(exc, psycopg.OperationalError):
        return DatabaseUnreachable(f"cannot reach the database: {text}")
    return StorageError(f"database error: {text}")


class PgConnection:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    @staticmethod
    def connect(url: str, max_size: int = 8) -> ConnectionPool:
        # one plain connection first: a server that is down or refuses us says so at once
        # (the pool would retry until its timeout)
        psycopg.connect(url, connect_timeout=10).close()
        # Each connection is checked as it is handed out: one broken by a server restart is
        # replaced then, instead of failing the first statement after the restart. A statement
        # waits at most CONNECTION_WAIT_S for a connection, then the database is unreachable.
        pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            timeout=CONNECTION_WAIT_S,
            open=False,
        )
        pool.open(wait=True, timeout=30)
        return pool

    def migrate(self) -> None:
        with self.pool.connection() as conn:
            migrate(conn)

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        with self.pool.connection() as conn, conn.transaction():
            yield conn

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql, list(args))
            return list(cur.fetchall())

    def one(self, sql: str, args: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self.pool.connection() as conn:
            return conn.execute(sql, list(args)).fetchone()

    def one_row(self, sql: str, args: Sequence[Any] = ()) -> tuple[Any, ...]:
        """The first row of a query that always has one (an aggregate)."""
        row = self.one(sql, args)
        assert row is not None
        return row

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.pool.connection() as conn:
            return conn.execute(sql, list(args)).fetchall()

    def run(self, sql: str, args: Sequence[Any] = ()) -> int:
        with self.transaction() as conn:
            return conn.execute(sql, list(args)).rowcount
