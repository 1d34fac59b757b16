"""The dispatcher drains the alert outbox: at most one message per second per channel, one
top-level message per story and channel (later copies reply in its thread), retries with backoff,
dead letters for permanent errors, and no double post after a crash or an uncertain send. A story
that joins an earlier one (one event first seen as two) has its top-level message updated to
point to the kept thread (``alerts.joined_threads``).

Reply floods: once a story's thread in a channel has had ``max_replies_per_hour`` replies in
the last hour, later copies are folded into one summary reply, updated in place.

Flood control: once the rules of an alert have each had their hourly share of top-level messages
in a channel (``max_per_hour``), the alert is held; when the clock hour ends, the held alerts of
each channel go out together as one digest message.

Apprise destinations (``threadless`` channels) have the same outbox, leases, pace (their own
``intervals``), backoff and digests; they have no threads, so a story's later copies are held and
go out as one follow-up per story when the hour ends, and a message that keeps failing is
dead-lettered after the destination's ``attempts`` with its last answer. Each delivery and
failure is noted for ``newsmon status``.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime

from alerts.destinations import with_chart
from alerts.dispatch_report import DispatchReport, hour_of, retry_in
from alerts.held import HeldDelivery
from alerts.joined_threads import JoinedThreads
from alerts.messages import (
    build_fold,
    build_message,
    build_notice,
)
from alerts.notifiers import Notifier, Permanent, RetryLater, Uncertain
from alerts.outage import Outage
from alerts.trend_messages import post_message
from storage import FoldedCopy, OutboxAlert, Storage, ThreadFold, TrendPost

log = logging.getLogger("newsmon.dispatcher")

LEASE_S = 45.0  # an alert being sent is invisible to other dispatchers for this long (a send
# gives up after 15 s, so a live dispatcher is long done by then)
UNCERTAIN = "uncertain: "


# A dispatcher that wakes this late for its channel's turn takes a later one (at most TURNS).
LATE_S = 0.1
TURNS = 3


class LeaseLost(Exception):
    """A message's lease ran out while its dispatcher waited, and another dispatcher took it."""


class Dispatcher(HeldDelivery, JoinedThreads):
    def __init__(
        self,
        store: Storage,
        notifier: Notifier,
        *,
        per_channel_interval: float = 1.0,
        max_per_hour: int | None = None,
        rule_limits: Mapping[str, int] | None = None,
        max_replies_per_hour: int | None = None,
        threadless: Collection[str] = (),
        intervals: Mapping[str, float] | None = None,
        attempts: Mapping[str, int] | None = None,
        lease: float = LEASE_S,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.notifier = notifier
        self.interval = per_channel_interval
        self.max_per_hour = max_per_hour
        self.rule_limits = dict(rule_limits or {})
        self.max_replies_per_hour = max_replies_per_hour
        self.threadless = frozenset(threadless)
        self.intervals = dict(intervals or {})
        self.max_attempts = dict(attempts or {})
        self.lease = lease
        # how to extend the claim of the message being delivered, and when its lease ends
        self._claim: tuple[Callable[[float, float], bool], float] | None = None
        self.clock = clock
        self.sleep = sleep
        self._outages: dict[str, Outage] = {}

    def _outage(self, channel: str) -> Outage:
        """The channel's delivery trouble, told once each way (the retries in between at debug
        level)."""
        if channel not in self._outages:
            what = f"destination {channel}" if channel in self.threadless else f"Slack ({channel})"
            self._outages[channel] = Outage(
                what,
                log,
                meanwhile="its alerts stay queued and are retried with backoff",
                down="is failing",
                up="is taking alerts again",
                clock=self.clock,
            )
        return self._outages[channel]

    def _pace(self, channel: str) -> None:
        """Wait for the channel's turn: at most one message per ``interval`` to a channel,
        across every dispatcher that shares the database (the daemons of a fleet included).
        A dispatcher that wakes up late for its turn (a busy machine) takes a later one, so the
        next dispatcher's message does not follow it closer than the interval.
        The message being delivered stays claimed until its turn has come: its lease is
        extended first, or, when it already ran out and another dispatcher took the message,
        the delivery stops here (``LeaseLost``) — two dispatchers never send one message."""
        interval = self.intervals.get(channel, self.interval)
        claim, self._claim = self._claim, None  # the message's own turn (not a later edit)
        for _ in range(TURNS):
            when = self.store.reserve_post(channel, self.clock(), interval)
            if claim is not None:
                extend, held_until = claim
                until = when + self.lease
                if until > held_until:
                    if not extend(held_until, until):
                        raise LeaseLost()
                    claim = (extend, until)
            wait = when - self.clock()
            if wait > 0:
                self.sleep(wait)
            if interval <= 0 or self.clock() - when <= LATE_S:
                return

    def run_once(self, should_stop: Callable[[], bool] = lambda: False) -> DispatchReport:
        """Deliver every alert that is due now. Returns what happened."""
        report = DispatchReport()
        blocked_channels: dict[str, float] = {}
        self._send_digests(report, blocked_channels, should_stop)
        self._send_notices(report, blocked_channels, should_stop)
        self._send_posts(report, blocked_channels, should_stop)
        # joined stories first: a copy of the kept story may go into a thread the join opens
        self._send_joins(blocked_channels, should_stop)
        while not should_stop():
            due = [
                a for a in self.store.due_alerts(self.clock()) if a.channel not in blocked_channels
            ]
            if not due:
                break
            progressed = False
            for alert in due:
                if should_stop():
                    break
                if alert.channel in blocked_channels:
                    continue
                now = self.clock()
                if not self.store.claim_alert(alert.id, now, self.lease):
                    continue  # another dispatcher has it
                progressed = True
                self._claim = (
                    functools.partial(self.store.extend_claim, alert.id),
                    now + self.lease,
                )
                try:
                    outcome = self._deliver(alert, report)
                except LeaseLost:
                    log.info("alert %s: taken by another dispatcher meanwhile", alert.id)
                    continue
                finally:
                    self._claim = None
                if outcome is not None:
                    blocked_channels[alert.channel] = outcome
            if not progressed:
                break
        return report

    def _deliver(self, alert: OutboxAlert, report: DispatchReport) -> float | None:
        """Send one alert. Returns a time until which its channel should rest, if any."""
        channel = alert.channel
        is_reply = self.store.thread_for(alert.story_id, channel) is not None
        message = build_message(alert, reply=is_reply)
        try:
            if alert.status == "sending" or (alert.last_error or "").startswith(UNCERTAIN):
                # An earlier attempt may have landed (crash or timeout after sending): look first.
                found = self.notifier.find_sent(
                    message, self.store.thread_for(alert.story_id, channel)
                )
                if found:
                    thread = self.store.thread_for(alert.story_id, channel)
                    self.store.mark_sent(alert, found, thread if thread != found else None)
                    report.sent.append(alert.id)
                    log.info("alert %s was already in %s (ts %s)", alert.id, channel, found)
                    return None
            thread_ts = self.store.thread_for(alert.story_id, channel)
            if thread_ts is not None and channel in self.threadless:
                hour = hour_of(self.clock())
                self.store.hold_alert(alert.id, hour)
                report.held.append(alert.id)
                log.info(
                    "alert %s to %s held for the story's %s:00 follow-up", alert.id, channel, hour
                )
                return None
            if thread_ts is not None and self._replies_flooded(alert):
                self._fold(alert, report)
                return None
            if thread_ts is None and self._flooded(alert):
                hour = hour_of(self.clock())
                self.store.hold_alert(alert.id, hour)
                report.held.append(alert.id)
                log.info("alert %s to %s held for the %s:00 digest", alert.id, channel, hour)
                return None
            self._pace(channel)
            ts = self.notifier.send(message, thread_ts)
        except Permanent as exc:
            self.store.mark_dead(alert.id, exc.reason)
            self._noted(channel, exc.reason)
            report.dead.append(alert.id)
            log.error(
                "alert %s to %s failed for good: %s (see `newsmon status`)",
                alert.id,
                channel,
                exc.reason,
            )
            return None
        except (RetryLater, Uncertain) as exc:
            # Transient failures never dead-letter a Slack alert: the backoff caps at 15 minutes
            # and delivery resumes when Slack does. A destination has its number of attempts.
            self._noted(channel, exc.reason)
            if self._given_up(channel, int(alert.attempts) + 1):
                reason = f"gave up after {alert.attempts + 1} attempts: {exc.reason}"
                self.store.mark_dead(alert.id, reason)
                report.dead.append(alert.id)
                log.error("alert %s to %s failed for good: %s", alert.id, channel, reason)
                return None
            after = retry_in(exc, int(alert.attempts) + 1)
            prefix = UNCERTAIN if isinstance(exc, Uncertain) else ""
            when = self.clock() + after
            self.store.mark_retry(alert.id, when, prefix + exc.reason)
            report.retried.append(alert.id)
            self._outage(channel).failed(exc.reason, f"alert {alert.id}, next try in {after:.0f}s")
            return when
        languages = self.store.story_languages(alert.story_id, channel) if thread_ts else ()
        self.store.mark_sent(alert, ts, thread_ts)
        self._noted(channel)
        self._outage(channel).ok()
        report.sent.append(alert.id)
        log.info("alert %s sent to %s%s", alert.id, channel, " (in thread)" if thread_ts else "")
        if thread_ts and alert.language and languages and alert.language not in languages:
            self._list_languages(alert, thread_ts, (*languages, alert.language))
        return None

    def _list_languages(
        self, alert: OutboxAlert, thread_ts: str, languages: tuple[str, ...]
    ) -> None:
        """A copy in a new language replied in the story's thread: the top-level message is
        updated in place to list the languages the story has appeared in so far."""
        top = self.store.thread_alert(alert.story_id, alert.channel)
        if top is None or thread_ts.startswith("webhook-") or alert.channel in self.threadless:
            # a webhook or a destination cannot edit what it posted
            return
        try:
            self._pace(alert.channel)
            self.notifier.update(build_message(top, languages=languages), thread_ts)
        except (Permanent, RetryLater, Uncertain) as exc:  # the reply is out; the list can wait
            log.warning(
                "story %s: languages not listed in %s: %s", alert.story_id, top.channel, exc
            )

    def _replies_flooded(self, alert: OutboxAlert) -> bool:
        """The story's thread in this channel had its hour's share of replies."""
        if self.max_replies_per_hour is None:
            return False
        since = datetime.fromtimestamp(self.clock() - 3600, UTC).isoformat(timespec="seconds")
        sent = self.store.replies_sent_since(alert.story_id, alert.channel, since)
        return sent >= self.max_replies_per_hour

    def _fold(self, alert: OutboxAlert, report: DispatchReport) -> None:
        """Fold a copy into the story's summary reply: posted with the first copy folded,
        updated in place with each later one (no message per outlet)."""
        fold = self.store.fold_for(alert.story_id, alert.channel)
        copies = list(fold.copies) if fold else []
        if all(c.url != alert.url for c in copies):  # (a retried fold adds nothing twice)
            copies.append(FoldedCopy(alert.source, alert.url, alert.title))
        message = build_fold(alert, copies)
        self._pace(alert.channel)
        if fold is None:
            thread_ts = self.store.thread_for(alert.story_id, alert.channel)
            ts = self.notifier.send(message, thread_ts)
        else:
            ts = self.notifier.update(message, fold.ts)
        self.store.mark_folded(alert, ThreadFold(alert.story_id, alert.channel, ts, tuple(copies)))
        report.sent.append(alert.id)
        report.folded += 1
        log.info("alert %s folded into the summary reply of story %s", alert.id, alert.story_id)

    def _limit(self, rule: str) -> int | None:
        return self.rule_limits.get(rule, self.max_per_hour)

    def _flooded(self, alert: OutboxAlert) -> bool:
        """True when every rule of the alert has used up its top-level messages for this hour
        in the alert's channel."""
        rules = alert.rules
        since = hour_of(self.clock()) + ":00:00"
        for rule in rules:
            limit = self._limit(rule)
            if limit is None:
                return False
            if self.store.top_level_sent_since(alert.channel, rule, since) < limit:
                return False
        return bool(rules)

    def _send_notices(
        self,
        report: DispatchReport,
        blocked: dict[str, float],
        should_stop: Callable[[], bool],
    ) -> None:
        """Source-health messages (delivered at least once)."""
        for notice in self.store.due_notices(self.clock()):
            channel = notice.channel
            if should_stop() or channel is None or channel in blocked:
                continue
            try:
                self._pace(channel)
                ts = self.notifier.send(build_notice(notice), None)
            except Permanent as exc:
                self.store.mark_notice(notice.id, "dead", error=exc.reason)
                self._noted(channel, exc.reason)
                log.error("health notice to %s failed for good: %s", channel, exc.reason)
                continue
            except (RetryLater, Uncertain) as exc:
                self._noted(channel, exc.reason)
                if self._given_up(channel, int(notice.attempts) + 1):
                    self.store.mark_notice(notice.id, "dead", error=exc.reason)
                    log.error("health notice to %s failed for good: %s", channel, exc.reason)
                    continue
                after = retry_in(exc, int(notice.attempts) + 1)
                self.store.mark_notice(
                    notice.id, "pending", when=self.clock() + after, error=exc.reason
                )
                blocked[channel] = self.clock() + after
                continue
            self.store.mark_notice(notice.id, "sent", ts=ts)
            self._noted(channel)
            report.notices += 1

    def _send_posts(
        self,
        report: DispatchReport,
        blocked: dict[str, float],
        should_stop: Callable[[], bool],
    ) -> None:
        """Spike alerts and daily briefings: each once (claimed, so two dispatchers never both
        send one), its chart shared after the message; a retry after the message went only
        shares the chart."""
        for post in self.store.due_posts(self.clock()):
            channel = post.channel
            if should_stop() or channel in blocked:
                continue
            now = self.clock()
            if not self.store.claim_post(post.id, now, self.lease):
                continue
            self._claim = (
                functools.partial(self.store.extend_post_claim, post.id),
                now + self.lease,
            )
            try:
                self._deliver_post(post)
            except LeaseLost:
                log.info("%s %s: taken by another dispatcher meanwhile", post.kind, post.id)
                continue
            except Permanent as exc:
                self.store.mark_post(post.id, "dead", error=exc.reason)
                self._noted(channel, exc.reason)
                log.error("%s to %s failed for good: %s", post.kind, channel, exc.reason)
                continue
            except (RetryLater, Uncertain) as exc:
                self._noted(channel, exc.reason)
                if self._given_up(channel, int(post.attempts) + 1):
                    reason = f"gave up after {post.attempts + 1} attempts: {exc.reason}"
                    self.store.mark_post(post.id, "dead", error=reason)
                    log.error("%s to %s failed for good: %s", post.kind, channel, reason)
                    continue
                after = retry_in(exc, int(post.attempts) + 1)
                prefix = UNCERTAIN if isinstance(exc, Uncertain) else ""
                when = self.clock() + after
                self.store.mark_post(post.id, "pending", when=when, error=prefix + exc.reason)
                blocked[channel] = when
                log.warning(
                    "%s to %s: %s; retrying in %.1fs", post.kind, channel, exc.reason, after
                )
                continue
            self._noted(channel)
            report.posts += 1
            log.info("%s sent to %s", post.kind, channel)

    def _deliver_post(self, post: TrendPost) -> None:
        try:
            self._send_post(post)
        finally:
            self._claim = None

    def _send_post(self, post: TrendPost) -> None:
        message = post_message(post)
        if post.channel in self.threadless:
            # a destination takes the chart with the message: one send
            self._pace(post.channel)
            sent = self.notifier.send(with_chart(message, post.filename, post.file), None)
            self.store.mark_post(post.id, "sent", ts=sent)
            return
        ts = post.ts
        if ts is None and (
            post.status == "sending" or (post.last_error or "").startswith(UNCERTAIN)
        ):
            ts = self.notifier.find_sent(message)  # an earlier attempt may have landed
        if ts is None:
            self._pace(post.channel)
            ts = self.notifier.send(message, None)
        if post.file is not None and post.filename:
            # the message is out: a failure from here on retries the chart alone
            self.store.mark_post(post.id, "sending", ts=ts, when=self.clock() + self.lease)
            self.notifier.upload(post.channel, post.filename, post.file, post.text)
        self.store.mark_post(post.id, "sent", ts=ts)

    def drain(
        self, timeout: float, should_stop: Callable[[], bool] = lambda: False
    ) -> DispatchReport:
        """Deliver until nothing is pending or ``timeout`` seconds have passed (waiting for
        retries that fall inside the window). The deadline holds per message: a backlog paced
        at one message a second stops at it, and the rest stays queued."""
        deadline = self.clock() + timeout

        def done() -> bool:
            return should_stop() or self.clock() >= deadline

        total = DispatchReport()
        while not done():
            report = self.run_once(done)
            total.add(report)
            nxt = self.store.next_alert_due()
            if nxt is None or nxt > deadline:
                break
            self.sleep(max(0.05, min(nxt - self.clock(), deadline - self.clock(), 1.0)))
            if self.clock() >= deadline:
                break
        return total
