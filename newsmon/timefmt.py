"""Times and durations as an analyst reads them."""

from __future__ import annotations

from datetime import UTC, datetime


def duration(seconds: float) -> str:
    """``45 s``, ``15 min``, ``2.5 h``, ``3.0 days``."""
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def iso(epoch: float | None) -> str:
    """An epoch time as ``YYYY-MM-DD HH:MM:SS`` (UTC), or ``-``."""
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S")


def short_iso(value: str | None) -> str:
    """An ISO time string as ``YYYY-MM-DD HH:MM:SS``."""
    return (value or "")[:19].replace("T", " ")
