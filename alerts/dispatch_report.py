"""What one round of the dispatcher did (sent, retried, failed, held, digests, notices, folded
copies, trend messages), and when a failed send is tried again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from alerts.notifiers import RetryLater, Uncertain


def backoff(attempts: int) -> float:
    """2, 4, 8 … seconds, capped at 15 minutes."""
    return float(min(900, 2 ** max(1, attempts)))


def retry_in(exc: RetryLater | Uncertain, attempts: int) -> float:
    """Seconds until the next try: what Slack asked for (``Retry-After``), else the backoff."""
    if isinstance(exc, RetryLater) and exc.after is not None:
        return exc.after
    return backoff(attempts)


@dataclass
class DispatchReport:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    digests: int = 0
    notices: int = 0
    folded: int = 0  # copies folded into a story's summary reply
    posts: int = 0  # trend messages: spike alerts, daily briefings

    def __str__(self) -> str:
        text = f"{len(self.sent)} sent, {len(self.retried)} to retry, {len(self.dead)} failed"
        if self.held:
            text += f", {len(self.held)} held for the hourly digest"
        if self.digests:
            text += f", {self.digests} digest(s)"
        if self.notices:
            text += f", {self.notices} health notice(s)"
        if self.folded:
            text += f", {self.folded} folded into summary replies"
        if self.posts:
            text += f", {self.posts} trend message(s)"
        return text

    def add(self, other: DispatchReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.dead += other.dead
        self.held += other.held
        self.digests += other.digests
        self.notices += other.notices
        self.folded += other.folded
        self.posts += other.posts


def hour_of(epoch: float) -> str:
    """The clock hour (UTC) an instant falls in, as ``YYYY-MM-DDTHH``."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H")
