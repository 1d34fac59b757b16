"""The day a mention counts on: the article's publication day (UTC) when the page gave one that
is not in the future, else the day it was first stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def _instant(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            when = datetime.combine(date.fromisoformat(text.strip()[:10]), datetime.min.time())
        except ValueError:
            return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def mention_time(published: str | None, stored_at: str) -> tuple[str, float]:
    """When a mention happened: its ``YYYY-MM-DD`` day (UTC) and instant (epoch seconds);
    ``stored_at`` is the article's ISO ``fetched_at``."""
    stored = _instant(stored_at) or datetime.now(UTC)
    when = _instant(published) if published else None
    if when is None or when > stored + timedelta(days=1):
        when = stored
    return when.astimezone(UTC).date().isoformat(), when.timestamp()


def mention_day(published: str | None, stored_at: str) -> str:
    """``YYYY-MM-DD`` (UTC) of a mention."""
    return mention_time(published, stored_at)[0]


def day_of(epoch: float) -> str:
    """The UTC day of an instant."""
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()


def days_before(day: str, n: int) -> str:
    """The day ``n`` days before ``day``."""
    return (date.fromisoformat(day) - timedelta(days=n)).isoformat()
