"""Mention counts and the trend-message outbox (PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import psycopg

from storage.mention_rows import Run, add_mentions
from storage.postgres.connection import PgConnection
from storage.rows import StoredText
from storage.sqlite.articles import spans_of
from storage.template_queries import TemplateQueries
from storage.trend_queries import TrendQueries


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


def runner(conn: psycopg.Connection) -> Run:
    """The connection's statements with ``?`` placeholders (see :mod:`storage.mention_rows`)."""

    def run(sql: str, args: Sequence[Any]) -> psycopg.Cursor[Any]:
        return conn.execute(_pg(sql), list(args))

    return run


class PgTrends(TrendQueries, TemplateQueries, PgConnection):
    distinct_list = "array_agg(DISTINCT {})"

    def _select(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.all(_pg(sql), args)]

    def _change(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.transaction() as conn:
            cur = conn.execute(_pg(sql), list(args))
            return [tuple(r) for r in cur.fetchall()] if cur.description else []

    # --- backfilling the mentions of rules and concepts added later ---------------------------

    def stored_texts(self, after_id: int, limit: int) -> list[StoredText]:
        rows = self.all(
            "SELECT id, title, text, language, linked, source FROM articles WHERE id > %s "
            "ORDER BY id LIMIT %s",
            [after_id, limit],
        )
        return [StoredText(r[0], r[1], r[2] or "", r[3], spans_of(r[4]), r[5]) for r in rows]

    def backfill_mentions(self, found: Sequence[tuple[int, Sequence[str]]]) -> int:
        with self.transaction() as conn:
            run = runner(conn)
            return sum(add_mentions(run, a, subjects) for a, subjects in found)

    def backfilled_subjects(self) -> set[str]:
        return {r[0] for r in self.all("SELECT subject FROM mention_backfills")}

    def mark_backfilled(self, subjects: Sequence[str]) -> None:
        with self.transaction() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO mention_backfills (subject, done_at) VALUES (%s, %s) "
                "ON CONFLICT (subject) DO NOTHING",
                [(s, time.time()) for s in subjects],
            )
