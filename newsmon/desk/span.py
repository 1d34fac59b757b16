"""The days a desk page shows, anchored to the data: "the last N days" are the N days up to
today — or, when the newest matched article is older than that (a copied or sample database),
the N days up to that article's day, and the page says so (as ``newsmon report`` does)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.days import days_before


@dataclass(frozen=True)
class DeskSpan:
    since: str
    until: str
    days: int
    today: str
    newest: str | None  # the newest day with a matched article, if any

    @property
    def anchored(self) -> bool:
        return self.until != self.today

    @property
    def label(self) -> str:
        if self.days == 1:
            return "Today" if not self.anchored else self.until
        return f"{self.since} – {self.until}"

    @property
    def note(self) -> str:
        """Why the span ends where it does ("" when it ends today as asked)."""
        if self.newest is None:
            return "Nothing has matched a rule yet."
        if self.anchored:
            shown = (
                "this is that day" if self.days == 1 else f"these are the {self.days} days up to it"
            )
            return (
                f"The newest matched article is from {self.newest}, older than today "
                f"({self.today}): {shown}."
            )
        return ""


def desk_span(days: int, today: str, newest: str | None) -> DeskSpan:
    """The ``days`` days up to ``today``, or up to ``newest`` when nothing newer is held."""
    days = max(1, min(days, 366))
    until = today
    if newest is not None and newest < days_before(today, days - 1):
        until = newest
    return DeskSpan(days_before(until, days - 1), until, days, today, newest)
