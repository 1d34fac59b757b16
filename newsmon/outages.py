"""How the daemon tells a job that failed: a database outage (the server restarting, the network
cut) once each way — one warning when it starts, one line with its duration when it ends — and
anything else, whose cause is unknown, with its traceback."""

from __future__ import annotations

import logging

from alerts.outage import Outage
from storage import DatabaseBusy, DatabaseUnreachable

PASSING = (DatabaseUnreachable, DatabaseBusy)  # worth trying again: no traceback


class DatabaseWatch:
    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        self.outage = Outage(
            "the database", log, meanwhile="crawls and alerts wait, retrying until it is back"
        )

    def failed(
        self,
        exc: BaseException | str,
        doing: str,
        then: str = "will try again",
        *,
        began: float | None = None,
    ) -> None:
        """``doing`` (e.g. "claiming due sources"), begun at ``began`` (``time.monotonic()``),
        failed with ``exc`` (or the engine's word that the database was unreachable); ``then``
        is what happens next."""
        if isinstance(exc, (str, *PASSING)):
            self.outage.failed(exc, doing, began)
        else:
            self.log.error("%s failed; %s", doing, then, exc_info=exc)

    def ok(self) -> None:
        """The database answered."""
        self.outage.ok()
