"""Mention counts and the trend-message outbox (SQLite)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.sqlite.connection import Connection
from storage.trend_queries import TrendQueries


class Trends(TrendQueries, Connection):
    def _select(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute(sql, list(args)).fetchall()]

    def _change(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.transaction():
            return [tuple(r) for r in self.db.execute(sql, list(args)).fetchall()]
