"""The PostgreSQL backend (teams and fleets: one shared database), through psycopg 3 with a
connection pool; one class per concern, joined into :class:`PostgresStore`."""

from __future__ import annotations

import psycopg

from storage.errors import DatabaseUnreachable, guard_public_methods, redact
from storage.postgres.articles import PgArticles
from storage.postgres.connection import PgConnection, translated
from storage.postgres.deliveries import PgDeliveries
from storage.postgres.fleet import PgFleet
from storage.postgres.joins import PgJoins
from storage.postgres.outbox import PgOutbox
from storage.postgres.records import PgRecords
from storage.postgres.search import PgSearch
from storage.postgres.trends import PgTrends


class PostgresStore(
    PgArticles, PgSearch, PgOutbox, PgRecords, PgFleet, PgTrends, PgDeliveries, PgJoins
):
    """A newsmon database on a PostgreSQL server. Open with :meth:`open`."""

    threadsafe = True  # every call takes a connection from the pool

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, pool_size: int = 8) -> PostgresStore:
        pool = None
        try:
            pool = PgConnection.connect(url, pool_size)
            store = cls(pool)
            if migrate:
                store.migrate()
        except psycopg.Error as exc:
            if pool is not None:
                pool.close()
            raise translated(exc) from None
        except Exception as exc:  # the pool's own timeout: the server did not answer
            if pool is not None:
                pool.close()
            raise DatabaseUnreachable(f"cannot reach the database: {redact(str(exc))}") from None
        return store


# No psycopg exception crosses the interface: every public method translates them.
guard_public_methods(PostgresStore, psycopg.Error, translated)

__all__ = ["PostgresStore"]
