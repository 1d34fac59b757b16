"""How a Telegram channel's poll can fail, told plainly, and whether the configured channels
can be polled in time under the preview host's pace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crawler.config import SourceConfig

# failure kinds recorded for a channel's page (crawl_errors.kind, the poll's errors/<kind>)
UNAVAILABLE = "telegram_unavailable"
LAYOUT_CHANGED = "layout_changed"

UNAVAILABLE_TEXT = "Telegram preview unavailable (private, removed or restricted)"
LAYOUT_TEXT = (
    "layout changed: the channel page holds no message block (tgme_widget_message); "
    "the preview's markup may have changed"
)


def telegram_problem(errors: Mapping[str, int]) -> tuple[str, str] | None:
    """(health, message) when a channel poll failed in one of the Telegram ways."""
    if errors.get(UNAVAILABLE):
        return "unavailable", UNAVAILABLE_TEXT
    if errors.get(LAYOUT_CHANGED):
        return "layout changed", LAYOUT_TEXT
    return None


def pace_shortfall(sources: Sequence[SourceConfig], delay: float) -> str | None:
    """Every channel shares the preview host, one request at a time ``delay`` apart: when the
    enabled channels need more pages per second than that allows, by how much."""
    channels = [s for s in sources if s.telegram and s.enabled]
    if not channels or delay <= 0:
        return None
    needed = sum(1.0 / s.interval for s in channels)  # pages per second, one page per poll
    allowed = 1.0 / delay
    if needed <= allowed * (1 + 1e-9):
        return None
    cycle = len(channels) * delay
    return (
        f"{len(channels)} Telegram channels cannot be polled in time: they need "
        f"{needed:.2f} pages/s, the preview host's pace (telegram_delay {delay:g}s) allows "
        f"{allowed:.2f}; each poll comes about {needed / allowed:.1f}× later than its interval "
        f"(a round of all channels takes {cycle:.0f}s). Raise their interval or lower "
        "telegram_delay."
    )
