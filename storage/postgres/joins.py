"""Stories joined after a split (:mod:`storage.story_joins`) and the threads they leave."""

from __future__ import annotations

import time

from storage.postgres.connection import PgConnection
from storage.postgres.outbox import _JOINED
from storage.postgres.trends import runner
from storage.rows import OutboxAlert
from storage.sqlite.outbox import outbox_alert
from storage.story_joins import (
    ThreadJoin,
    join_story,
    kept_story,
    mark_thread_join,
    pending_thread_joins,
)

# The lock of the story decision (``PgArticles.save_article``): a join is one.
STORY_LOCK = 7164220512


class PgJoins(PgConnection):
    def join_stories(self, from_id: int, into_id: int) -> bool:
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [STORY_LOCK])
            return join_story(runner(conn), from_id, into_id, time.time())

    def kept_story(self, story_id: int) -> int:
        with self.transaction() as conn:
            return kept_story(runner(conn), story_id)

    def thread_joins(self) -> list[ThreadJoin]:
        with self.transaction() as conn:
            return pending_thread_joins(runner(conn))

    def mark_thread_join(self, join: ThreadJoin, done: bool, error: str | None = None) -> None:
        with self.transaction() as conn:
            mark_thread_join(runner(conn), join, done, error)

    def outbox_alert(self, alert_id: int) -> OutboxAlert | None:
        rows = self.rows(_JOINED + "WHERE a.id = %s", [alert_id])
        return outbox_alert(rows[0]) if rows else None
