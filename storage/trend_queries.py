"""Mention counts and the trend-message outbox, written once for both backends: each backend
gives :class:`TrendQueries` its way to run a statement (``?`` placeholders)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from storage.rows import (
    DailyMentions,
    MentionCount,
    PostDraft,
    StorySummary,
    TrendPost,
)

POST_COLUMNS = (
    "id, key, kind, channel, subject, day, volume, text, blocks, filename, file, status, "
    "attempts, last_error, message_ts"
)


def _utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _post(row: Sequence[Any]) -> TrendPost:
    (id_, key, kind, channel, subject, day, volume, text, blocks, filename, file) = row[:11]
    status, attempts, last_error, ts = row[11:]
    return TrendPost(
        id=int(id_),
        key=key,
        kind=kind,
        channel=channel,
        subject=subject,
        day=day,
        volume=int(volume or 0),
        text=text or "",
        blocks=tuple(json.loads(blocks or "[]")),
        filename=filename,
        file=bytes(file) if file is not None else None,
        status=status,
        attempts=int(attempts or 0),
        last_error=last_error,
        ts=ts,
    )


def _names(value: Any) -> tuple[str, ...]:
    """A JSON array (SQLite) or an array (PostgreSQL) of names, sorted, without blanks."""
    items = json.loads(value) if isinstance(value, str) else list(value or [])
    return tuple(sorted({str(x) for x in items if x}))


def _among(column: str, values: Sequence[str] | None) -> tuple[str, list[Any]]:
    if values is None:
        return "", []
    if not values:
        return " AND 0 = 1", []
    return f" AND {column} IN ({', '.join('?' * len(values))})", list(values)


class TrendQueries:
    """Reads of the mention counts; the trend-message outbox."""

    # the backend's set aggregate: json_group_array(DISTINCT x) / array_agg(DISTINCT x)
    distinct_list = "json_group_array(DISTINCT {})"

    def _select(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _change(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a write in its own transaction; the rows it returns (``RETURNING``)."""
        raise NotImplementedError

    # --- mention counts ----------------------------------------------------------------------

    def daily_mentions(
        self,
        since_day: str,
        until_day: str,
        subjects: Sequence[str] | None = None,
        *,
        since: float | None = None,
    ) -> list[DailyMentions]:
        where, args = _among("subject", subjects)
        if since is not None:
            where += " AND at >= ?"
            args.append(since)
        rows = self._select(
            "SELECT subject, day, count(DISTINCT article_id), count(DISTINCT story_id), "
            "count(DISTINCT source) FROM mentions WHERE day >= ? AND day <= ?"
            f"{where} GROUP BY subject, day ORDER BY subject, day",
            [since_day, until_day, *args],
        )
        return [DailyMentions(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows]

    def mention_days(self, subjects: Sequence[str] | None = None) -> tuple[str, str] | None:
        where, args = _among("subject", subjects)
        rows = self._select(
            f"SELECT min(day), max(day) FROM mention_counts WHERE 1 = 1{where}", args
        )
        return (rows[0][0], rows[0][1]) if rows and rows[0][0] is not None else None

    def mention_counts(
        self, since_day: str, until_day: str, subjects: Sequence[str] | None = None
    ) -> list[MentionCount]:
        where, args = _among("subject", subjects)
        rows = self._select(
            "SELECT subject, day, source, language, articles FROM mention_counts "
            f"WHERE day >= ? AND day <= ?{where} ORDER BY subject, day, source, language",
            [since_day, until_day, *args],
        )
        return [MentionCount(r[0], r[1], r[2], r[3] or "", int(r[4])) for r in rows]

    def top_stories(
        self,
        subjects: Sequence[str] | None,
        *,
        since_day: str = "",
        until_day: str = "9999-12-31",
        since: float | None = None,
        limit: int = 10,
    ) -> list[StorySummary]:
        """Stories of the matched articles, most outlets first, then most languages."""
        where, args = _among("m.subject", subjects)
        if since is not None:
            where += " AND m.at >= ?"
            args.append(since)
        agg = self.distinct_list
        rows = self._select(
            f"SELECT m.story_id, count(DISTINCT m.article_id), {agg.format('m.source')}, "
            f"{agg.format('m.language')}, {agg.format('m.subject')}, min(m.article_id), "
            "count(DISTINCT m.source) AS outlets, count(DISTINCT m.language) AS languages "
            f"FROM mentions m WHERE m.day >= ? AND m.day <= ?{where} "
            "GROUP BY m.story_id ORDER BY outlets DESC, languages DESC, "
            "count(DISTINCT m.article_id) DESC, min(m.article_id) LIMIT ?",
            [since_day, until_day, *args, limit],
        )
        if not rows:
            return []
        firsts = [int(r[5]) for r in rows]
        marks = ", ".join("?" * len(firsts))
        titles = {
            int(r[0]): (r[1], r[2])
            for r in self._select(
                f"SELECT id, title, url FROM articles WHERE id IN ({marks})", firsts
            )
        }
        return [
            StorySummary(
                story_id=int(r[0]),
                title=titles[int(r[5])][0],
                url=titles[int(r[5])][1],
                outlets=_names(r[2]),
                languages=_names(r[3]),
                articles=int(r[1]),
                subjects=_names(r[4]),
            )
            for r in rows
        ]

    def mention_titles(
        self, subject: str, since_day: str, until_day: str, limit: int = 2000
    ) -> list[tuple[str, str]]:
        """(day, title) of the newest matched articles of a rule in a range of days."""
        rows = self._select(
            "SELECT m.day, a.title FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.subject = ? AND m.day >= ? AND m.day <= ? AND a.title IS NOT NULL "
            "ORDER BY m.article_id DESC LIMIT ?",
            [subject, since_day, until_day, limit],
        )
        return [(r[0], r[1]) for r in rows]

    # --- the trend-message outbox ------------------------------------------------------------

    def add_post(self, post: PostDraft) -> int | None:
        """Queue a trend message; None when one with its key exists (already queued or sent,
        by this node or another)."""
        rows = self._change(
            "INSERT INTO trend_posts (key, kind, channel, subject, day, volume, text, blocks, "
            "filename, file, status, attempts, next_attempt_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0, ?) "
            "ON CONFLICT (key) DO NOTHING RETURNING id",
            [
                post.key,
                post.kind,
                post.channel,
                post.subject,
                post.day,
                post.volume,
                post.text,
                json.dumps([dict(b) for b in post.blocks]),
                post.filename,
                post.file,
                _utcnow(),
            ],
        )
        return int(rows[0][0]) if rows else None

    def post_exists(self, key: str) -> bool:
        return bool(self._select("SELECT 1 FROM trend_posts WHERE key = ?", [key]))

    def latest_post(self, kind: str, subject: str, day: str) -> TrendPost | None:
        """The last trend message of a kind for a subject and day (the biggest volume)."""
        rows = self._select(
            f"SELECT {POST_COLUMNS} FROM trend_posts WHERE kind = ? AND subject = ? AND day = ? "
            "ORDER BY volume DESC, id DESC LIMIT 1",
            [kind, subject, day],
        )
        return _post(rows[0]) if rows else None

    def recent_posts(self, limit: int = 20) -> list[TrendPost]:
        rows = self._select(
            f"SELECT {POST_COLUMNS} FROM trend_posts ORDER BY id DESC LIMIT ?", [limit]
        )
        return [_post(r) for r in rows]

    def due_posts(self, now: float, limit: int = 20) -> list[TrendPost]:
        rows = self._select(
            f"SELECT {POST_COLUMNS} FROM trend_posts WHERE status IN ('pending', 'sending') "
            "AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            [now, limit],
        )
        return [_post(r) for r in rows]

    def claim_post(self, post_id: int, now: float, lease: float) -> bool:
        """Take a trend message for sending for ``lease`` seconds (False: another dispatcher
        has it)."""
        rows = self._change(
            "UPDATE trend_posts SET status = 'sending', attempts = attempts + 1, "
            "next_attempt_at = ? WHERE id = ? AND status IN ('pending', 'sending') "
            "AND next_attempt_at <= ? RETURNING id",
            [now + lease, post_id, now],
        )
        return bool(rows)

    def extend_post_claim(self, post_id: int, held_until: float, until: float) -> bool:
        """Keep a claimed trend message leased until ``until``, if the lease ending at
        ``held_until`` is still the one its dispatcher holds (see ``extend_claim``)."""
        rows = self._change(
            "UPDATE trend_posts SET next_attempt_at = ? WHERE id = ? AND status = 'sending' "
            "AND next_attempt_at = ? RETURNING id",
            [until, post_id, held_until],
        )
        return bool(rows)

    def mark_post(
        self,
        post_id: int,
        status: str,
        *,
        ts: str | None = None,
        when: float = 0.0,
        error: str | None = None,
    ) -> None:
        self._change(
            "UPDATE trend_posts SET status = ?, message_ts = coalesce(?, message_ts), "
            "next_attempt_at = ?, last_error = ?, "
            "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ? RETURNING id",
            [status, ts, when, error, status, _utcnow(), post_id],
        )
