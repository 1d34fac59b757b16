"""The dispatcher drains the alert outbox: at most one message per second per channel, one
top-level message per story and channel (later copies reply in its thread), retries with backoff,
dead letters for permanent errors, and no double post after a crash or an uncertain send."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from alerts.messages import build_message
from alerts.notifiers import Notifier, Permanent, RetryLater, Uncertain
from storage import Store

log = logging.getLogger("newsmon.dispatcher")

LEASE_S = 120.0  # an alert being sent is invisible to other dispatchers for this long
UNCERTAIN = "uncertain: "


def backoff(attempts: int) -> float:
    """2, 4, 8 … seconds, capped at 15 minutes."""
    return float(min(900, 2 ** max(1, attempts)))


@dataclass
class DispatchReport:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.sent)} sent, {len(self.retried)} to retry, {len(self.dead)} failed"


class Dispatcher:
    def __init__(
        self,
        store: Store,
        notifier: Notifier,
        *,
        per_channel_interval: float = 1.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.notifier = notifier
        self.interval = per_channel_interval
        self.clock = clock
        self.sleep = sleep
        self._last_post: dict[str, float] = {}

    def _pace(self, channel: str) -> None:
        last = self._last_post.get(channel)
        if last is not None:
            wait = self.interval - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)

    def run_once(self, should_stop: Callable[[], bool] = lambda: False) -> DispatchReport:
        """Deliver every alert that is due now. Returns what happened."""
        report = DispatchReport()
        blocked_channels: dict[str, float] = {}
        while not should_stop():
            due = [
                a
                for a in self.store.due_alerts(self.clock())
                if a["channel"] not in blocked_channels
            ]
            if not due:
                break
            progressed = False
            for alert in due:
                if should_stop():
                    break
                if alert["channel"] in blocked_channels:
                    continue
                if not self.store.claim_alert(alert["id"], self.clock(), LEASE_S):
                    continue  # another dispatcher has it
                progressed = True
                outcome = self._deliver(alert, report)
                if outcome is not None:
                    blocked_channels[alert["channel"]] = outcome
            if not progressed:
                break
        return report

    def _deliver(self, alert: dict, report: DispatchReport) -> float | None:
        """Send one alert. Returns a time until which its channel should rest, if any."""
        message = build_message(alert)
        channel = alert["channel"]
        try:
            if alert["status"] == "sending" or (alert.get("last_error") or "").startswith(
                UNCERTAIN
            ):
                # An earlier attempt may have landed (crash or timeout after sending): look first.
                found = self.notifier.find_sent(message)
                if found:
                    thread = self.store.thread_for(alert["story_id"], channel)
                    self.store.mark_sent(alert, found, thread if thread != found else None)
                    report.sent.append(alert["id"])
                    log.info("alert %s was already in %s (ts %s)", alert["id"], channel, found)
                    return None
            thread_ts = self.store.thread_for(alert["story_id"], channel)
            self._pace(channel)
            ts = self.notifier.send(message, thread_ts)
            self._last_post[channel] = self.clock()
        except Permanent as exc:
            self.store.mark_dead(alert["id"], exc.reason)
            report.dead.append(alert["id"])
            log.error(
                "alert %s to %s failed for good: %s (see `newsmon status`)",
                alert["id"],
                channel,
                exc.reason,
            )
            return None
        except (RetryLater, Uncertain) as exc:
            # Transient failures never dead-letter an alert: the backoff caps at 15 minutes and
            # delivery resumes when Slack does.
            attempts = int(alert["attempts"]) + 1
            after = (
                exc.after
                if isinstance(exc, RetryLater) and exc.after is not None
                else backoff(attempts)
            )
            prefix = UNCERTAIN if isinstance(exc, Uncertain) else ""
            when = self.clock() + after
            self.store.mark_retry(alert["id"], when, prefix + exc.reason)
            report.retried.append(alert["id"])
            log.warning(
                "alert %s to %s: %s; retrying in %.1fs", alert["id"], channel, exc.reason, after
            )
            return when
        self.store.mark_sent(alert, ts, thread_ts)
        report.sent.append(alert["id"])
        log.info("alert %s sent to %s%s", alert["id"], channel, " (in thread)" if thread_ts else "")
        return None

    def drain(
        self, timeout: float, should_stop: Callable[[], bool] = lambda: False
    ) -> DispatchReport:
        """Deliver until nothing is pending or ``timeout`` seconds have passed (waiting for
        retries that fall inside the window)."""
        deadline = self.clock() + timeout
        total = DispatchReport()
        while not should_stop():
            report = self.run_once(should_stop)
            total.sent += report.sent
            total.retried += report.retried
            total.dead += report.dead
            nxt = self.store.next_alert_due()
            if nxt is None or nxt > deadline:
                break
            self.sleep(max(0.05, min(nxt - self.clock(), deadline - self.clock(), 1.0)))
            if self.clock() >= deadline:
                break
        return total
