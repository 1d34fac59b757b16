"""Stories joined after a split (:mod:`storage.story_joins`) and the threads they leave."""

from __future__ import annotations

import time

from storage.rows import OutboxAlert
from storage.sqlite.connection import Connection
from storage.sqlite.outbox import _JOINED, outbox_alert
from storage.story_joins import (
    ThreadJoin,
    join_story,
    kept_story,
    mark_thread_join,
    pending_thread_joins,
)


class Joins(Connection):
    def join_stories(self, from_id: int, into_id: int) -> bool:
        """Move a later story into an earlier one (its articles, alerts and threads); False when
        they are one story already."""
        with self.transaction():
            return join_story(self.db.execute, from_id, into_id, time.time())

    def kept_story(self, story_id: int) -> int:
        """The story an id stands for now (the one it was joined into, else itself)."""
        return kept_story(self.db.execute, story_id)

    def thread_joins(self) -> list[ThreadJoin]:
        """Channels where a joined story's top-level message is yet to point to the kept
        thread."""
        return pending_thread_joins(self.db.execute)

    def mark_thread_join(self, join: ThreadJoin, done: bool, error: str | None = None) -> None:
        with self.transaction():
            mark_thread_join(self.db.execute, join, done, error)

    def outbox_alert(self, alert_id: int) -> OutboxAlert | None:
        """One alert of the outbox, with its article."""
        rows = self.rows(_JOINED + "WHERE a.id = ?", [alert_id])
        return outbox_alert(rows[0]) if rows else None
