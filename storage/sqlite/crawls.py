"""Crawl records: conditional-GET state of entry pages, one row per crawl run, its failures."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from storage.rows import CrawlRun, FetchState, FetchUpdate
from storage.sqlite.connection import Connection, utcnow


def crawl_run(row: Mapping[str, Any]) -> CrawlRun:
    return CrawlRun(
        id=int(row["id"]),
        source=row["source"],
        status=row["status"],
        reason=row["finish_reason"],
        stats=json.loads(row["stats"] or "{}"),
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


class Crawls(Connection):
    def fetch_state(self, url: str) -> FetchState | None:
        row = self.db.execute(
            "SELECT url, etag, last_modified, body_hash, full_fetch_at, checked_at "
            "FROM fetch_state WHERE url = ?",
            [url],
        ).fetchone()
        return FetchState(*row) if row else None

    def save_fetch_states(self, states: Mapping[str, FetchUpdate]) -> None:
        """Record what feeds/sitemaps/listings looked like (after a crawl that finished)."""
        now = utcnow()
        with self.transaction():
            for url, st in states.items():
                self.db.execute(
                    "INSERT INTO fetch_state (url, etag, last_modified, body_hash, full_fetch_at, "
                    "checked_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                    "etag = coalesce(excluded.etag, fetch_state.etag), "
                    "last_modified = coalesce(excluded.last_modified, fetch_state.last_modified), "
                    "body_hash = coalesce(excluded.body_hash, fetch_state.body_hash), "
                    "full_fetch_at = coalesce(excluded.full_fetch_at, fetch_state.full_fetch_at), "
                    "checked_at = excluded.checked_at",
                    [
                        url,
                        st.etag,
                        st.last_modified,
                        st.body_hash,
                        now if st.full else None,
                        now,
                    ],
                )

    def start_run(self, source: str) -> int:
        with self.transaction():
            row = self.db.execute(
                "INSERT INTO crawl_runs (source, started_at, status, stats) "
                "VALUES (?, ?, 'running', '{}') RETURNING id",
                [source, utcnow()],
            ).fetchone()
        return int(row[0])

    def finish_run(
        self, run_id: int, *, status: str, reason: str, stats: Mapping[str, Any]
    ) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, finish_reason = ?, stats = ? "
                "WHERE id = ?",
                [
                    utcnow(),
                    status,
                    reason,
                    json.dumps(dict(stats), sort_keys=True, default=str),
                    run_id,
                ],
            )

    def record_error(
        self, run_id: int | None, source: str, url: str, kind: str, message: str
    ) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO crawl_errors (run_id, source, url, kind, message, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, source, url, kind, message[:2000], utcnow()],
            )

    def last_run(self, source: str) -> CrawlRun | None:
        rows = self.rows(
            "SELECT * FROM crawl_runs WHERE source = ? ORDER BY id DESC LIMIT 1", [source]
        )
        return crawl_run(rows[0]) if rows else None
