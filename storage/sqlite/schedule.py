"""The daemon's per-source schedule and health record, and its operational notices."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from storage.rows import Notice, ScheduleEntry
from storage.sqlite.connection import Connection, utcnow

_NOTICE_COLUMNS = "id, channel, source, kind, text, status, attempts, created_at, last_error"


def _entry(row: Mapping[str, Any]) -> ScheduleEntry:
    return ScheduleEntry(
        source=row["source"],
        interval=float(row["interval"]),
        next_due=float(row["next_due"] or 0.0),
        failures=int(row["failures"] or 0),
        empty_runs=int(row["empty_runs"] or 0),
        extraction_runs=int(row["extraction_runs"] or 0),
        last_started=row["last_started"],
        last_success=row["last_success"],
        last_new_article=row["last_new_article"],
        last_error=row["last_error"],
        problems=tuple(json.loads(row["problems"] or "[]")),
        problems_since=row["problems_since"],
    )


def _notice(row: tuple[Any, ...]) -> Notice:
    id_, channel, source, kind, text, status, attempts, created_at, last_error = row
    return Notice(
        id_, channel, source, kind, text, status, int(attempts or 0), created_at or "", last_error
    )


class Schedule(Connection):
    def schedule(self, source: str | None = None) -> dict[str, ScheduleEntry]:
        where, args = ("WHERE source = ?", [source]) if source else ("", [])
        rows = self.rows(f"SELECT * FROM schedule {where}", args)
        return {r["source"]: _entry(r) for r in rows}

    def save_schedule(self, entry: ScheduleEntry) -> None:
        data = asdict(entry)
        data["problems"] = json.dumps(list(entry.problems))
        with self.transaction():
            self.db.table("schedule").upsert(data, pk="source")

    def add_notice(self, channel: str | None, source: str, kind: str, text: str) -> int:
        """Queue an operational message (``channel`` None: recorded, not delivered)."""
        with self.transaction():
            row = self.db.execute(
                "INSERT INTO notices (channel, source, kind, text, status, attempts, "
                "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?) RETURNING id",
                [channel, source, kind, text, "pending" if channel else "logged", utcnow()],
            ).fetchone()
        return int(row[0])

    def due_notices(self, now: float, limit: int = 20) -> list[Notice]:
        rows = self.db.execute(
            f"SELECT {_NOTICE_COLUMNS} FROM notices WHERE status = 'pending' "
            "AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            [now, limit],
        ).fetchall()
        return [_notice(r) for r in rows]

    def mark_notice(
        self,
        notice_id: int,
        status: str,
        *,
        ts: str | None = None,
        when: float = 0.0,
        error: str | None = None,
    ) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE notices SET status = ?, message_ts = coalesce(?, message_ts), "
                "next_attempt_at = ?, last_error = ?, attempts = attempts + 1, "
                "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
                [status, ts, when, error, status, utcnow(), notice_id],
            )

    def recent_notices(self, limit: int = 10) -> list[Notice]:
        rows = self.db.execute(
            f"SELECT {_NOTICE_COLUMNS} FROM notices ORDER BY id DESC LIMIT ?", [limit]
        ).fetchall()
        return [_notice(r) for r in rows]
