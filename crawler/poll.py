"""A poll: one crawl of one source inside the long-lived crawl engine.

Many polls run at once in one Scrapy crawl. Each keeps what used to belong to a whole crawl:
its counters (``newsmon/…``, read as :class:`crawler.stats.CrawlCounts`), the conditional-GET
states to save when it finishes, the URL keys it already requested, its deadline — and knows
when it is done: every request and item of the poll holds a *token* until its callback or
errback has run (a request replaced by a retry or a redirect keeps its token, since Scrapy
copies ``meta``), or until the item has left the pipelines.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from crawler.config import SourceConfig
from crawler.stats import PREFIX
from storage import FetchUpdate

POLL_META = "newsmon_poll"
TOKEN_META = "newsmon_token"

FINISHED = "finished"
TIMEOUT = "timeout"
SHUTDOWN = "shutdown"

_ids = itertools.count(1)


class Poll:
    def __init__(
        self,
        source: SourceConfig,
        *,
        run_id: int | None = None,
        timeout: float | None = None,
        on_done: Callable[[Poll], None] | None = None,
    ) -> None:
        self.id = next(_ids)
        self.source = source
        self.run_id = run_id
        self.started = time.monotonic()
        self.deadline = self.started + timeout if timeout else None
        self.counts: Counter[str] = Counter()
        self.maxima: dict[str, float] = {}
        self.fetch_updates: dict[str, FetchUpdate] = {}
        self.requested_keys: set[str] = set()
        self.reason: str | None = None  # set when the poll ends (or is being cut off)
        self.done = False
        self._tokens: set[int] = set()
        self._next_token = itertools.count()
        self._callbacks: list[Callable[[Poll], None]] = [on_done] if on_done else []
        self._on_release: list[Callable[[Poll], None]] = []

    def __repr__(self) -> str:
        return f"<Poll {self.id} {self.source.name} {len(self._tokens)} open>"

    @property
    def name(self) -> str:
        return self.source.name

    # --- counting ------------------------------------------------------------------------------

    def inc(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def max_value(self, key: str, value: float) -> None:
        self.maxima[key] = max(self.maxima.get(key, value), value)

    def set_value(self, key: str, value: float) -> None:
        self.maxima[key] = value

    def stats(self) -> dict[str, Any]:
        """The poll's counters under Scrapy-style keys, as a crawl record keeps them."""
        out: dict[str, Any] = {PREFIX + k: v for k, v in self.counts.items() if v}
        out.update({PREFIX + k: v for k, v in self.maxima.items()})
        out["downloader/request_count"] = self.counts.get("requests", 0)
        out["elapsed_time_seconds"] = round(time.monotonic() - self.started, 3)
        out["finish_reason"] = self.reason or FINISHED
        return out

    # --- completion ----------------------------------------------------------------------------

    def token(self) -> int:
        """A new piece of open work (a request or an item)."""
        token = next(self._next_token)
        self._tokens.add(token)
        return token

    def release(self, token: int | None) -> None:
        if token is not None:
            self._tokens.discard(token)
        self._released()
        self._maybe_done()

    def end(self, reason: str) -> None:
        """Cut the poll off (timeout, shutdown): it finishes now, whatever is still open."""
        if self.done:
            return
        self.reason = reason
        self._tokens.clear()
        self._released()
        self._maybe_done()

    @property
    def open_count(self) -> int:
        """Pieces of open work (requests and items) the poll still waits for."""
        return len(self._tokens)

    def add_done_callback(self, callback: Callable[[Poll], None]) -> None:
        self._callbacks.append(callback)

    def add_release_callback(self, callback: Callable[[Poll], None]) -> None:
        """``callback(poll)`` whenever a piece of open work ends or the poll is cut off (before
        the poll is done): e.g. a first batch waiting for the rest of its poll."""
        self._on_release.append(callback)

    def remove_release_callback(self, callback: Callable[[Poll], None]) -> None:
        if callback in self._on_release:
            self._on_release.remove(callback)

    def _released(self) -> None:
        for callback in list(self._on_release):
            callback(self)

    def overdue(self, now: float | None = None) -> bool:
        return self.deadline is not None and (now or time.monotonic()) > self.deadline

    def _maybe_done(self) -> None:
        if self.done or self._tokens:
            return
        self.done = True
        if self.reason is None:
            self.reason = FINISHED
        for callback in self._callbacks:
            callback(self)


def poll_of(meta: Mapping[str, Any]) -> Poll | None:
    poll = meta.get(POLL_META)
    return poll if isinstance(poll, Poll) else None


def count(stats: Any, meta: Mapping[str, Any] | None, key: str, n: int = 1) -> None:
    """Count ``newsmon/<key>`` in the crawl's stats and in the poll the request belongs to."""
    if stats is not None:
        stats.inc_value(PREFIX + key, n)
    poll = poll_of(meta) if meta is not None else None
    if poll is not None:
        poll.inc(key, n)
