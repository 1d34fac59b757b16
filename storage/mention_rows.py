"""Adding and removing an article's mentions and keeping ``mention_counts`` in step, inside the
caller's transaction — the same statements on both backends (``?`` placeholders; the
PostgreSQL side turns them into ``%s``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from typing import Any, Protocol

from storage.days import mention_time


class _Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


# One statement in the open transaction (``?`` placeholders).
Run = Callable[[str, Sequence[Any]], _Cursor]

_COUNT_UP = (
    "INSERT INTO mention_counts (subject, day, source, language, articles) "
    "VALUES (?, ?, ?, ?, 1) ON CONFLICT (subject, day, source, language) "
    "DO UPDATE SET articles = mention_counts.articles + 1"
)


def add_mentions(run: Run, article_id: int, subjects: Sequence[str]) -> int:
    """Count a stored article once for each subject (a rule or ``@concept``) it is not yet
    counted for, on its mention day; returns how many were added."""
    if not subjects:
        return 0
    row = run(
        "SELECT story_id, source, coalesce(language, ''), published, fetched_at "
        "FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    if row is None:
        return 0
    story_id, source, language, published, fetched_at = row
    day, at = mention_time(published, fetched_at)
    added = 0
    for subject in dict.fromkeys(subjects):
        new = run(
            "INSERT INTO mentions (article_id, subject, day, story_id, source, language, at, "
            "noted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id, subject) DO NOTHING RETURNING day",
            [article_id, subject, day, story_id, source, language, at, time.time()],
        ).fetchone()
        if new is not None:
            run(_COUNT_UP, [subject, day, source, language])
            added += 1
    return added


def drop_mentions(run: Run, article_id: int, subjects: Collection[str]) -> int:
    """Take the article's mentions of these subjects back (a line learned later took the words
    away); returns how many were removed."""
    removed = 0
    for subject in subjects:
        gone = run(
            "DELETE FROM mentions WHERE article_id = ? AND subject = ? "
            "RETURNING day, source, language",
            [article_id, subject],
        ).fetchone()
        if gone is None:
            continue
        key = [subject, *gone]
        run(
            "UPDATE mention_counts SET articles = articles - 1 "
            "WHERE subject = ? AND day = ? AND source = ? AND language = ?",
            key,
        )
        run(
            "DELETE FROM mention_counts WHERE subject = ? AND day = ? AND source = ? "
            "AND language = ? AND articles <= 0",
            key,
        )
        removed += 1
    return removed


def set_mentions(
    run: Run, article_id: int, matched: Sequence[str], looked_for: Collection[str]
) -> tuple[int, int]:
    """After an article was matched again for the subjects ``looked_for``: it is counted for
    those it ``matched`` and no longer for the others (mentions of subjects not looked for
    stay). Returns (added, removed)."""
    counted = {
        r[0]
        for r in run("SELECT subject FROM mentions WHERE article_id = ?", [article_id]).fetchall()
    }
    stale = (counted & set(looked_for)) - set(matched)
    return add_mentions(run, article_id, matched), drop_mentions(run, article_id, stale)
