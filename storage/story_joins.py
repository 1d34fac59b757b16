"""Joining a story that was split: a report that bridges two stories of one event moves the
later story's articles into the earlier one — the same statements on both backends, inside the
caller's transaction (``?`` placeholders, see :mod:`storage.mention_rows`).

``story_joins`` records each join (``from_id`` → ``into_id``, chains flattened), so that an id
another process still holds (its story index, an alert being sent) lands in the kept story.
Each channel where both stories had opened a thread gets a ``thread_joins`` row: the dispatcher
updates the later story's top-level message to point to the kept thread and replies there with
its copy. Where only the later story had a thread, that thread becomes the kept story's.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.mention_rows import Run

# Tables whose rows name a story: all of them follow the join.
_STORY_TABLES = ("articles", "story_vectors", "story_signatures", "alerts", "mentions")


@dataclass(frozen=True)
class ThreadJoin:
    """A channel where a joined story had its own thread: its top-level message (``ts``, and
    the alert it sent, now of the kept story) is to point to the kept story's thread."""

    from_id: int
    into_id: int
    channel: str
    ts: str
    alert_id: int
    attempts: int = 0


def kept_story(run: Run, story_id: int) -> int:
    """The story a story id stands for now: the one it was joined into, else itself."""
    row = run("SELECT into_id FROM story_joins WHERE from_id = ?", [story_id]).fetchone()
    return story_id if row is None else int(row[0])


def join_story(run: Run, from_id: int, into_id: int, at: float) -> bool:
    """Move a story into another (``at``: epoch seconds, now); the earlier of the two is kept.
    Returns False when there was nothing to join (the same story, or one joined already)."""
    from_id, into_id = kept_story(run, from_id), kept_story(run, into_id)
    if from_id == into_id:
        return False
    from_id, into_id = max(from_id, into_id), min(from_id, into_id)
    for table in _STORY_TABLES:
        run(f"UPDATE {table} SET story_id = ? WHERE story_id = ?", [into_id, from_id])
    # A channel where only the later story had a thread: the kept story's thread from now on.
    for table in ("threads", "thread_folds"):
        run(
            f"UPDATE {table} SET story_id = ? WHERE story_id = ? AND channel NOT IN "
            f"(SELECT channel FROM {table} WHERE story_id = ?)",
            [into_id, from_id, into_id],
        )
    # Where both had one: the later top-level message is to point to the kept thread.
    run(
        "INSERT INTO thread_joins (from_id, into_id, channel, ts, alert_id, status, attempts) "
        "SELECT ?, ?, channel, ts, alert_id, 'pending', 0 FROM threads WHERE story_id = ?",
        [from_id, into_id, from_id],
    )
    run("DELETE FROM threads WHERE story_id = ?", [from_id])
    run("DELETE FROM thread_folds WHERE story_id = ?", [from_id])
    run("UPDATE story_joins SET into_id = ? WHERE into_id = ?", [into_id, from_id])
    run("UPDATE thread_joins SET into_id = ? WHERE into_id = ?", [into_id, from_id])
    run(
        "INSERT INTO story_joins (from_id, into_id, at) VALUES (?, ?, ?)",
        [from_id, into_id, at],
    )
    return True


def joins_since(run: Run, at: float) -> list[tuple[int, int, float]]:
    """The joins recorded from ``at`` on (epoch seconds): (from, into, at), oldest first."""
    rows = run(
        "SELECT from_id, into_id, at FROM story_joins WHERE at >= ? ORDER BY at", [at]
    ).fetchall()
    return [(int(r[0]), int(r[1]), float(r[2])) for r in rows]


def pending_thread_joins(run: Run) -> list[ThreadJoin]:
    rows = run(
        "SELECT from_id, into_id, channel, ts, alert_id, attempts FROM thread_joins "
        "WHERE status = 'pending' ORDER BY from_id, channel",
        [],
    ).fetchall()
    return [ThreadJoin(int(r[0]), int(r[1]), r[2], r[3], int(r[4]), int(r[5])) for r in rows]


def mark_thread_join(run: Run, join: ThreadJoin, done: bool, error: str | None = None) -> None:
    run(
        "UPDATE thread_joins SET status = ?, attempts = attempts + 1, last_error = ? "
        "WHERE from_id = ? AND channel = ?",
        ["done" if done else "pending", error and error[:500], join.from_id, join.channel],
    )


def note_late_top_level(run: Run, alert_id: int, read_story: int, ts: str) -> None:
    """A top-level message just sent for an alert whose story (``read_story`` when it was
    read) joined another meanwhile, where the kept story has a thread already: it is to point
    to that thread like the joined story's own."""
    row = run(
        "SELECT t.story_id, t.alert_id, a.channel FROM alerts a JOIN threads t "
        "ON t.story_id = a.story_id AND t.channel = a.channel WHERE a.id = ?",
        [alert_id],
    ).fetchone()
    if row is None or int(row[1]) == alert_id or int(row[0]) == read_story:
        return
    run(
        "INSERT INTO thread_joins (from_id, into_id, channel, ts, alert_id, status, attempts) "
        "VALUES (?, ?, ?, ?, ?, 'pending', 0) ON CONFLICT (from_id, channel) DO NOTHING",
        [read_story, int(row[0]), row[2], ts, alert_id],
    )
