"""One event reported first as two stories, joined later (``storage.story_joins``): in each
Slack channel where both had opened a thread, the later story's top-level message is updated
to point to the earlier story's thread (not deleted), and its copy is replied in that thread;
the later copies go there by themselves (their alerts are the kept story's). A destination
without threads keeps its follow-ups, under the kept story. A base of the dispatcher."""

from __future__ import annotations

import logging
from collections.abc import Callable

from alerts.dispatch_report import retry_in
from alerts.messages import build_joined, build_message
from alerts.notifiers import Notifier, Permanent, RetryLater, Uncertain
from storage import Storage, ThreadJoin

log = logging.getLogger("newsmon.dispatcher")


class JoinedThreads:
    store: Storage
    notifier: Notifier
    threadless: frozenset[str]
    clock: Callable[[], float]

    def _pace(self, channel: str) -> None:
        raise NotImplementedError

    def _send_joins(
        self, blocked: dict[str, float], should_stop: Callable[[], bool] = lambda: False
    ) -> int:
        """Point the top-level messages of joined stories to the kept threads. Returns how many
        channels were done."""
        done = 0
        for join in self.store.thread_joins():
            if should_stop():
                break
            if join.channel in blocked:
                continue
            try:
                self._join_thread(join)
            except Permanent as exc:  # the message is gone or cannot be edited: nothing to fix
                self.store.mark_thread_join(join, True, exc.reason)
                log.warning(
                    "story %s: its message in %s not pointed to story %s: %s",
                    join.from_id,
                    join.channel,
                    join.into_id,
                    exc.reason,
                )
                continue
            except (RetryLater, Uncertain) as exc:
                self.store.mark_thread_join(join, False, exc.reason)
                blocked[join.channel] = self.clock() + retry_in(exc, join.attempts + 1)
                continue
            self.store.mark_thread_join(join, True)
            done += 1
            log.info(
                "story %s joined story %s: its message in %s points to the kept thread",
                join.from_id,
                join.into_id,
                join.channel,
            )
        return done

    def _join_thread(self, join: ThreadJoin) -> None:
        kept_ts = self.store.thread_for(join.into_id, join.channel)
        moved = self.store.outbox_alert(join.alert_id)
        if join.channel in self.threadless or kept_ts is None or moved is None:
            return  # no thread to point to: later copies follow the kept story as they come
        kept = self.store.thread_alert(join.into_id, join.channel)
        if not join.ts.startswith("webhook-"):  # a webhook cannot edit what it posted
            self._pace(join.channel)
            self.notifier.update(build_joined(moved, kept), join.ts)
        reply = build_message(moved, reply=True)
        if join.attempts and self.notifier.find_sent(reply, kept_ts):
            return  # an earlier attempt replied already
        self._pace(join.channel)
        self.notifier.send(reply, kept_ts)
