"""(PostgreSQL) The alert outbox: alerts written with their article, claimed with a lease, marked sent (the
story's thread remembered), retried or dead; flood control holds alerts for hourly digests."""

from __future__ import annotations

import json
from collections.abc import Sequence

from psycopg.rows import dict_row

from storage.postgres.connection import PgConnection
from storage.postgres.trends import runner
from storage.rows import FoldedCopy, OutboxAlert, ThreadFold
from storage.sqlite.connection import utcnow
from storage.sqlite.outbox import outbox_alert
from storage.story_joins import note_late_top_level

_JOINED = (
    "SELECT a.id, a.article_id, a.story_id, a.channel, a.rules, a.snippet, a.status, "
    "a.attempts, a.last_error, ar.url, ar.title, ar.source, ar.published, ar.language "
    "FROM alerts a JOIN articles ar ON ar.id = a.article_id "
)


class PgOutbox(PgConnection):
    def due_alerts(self, now: float, limit: int = 100) -> list[OutboxAlert]:
        """Alerts ready to send, oldest first. An alert waits while an earlier alert of the same
        story and channel is still unsent, so that the first one opens the thread."""
        rows = self.rows(
            _JOINED + "WHERE a.status IN ('pending', 'sending') AND a.next_attempt_at <= %s "
            "AND NOT EXISTS (SELECT 1 FROM alerts b WHERE b.story_id = a.story_id "
            "  AND b.channel = a.channel AND b.id < a.id AND b.status IN ('pending', 'sending')) "
            "ORDER BY a.id LIMIT %s",
            [now, limit],
        )
        return [outbox_alert(r) for r in rows]

    def next_alert_due(self) -> float | None:
        row = self.one_row(
            "SELECT min(next_attempt_at) FROM alerts WHERE status IN ('pending', 'sending')"
        )
        return None if row[0] is None else float(row[0])

    def claim_alert(self, alert_id: int, now: float, lease: float) -> bool:
        """Take an alert for sending. Its ``next_attempt_at`` becomes a lease so that another
        dispatcher skips it; after a crash the lease runs out and the alert is due again (in
        state ``sending``, which tells the next dispatcher to check Slack before resending).
        Returns False when another dispatcher holds it."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE alerts SET status = 'sending', attempts = attempts + 1, next_attempt_at = %s "
                "WHERE id = %s AND status IN ('pending', 'sending') AND next_attempt_at <= %s",
                [now + lease, alert_id, now],
            )
            return cur.rowcount == 1

    def extend_claim(self, alert_id: int, held_until: float, until: float) -> bool:
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE alerts SET next_attempt_at = %s "
                "WHERE id = %s AND status = 'sending' AND next_attempt_at = %s",
                [until, alert_id, held_until],
            )
            return cur.rowcount == 1

    def mark_sent(self, alert: OutboxAlert, ts: str, thread_ts: str | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE alerts SET status = 'sent', sent_at = %s, message_ts = %s, thread_ts = %s, "
                "last_error = NULL WHERE id = %s",
                [utcnow(), ts, thread_ts, alert.id],
            )
            if thread_ts is None:
                conn.execute(
                    # the alert's story now: it may have joined another since it was read
                    "INSERT INTO threads (story_id, channel, ts, alert_id) "
                    "SELECT story_id, channel, %s, id FROM alerts WHERE id = %s "
                    "ON CONFLICT(story_id, channel) DO NOTHING",
                    [ts, alert.id],
                )
                note_late_top_level(runner(conn), alert.id, alert.story_id, ts)

    def mark_retry(self, alert_id: int, when: float, error: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE alerts SET status = 'pending', next_attempt_at = %s, last_error = %s WHERE id = %s",
                [when, error[:500], alert_id],
            )

    def mark_dead(self, alert_id: int, error: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE alerts SET status = 'dead', last_error = %s WHERE id = %s",
                [error[:500], alert_id],
            )

    def thread_for(self, story_id: int, channel: str) -> str | None:
        row = self.one(
            "SELECT ts FROM threads WHERE story_id = %s AND channel = %s", [story_id, channel]
        )
        return None if row is None else str(row[0])

    # --- reply floods: copies folded into one summary reply ---------------------------------------

    def story_languages(self, story_id: int, channel: str) -> tuple[str, ...]:
        """The languages of the story's copies sent to the channel, in the order they came."""
        rows = self.rows(
            "SELECT ar.language FROM alerts a JOIN articles ar ON ar.id = a.article_id "
            "WHERE a.story_id = %s AND a.channel = %s AND a.status = 'sent' "
            "AND ar.language IS NOT NULL GROUP BY ar.language ORDER BY min(a.id)",
            [story_id, channel],
        )
        return tuple(str(r["language"]) for r in rows)

    def thread_alert(self, story_id: int, channel: str) -> OutboxAlert | None:
        """The alert that opened the story's thread in the channel (its top-level message)."""
        rows = self.rows(
            _JOINED + "WHERE a.id = (SELECT alert_id FROM threads WHERE story_id = %s "
            "AND channel = %s)",
            [story_id, channel],
        )
        return outbox_alert(rows[0]) if rows else None

    def replies_sent_since(self, story_id: int, channel: str, since: str) -> int:
        row = self.one_row(
            "SELECT count(*) FROM alerts WHERE story_id = %s AND channel = %s AND status = 'sent' "
            "AND thread_ts IS NOT NULL AND coalesce(digest, 0) = 0 AND sent_at >= %s",
            [story_id, channel, since],
        )
        return int(row[0])

    def fold_for(self, story_id: int, channel: str) -> ThreadFold | None:
        row = self.one(
            "SELECT ts, outlets FROM thread_folds WHERE story_id = %s AND channel = %s",
            [story_id, channel],
        )
        if row is None:
            return None
        copies = tuple(FoldedCopy(*c) for c in json.loads(row[1] or "[]"))
        return ThreadFold(story_id, channel, str(row[0]), copies)

    def mark_folded(self, alert: OutboxAlert, fold: ThreadFold) -> None:
        outlets = json.dumps([[c.source, c.url, c.title] for c in fold.copies], ensure_ascii=False)
        now = utcnow()
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO thread_folds (story_id, channel, ts, outlets, updated_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT(story_id, channel) DO UPDATE SET "
                "ts = excluded.ts, outlets = excluded.outlets, updated_at = excluded.updated_at",
                [fold.story_id, fold.channel, fold.ts, outlets, now],
            )
            conn.execute(
                "UPDATE alerts SET status = 'sent', digest = 2, sent_at = %s, message_ts = %s, "
                "thread_ts = (SELECT ts FROM threads WHERE story_id = %s AND channel = %s), "
                "last_error = NULL WHERE id = %s",
                [now, fold.ts, alert.story_id, alert.channel, alert.id],
            )

    # --- flood control: held alerts and hourly digests ----------------------------------------

    def top_level_sent_since(self, channel: str, rule: str, since: str) -> int:
        """Top-level messages (not thread replies, not digests) sent to ``channel`` since
        ``since`` (ISO time) for alerts naming ``rule``."""
        row = self.one_row(
            "SELECT count(*) FROM alerts a WHERE a.channel = %s AND a.status = 'sent' "
            "AND a.thread_ts IS NULL AND coalesce(a.digest, 0) = 0 AND a.sent_at >= %s "
            "AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(a.rules::jsonb) AS r(value) WHERE r.value = %s)",
            [channel, since, rule],
        )
        return int(row[0])

    def hold_alert(self, alert_id: int, hour: str) -> None:
        """Keep an alert for the digest of ``hour`` (its rules are over their hourly limit)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE alerts SET status = 'held', digest_hour = %s, next_attempt_at = 0 "
                "WHERE id = %s",
                [hour, alert_id],
            )

    def due_digests(self, before_hour: str, now: float) -> list[tuple[str, str]]:
        """(channel, hour) groups of held alerts whose hour ended (``hour < before_hour``)."""
        rows = self.all(
            "SELECT DISTINCT channel, digest_hour FROM alerts WHERE status IN ('held', "
            "'digest_sending') AND digest_hour < %s AND next_attempt_at <= %s "
            "ORDER BY digest_hour, channel",
            [before_hour, now],
        )
        return [(str(c), str(h)) for c, h in rows]

    def claim_digest(self, channel: str, hour: str, now: float, lease: float) -> list[OutboxAlert]:
        """Take the held alerts of one digest for sending (a lease, like :meth:`claim_alert`).
        Returns them, or [] when another dispatcher has them."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE alerts SET status = 'digest_sending', attempts = attempts + 1, "
                "next_attempt_at = %s WHERE channel = %s AND digest_hour = %s "
                "AND status IN ('held', 'digest_sending') AND next_attempt_at <= %s",
                [now + lease, channel, hour, now],
            )
            if cur.rowcount == 0:
                return []
            with conn.cursor(row_factory=dict_row) as cursor:
                cursor.execute(
                    _JOINED + "WHERE a.channel = %s AND a.digest_hour = %s "
                    "AND a.status = 'digest_sending' ORDER BY a.id",
                    [channel, hour],
                )
                rows = cursor.fetchall()
            return [outbox_alert(r) for r in rows]

    def mark_digest_sent(self, alert_ids: Sequence[int], ts: str) -> None:
        with self.transaction() as conn:
            for alert_id in alert_ids:
                conn.execute(
                    "UPDATE alerts SET status = 'sent', digest = 1, sent_at = %s, message_ts = %s, "
                    "last_error = NULL WHERE id = %s",
                    [utcnow(), ts, alert_id],
                )

    def release_digest(self, alert_ids: Sequence[int], when: float, error: str) -> None:
        with self.transaction() as conn:
            for alert_id in alert_ids:
                conn.execute(
                    "UPDATE alerts SET status = 'held', next_attempt_at = %s, last_error = %s "
                    "WHERE id = %s",
                    [when, error[:500], alert_id],
                )
