"""A passing outage of something newsmon depends on (the database, Slack for a channel), told
once each way: one warning when the first attempt fails, one line with its duration when an
attempt succeeds again. The attempts in between are logged at debug level (``-vv``), since the
cause is known and a traceback would say nothing new."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable


class Outage:
    def __init__(
        self,
        what: str,
        log: logging.Logger,
        *,
        meanwhile: str = "retrying until it is back",
        down: str = "is unreachable",
        up: str = "is reachable again",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what  # "the database", "Slack (#caucasus)"
        self.log = log
        self.meanwhile = meanwhile  # what newsmon does while it lasts
        self.down, self.up = down, up
        self.clock = clock
        self._lock = threading.Lock()
        self._since: float | None = None
        self._failures = 0
        self._ok_at = float("-inf")  # when an attempt last succeeded

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def failed(self, reason: object, doing: str = "", began: float | None = None) -> None:
        """An attempt failed for a known, passing reason. An attempt that ``began`` (on the
        outage's clock) before another one succeeded is news from the outage already told."""
        with self._lock:
            stale = began is not None and began < self._ok_at
            first = self._since is None and not stale
            if first:  # it began when the first failed attempt did
                self._since = self.clock() if began is None else began
            self._failures += 0 if stale else 1
        during = f" ({doing})" if doing else ""
        if first:
            self.log.warning(
                "%s %s%s: %s; %s", self.what, self.down, during, reason, self.meanwhile
            )
        else:
            self.log.debug("%s still %s%s: %s", self.what, self.down, during, reason)

    def ok(self) -> None:
        """An attempt succeeded: the end of the outage, if there was one."""
        now = self.clock()
        if self._since is None:  # the usual case, without taking the lock
            self._ok_at = now
            return
        with self._lock:
            self._ok_at = now
            since, self._since = self._since, None
            failures, self._failures = self._failures, 0
        if since is not None:
            self.log.warning(
                "%s %s after %.1f s (%d failed attempt(s) meanwhile)",
                self.what,
                self.up,
                now - since,
                failures,
            )
