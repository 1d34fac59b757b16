"""Held alerts: flood control's hourly digests and, for a destination (no threads), one
follow-up per story and hour for the later copies of a story. A base of the dispatcher."""

from __future__ import annotations

import logging
from collections.abc import Callable

from alerts.dispatch_report import DispatchReport, hour_of, retry_in
from alerts.followups import build_followup, split_copies
from alerts.messages import AlertMessage, build_digest
from alerts.notifiers import Notifier, Permanent, RetryLater, Uncertain
from storage import OutboxAlert, Storage

log = logging.getLogger("newsmon.dispatcher")


class HeldDelivery:
    store: Storage
    notifier: Notifier
    threadless: frozenset[str]
    max_attempts: dict[str, int]
    lease: float
    clock: Callable[[], float]

    def _pace(self, channel: str) -> None:
        raise NotImplementedError

    def _noted(self, channel: str, error: str | None = None) -> None:
        """A destination's delivery or failure, for ``newsmon status``."""
        if channel in self.threadless:
            self.store.note_delivery(channel, self.clock(), error)

    def _given_up(self, channel: str, attempts: int) -> bool:
        """The destination's attempts are used up: the message goes to the dead letters."""
        limit = self.max_attempts.get(channel)
        return limit is not None and attempts >= limit

    def _send_digests(
        self,
        report: DispatchReport,
        blocked: dict[str, float],
        should_stop: Callable[[], bool],
    ) -> None:
        """One message per channel for the alerts held during each hour that has ended (and,
        for a destination, one follow-up per story for the later copies it held)."""
        now = self.clock()
        for channel, hour in self.store.due_digests(hour_of(now), now):
            if should_stop() or channel in blocked:
                continue
            alerts = self.store.claim_digest(channel, hour, now, self.lease)
            if not alerts:
                continue
            sends: list[tuple[str, AlertMessage, list[OutboxAlert]]] = []
            held = alerts
            if channel in self.threadless:
                copy = [self.store.thread_for(a.story_id, channel) is not None for a in alerts]
                held, stories = split_copies(alerts, copy)
                for story in stories:
                    first = self.store.thread_alert(story[0].story_id, channel)
                    sends.append(("follow-up", build_followup(story, first), story))
            if held:
                sends.insert(0, ("digest", build_digest(channel, hour, held), held))
            for i, (kind, message, group) in enumerate(sends):
                if not self._send_held(kind, message, group, report, blocked):
                    rest = [int(a.id) for _, _, g in sends[i + 1 :] for a in g]
                    if rest:  # claimed with this one: released for its next try
                        self.store.release_digest(rest, blocked[channel], "waiting its turn")
                    break

    def _send_held(
        self,
        kind: str,
        message: AlertMessage,
        alerts: list[OutboxAlert],
        report: DispatchReport,
        blocked: dict[str, float],
    ) -> bool:
        """Send one digest (or follow-up) of held alerts; False when its channel must rest."""
        channel = message.channel
        ids = [int(a.id) for a in alerts]
        try:
            found = None
            if any(a.attempts > 1 for a in alerts):
                found = self.notifier.find_sent(message)
            if found is None:
                self._pace(channel)
                found = self.notifier.send(message, None)
        except Permanent as exc:
            for alert_id in ids:
                self.store.mark_dead(alert_id, exc.reason)
            report.dead += ids
            self._noted(channel, exc.reason)
            log.error("%s to %s failed for good: %s", kind, channel, exc.reason)
            return True
        except (RetryLater, Uncertain) as exc:
            self._noted(channel, exc.reason)
            if self._given_up(channel, alerts[0].attempts):
                reason = f"gave up after {alerts[0].attempts} attempts: {exc.reason}"
                for alert_id in ids:
                    self.store.mark_dead(alert_id, reason)
                report.dead += ids
                log.error("%s to %s failed for good: %s", kind, channel, reason)
                return True
            after = retry_in(exc, alerts[0].attempts)
            self.store.release_digest(ids, self.clock() + after, exc.reason)
            blocked[channel] = self.clock() + after
            log.warning("%s to %s: %s; retrying in %.1fs", kind, channel, exc.reason, after)
            return False
        self.store.mark_digest_sent(ids, found)
        self._noted(channel)
        report.digests += 1
        report.sent += ids
        log.info("%s of %d alert(s) sent to %s", kind, len(ids), channel)
        return True
