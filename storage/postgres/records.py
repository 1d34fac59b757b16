"""Site-learned boilerplate, crawl records (conditional-GET state, runs, errors), the daemon's
schedule and notices, and what ``newsmon status`` shows (PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any

from storage.errors import UnsupportedDatabase
from storage.postgres.connection import PgConnection
from storage.rows import (
    AlertCounts,
    BrowseTarget,
    CrawlRun,
    FailedAlert,
    FetchState,
    FetchUpdate,
    Notice,
    ScheduleEntry,
    SourceSummary,
)
from storage.sqlite.connection import rules_of, utcnow
from storage.sqlite.crawls import crawl_run
from storage.sqlite.schedule import _entry, _notice

_NOTICE_COLUMNS = "id, channel, source, kind, text, status, attempts, created_at, last_error"


class PgRecords(PgConnection):
    # --- boilerplate ---------------------------------------------------------------------------

    def boilerplate_keys(self, source: str, min_articles: int) -> set[str]:
        rows = self.all(
            "SELECT line_key FROM boilerplate WHERE source = %s AND articles >= %s",
            [source, min_articles],
        )
        return {str(r[0]) for r in rows}

    def learn_lines(self, source: str, lines: Mapping[str, str], min_articles: int) -> set[str]:
        if not lines:
            return set()
        now = utcnow()
        with self.transaction() as conn:
            rows = conn.execute(
                "INSERT INTO boilerplate (source, line_key, articles, sample, first_seen, "
                "last_seen) SELECT %s, k, 1, s, %s, %s FROM unnest(%s::text[], %s::text[]) "
                "AS t(k, s) ON CONFLICT (source, line_key) DO UPDATE "
                "SET articles = boilerplate.articles + 1, last_seen = excluded.last_seen "
                "RETURNING line_key, articles",
                [source, now, now, list(lines), list(lines.values())],
            ).fetchall()
        return {str(k) for k, n in rows if n == min_articles}

    # --- crawl records -------------------------------------------------------------------------

    def fetch_state(self, url: str) -> FetchState | None:
        row = self.one(
            "SELECT url, etag, last_modified, body_hash, full_fetch_at, checked_at "
            "FROM fetch_state WHERE url = %s",
            [url],
        )
        return FetchState(*row) if row else None

    def save_fetch_states(self, states: Mapping[str, FetchUpdate]) -> None:
        now = utcnow()
        with self.transaction() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO fetch_state (url, etag, last_modified, body_hash, full_fetch_at, "
                "checked_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET "
                "etag = coalesce(excluded.etag, fetch_state.etag), "
                "last_modified = coalesce(excluded.last_modified, fetch_state.last_modified), "
                "body_hash = coalesce(excluded.body_hash, fetch_state.body_hash), "
                "full_fetch_at = coalesce(excluded.full_fetch_at, fetch_state.full_fetch_at), "
                "checked_at = excluded.checked_at",
                [
                    (url, st.etag, st.last_modified, st.body_hash, now if st.full else None, now)
                    for url, st in states.items()
                ],
            )

    def start_run(self, source: str) -> int:
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO crawl_runs (source, started_at, status, stats) "
                "VALUES (%s, %s, 'running', '{}') RETURNING id",
                [source, utcnow()],
            ).fetchone()
        assert row is not None
        return int(row[0])

    def finish_run(
        self, run_id: int, *, status: str, reason: str, stats: Mapping[str, Any]
    ) -> None:
        self.run(
            "UPDATE crawl_runs SET finished_at = %s, status = %s, finish_reason = %s, stats = %s "
            "WHERE id = %s",
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
        self.run(
            "INSERT INTO crawl_errors (run_id, source, url, kind, message, at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [run_id, source, url, kind, message[:2000], utcnow()],
        )

    def last_run(self, source: str) -> CrawlRun | None:
        rows = self.rows(
            "SELECT * FROM crawl_runs WHERE source = %s ORDER BY id DESC LIMIT 1", [source]
        )
        return crawl_run(rows[0]) if rows else None

    # --- schedule and notices ------------------------------------------------------------------

    def schedule(self, source: str | None = None) -> dict[str, ScheduleEntry]:
        where, args = ("WHERE source = %s", [source]) if source else ("", [])
        return {r["source"]: _entry(r) for r in self.rows(f"SELECT * FROM schedule {where}", args)}

    def save_schedule(self, entry: ScheduleEntry) -> None:
        data = asdict(entry)
        data["problems"] = json.dumps(list(entry.problems))
        cols = list(data)
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "source")
        self.run(
            f"INSERT INTO schedule ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
            f"ON CONFLICT (source) DO UPDATE SET {updates}",
            [data[c] for c in cols],
        )

    def add_notice(self, channel: str | None, source: str, kind: str, text: str) -> int:
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO notices (channel, source, kind, text, status, attempts, "
                "next_attempt_at, created_at) VALUES (%s, %s, %s, %s, %s, 0, 0, %s) RETURNING id",
                [channel, source, kind, text, "pending" if channel else "logged", utcnow()],
            ).fetchone()
        assert row is not None
        return int(row[0])

    def due_notices(self, now: float, limit: int = 20) -> list[Notice]:
        rows = self.all(
            f"SELECT {_NOTICE_COLUMNS} FROM notices WHERE status = 'pending' "
            "AND next_attempt_at <= %s ORDER BY id LIMIT %s",
            [now, limit],
        )
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
        self.run(
            "UPDATE notices SET status = %s, message_ts = coalesce(%s, message_ts), "
            "next_attempt_at = %s, last_error = %s, attempts = attempts + 1, "
            "sent_at = CASE WHEN %s = 'sent' THEN %s ELSE sent_at END WHERE id = %s",
            [status, ts, when, error, status, utcnow(), notice_id],
        )

    def recent_notices(self, limit: int = 10) -> list[Notice]:
        rows = self.all(f"SELECT {_NOTICE_COLUMNS} FROM notices ORDER BY id DESC LIMIT %s", [limit])
        return [_notice(r) for r in rows]

    # --- status --------------------------------------------------------------------------------

    def alert_counts(self) -> AlertCounts:
        counts = dict(self.all("SELECT status, count(*) FROM alerts GROUP BY status"))
        known = AlertCounts.__dataclass_fields__
        return AlertCounts(**{str(k): int(v) for k, v in counts.items() if k in known})

    def failed_alerts(self, limit: int = 10) -> list[FailedAlert]:
        rows = self.all(
            "SELECT id, channel, rules, last_error, created_at FROM alerts "
            "WHERE status = 'dead' ORDER BY id DESC LIMIT %s",
            [limit],
        )
        return [FailedAlert(r[0], r[1], rules_of(r[2]), r[3], r[4] or "") for r in rows]

    def source_summaries(self) -> dict[str, SourceSummary]:
        out: dict[str, SourceSummary] = {}

        def summary(source: str) -> SourceSummary:
            return out.setdefault(source, SourceSummary(source))

        for source, n, last in self.all(
            "SELECT source, count(*), max(fetched_at) FROM articles GROUP BY source"
        ):
            out[source] = replace(summary(source), articles=int(n), last_article=last)
        for row in self.rows(
            "SELECT * FROM crawl_runs WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY source)"
        ):
            run = crawl_run(row)
            out[run.source] = replace(summary(run.source), last_run=run)
        for source, n in self.all(
            "SELECT source, count(*) FROM crawl_errors WHERE at >= "
            "to_char((now() AT TIME ZONE 'utc') - interval '1 day', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS') GROUP BY source"
        ):
            out[source] = replace(summary(source), errors_24h=int(n))
        return out

    def browse_target(self) -> BrowseTarget:
        raise UnsupportedDatabase(
            "Datasette reads SQLite: newsmon browse copies a PostgreSQL database into a "
            "SQLite snapshot (storage.snapshot) and serves that"
        )
