"""What the mention-count migrations of both backends backfill: the rules each stored article
matched (its alerts' rule lists), on the article's mention day."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from storage.days import mention_time


def backfilled_mentions(
    rows: Iterable[tuple[Any, ...]],
) -> Iterator[tuple[int, str, str, int | None, str, str, float, float]]:
    """(article_id, story_id, source, language, published, fetched_at, rules JSON) rows →
    mention rows (article_id, subject, day, story_id, source, language, at, noted_at)."""
    for article_id, story_id, source, language, published, fetched_at, rules in rows:
        day, at = mention_time(published, fetched_at)
        try:
            noted = datetime.fromisoformat(fetched_at).timestamp()
        except (TypeError, ValueError):
            noted = datetime.now(UTC).timestamp()
        for rule in dict.fromkeys(json.loads(rules or "[]")):
            yield (int(article_id), str(rule), day, story_id, source, language or "", at, noted)
