"""``Retry-After`` (RFC 9110 §10.2.3): the one parser, for Slack's answers and the crawler's.

Callers apply their own ceiling: the notifiers cap the wait at an hour, the crawler decides
per site whether to wait at all.
"""

from __future__ import annotations

import time
from datetime import UTC
from email.utils import parsedate_to_datetime


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds: delta-seconds (also fractional) or an HTTP date (relative to
    ``now``, default :func:`time.time`); a past date or negative number → 0.0; junk → None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
