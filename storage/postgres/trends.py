"""Mention counts and the trend-message outbox (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.postgres.connection import PgConnection
from storage.trend_queries import TrendQueries


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


class PgTrends(TrendQueries, PgConnection):
    distinct_list = "array_agg(DISTINCT {})"

    def _select(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.all(_pg(sql), args)]

    def _change(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.transaction() as conn:
            cur = conn.execute(_pg(sql), list(args))
            return [tuple(r) for r in cur.fetchall()] if cur.description else []
