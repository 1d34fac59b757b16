"""Mention counts and the trend-message outbox (SQLite)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from storage.mention_rows import add_mentions
from storage.rows import StoredText
from storage.sqlite.articles import spans_of
from storage.sqlite.connection import Connection
from storage.template_queries import TemplateQueries
from storage.trend_queries import TrendQueries


class Trends(TrendQueries, TemplateQueries, Connection):
    def _select(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute(sql, list(args)).fetchall()]

    def _change(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.transaction():
            return [tuple(r) for r in self.db.execute(sql, list(args)).fetchall()]

    # --- backfilling the mentions of rules and concepts added later ---------------------------

    def stored_texts(self, after_id: int, limit: int) -> list[StoredText]:
        rows = self.db.execute(
            "SELECT id, title, text, language, linked, source FROM articles WHERE id > ? "
            "ORDER BY id LIMIT ?",
            [after_id, limit],
        ).fetchall()
        return [StoredText(r[0], r[1], r[2] or "", r[3], spans_of(r[4]), r[5]) for r in rows]

    def backfill_mentions(self, found: Sequence[tuple[int, Sequence[str]]]) -> int:
        with self.transaction():
            return sum(add_mentions(self.db.execute, a, subjects) for a, subjects in found)

    def backfilled_subjects(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT subject FROM mention_backfills")}

    def mark_backfilled(self, subjects: Sequence[str]) -> None:
        with self.transaction():
            self.db.conn.executemany(
                "INSERT INTO mention_backfills (subject, done_at) VALUES (?, ?) "
                "ON CONFLICT (subject) DO NOTHING",
                [(s, time.time()) for s in subjects],
            )
