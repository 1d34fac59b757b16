"""Apprise destinations: Telegram, e-mail, Teams, Discord, Matrix, ntfy, a JSON hook … each named
in the config with its Apprise URL.

:class:`AppriseNotifier` sends one message to one destination and reads Apprise's result for
that one service (``AppriseResult`` → ``NotifyResult``: its status, and what the service answered
in that attempt's captured entries): delivered, failed (retried by the dispatcher, dead-lettered
after the destination's attempts) or timed out (it may have landed: retried too, so a message
cut off mid-request can arrive twice, never not at all). Nothing is read from log output.

An Apprise target has no threads and cannot edit or look up what it sent; the dispatcher folds
a story's later copies into one follow-up per hour instead (see ``alerts.followups``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from alerts.formats import HTML, MARKDOWN, TEXT, render
from alerts.messages import AlertMessage
from alerts.notifiers import Notifier, RetryLater, Router, Uncertain

if TYPE_CHECKING:
    from apprise.plugins.base import NotifyBase

log = logging.getLogger("newsmon.destinations")

TIMEOUT_S = 15.0  # one send, connection and answer, at most (as for Slack)
TS_PREFIX = "apprise-"  # the "ts" of a message sent to a destination (it has none of its own)


def apprise_plugin(url: str) -> NotifyBase:
    """The Apprise service of ``url``; ValueError when Apprise does not take it."""
    import apprise

    logging.getLogger("apprise").propagate = False  # its entries are read from the results
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if not scheme:
        raise ValueError("not an Apprise URL (e.g. tgram://TOKEN/CHAT_ID, mailtos://…)")
    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if plugin is None:
        raise ValueError(
            f"Apprise does not accept this {scheme}:// URL (an unknown service, or a part of "
            "the URL is missing or malformed: see the service's page in Apprise's wiki)"
        )
    return plugin


def holds_credential(plugin: NotifyBase) -> bool:
    """True when the URL carries a token or password: Apprise masks it in the URL it shows."""
    return bool(plugin.url(privacy=True) != plugin.url(privacy=False))


def shown_url(url: str) -> str:
    """The URL as it can be shown (credentials masked by Apprise), or its scheme alone."""
    try:
        return str(apprise_plugin(url).url(privacy=True)).split("?", 1)[0]
    except ValueError:
        return url.split("://", 1)[0] + "://…"


def _secrets(url: str) -> list[str]:
    """The parts of a URL that must not be shown (what Apprise masks), longest first."""
    try:
        masked = str(apprise_plugin(url).url(privacy=True))
    except ValueError:
        masked = ""
    parts = {unquote(p) for p in re.split(r"[/:@?&=#]+", url.split("://", 1)[-1]) if len(p) >= 4}
    password = urlsplit(url).password
    if password:
        parts.add(unquote(password))
    return sorted((p for p in parts if p not in masked), key=len, reverse=True)


def body_format(plugin: NotifyBase) -> str:
    """The format to write for a target: HTML where that is its own (e-mail, Telegram),
    else Markdown where it takes it (Discord, Teams, Matrix, a JSON hook), else plain text."""
    formats = plugin.notify_format
    listed = [
        str(getattr(f, "value", f)) for f in (formats if isinstance(formats, tuple) else (formats,))
    ]
    if listed and listed[0] == HTML:
        return HTML
    return MARKDOWN if MARKDOWN in listed else TEXT


def is_email(plugin: NotifyBase) -> bool:
    return hasattr(plugin, "inline") and hasattr(plugin, "from_addr")


@dataclass(frozen=True)
class Answer:
    """What one destination answered to one message."""

    ok: bool
    status: str  # SUCCESS, FAILURE, TIMEOUT, NOMATCH
    service: str  # the service's name (Telegram, Email, JSON …)
    reason: str  # what it said, credentials removed ("" when delivered and nothing to say)
    elapsed: float

    def __str__(self) -> str:
        said = f": {self.reason}" if self.reason else ""
        return f"{self.service} {self.status.lower()} in {self.elapsed:.1f} s{said}"


class AppriseNotifier:
    """Sends to the named destinations. ``urls`` maps each name to its URL, or to None while
    the environment variable that holds it is not set (``missing`` says which)."""

    name = "apprise"

    def __init__(
        self,
        urls: Mapping[str, str | None],
        missing: Mapping[str, str] | None = None,
        timeout: float = TIMEOUT_S,
    ) -> None:
        self.urls = dict(urls)
        self.missing = dict(missing or {})
        self.timeout = timeout
        self._plugins: dict[str, NotifyBase] = {}

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.urls)

    def _plugin(self, name: str) -> NotifyBase:
        if name in self._plugins:
            return self._plugins[name]
        url = self.urls.get(name)
        if not url:
            why = self.missing.get(name, f"no URL for destination '{name}'")
            raise RetryLater(why, after=300.0)
        try:
            plugin = apprise_plugin(url)
        except ValueError as exc:
            raise RetryLater(f"destination '{name}': {exc}", after=300.0) from None
        self._plugins[name] = plugin
        return plugin

    def limit(self, name: str) -> int | None:
        """The longest body the destination takes (Telegram 4096, Discord 2000, Teams 1000)."""
        maxlen = int(getattr(self._plugin(name), "body_maxlen", 0) or 0)
        return maxlen or None

    def deliver(self, name: str, message: AlertMessage) -> Answer:
        """Send one message to one destination and return what it answered."""
        import apprise
        from apprise.attachment.memory import AttachMemory

        plugin = self._plugin(name)
        fmt = body_format(plugin)
        email = is_email(plugin)
        body = render(message, fmt, self.limit(name))
        text = body.body
        attach = None
        if message.attachment is not None and getattr(plugin, "attachment_support", False):
            attach = apprise.AppriseAttachment()
            attach.add(
                AttachMemory(
                    content=message.attachment,
                    name=message.attachment_name or "chart.png",
                    mimetype="image/png",
                )
            )
            if email and fmt == HTML:
                # the chart inline in the HTML part (multipart/related); Apprise adds the
                # plain-text part from the HTML
                plugin.inline = True  # type: ignore[attr-defined]
                text += f'<br>\n<img src="cid:{message.attachment_name}" alt="chart">'
        started = time.monotonic()
        batch = apprise.Apprise()
        batch.add(plugin)
        result = batch.notify(
            body=text,
            title=body.title,
            body_format=fmt,
            attach=attach,
            timeout=self.timeout,
            log_level=logging.WARNING,
        )
        try:
            return self._answer(name, result, time.monotonic() - started)
        finally:
            result.close()

    def _answer(self, name: str, result: Any, elapsed: float) -> Answer:
        services = list(result)
        status = str(result.status.name)
        service = services[0].name if services else str(self._plugin(name).service_name)
        entries = [e for s in services for e in s.logs()] or list(result.call_logs())
        said = [
            e.message for e in entries if e.level in ("WARNING", "ERROR", "CRITICAL") and e.message
        ]
        reason = said[-1] if said else ""
        if services:
            status = str(services[0].status.name)
        for secret in _secrets(self.urls.get(name) or ""):
            reason = reason.replace(secret, "****")
        if status != "SUCCESS" and not reason:
            reason = f"Apprise reports {status.lower()}"
        return Answer(status == "SUCCESS", status, service, reason[:400], elapsed)

    # --- the Notifier protocol -----------------------------------------------------------------

    def send(self, message: AlertMessage, thread_ts: str | None) -> str:
        answer = self.deliver(message.channel, message)
        if answer.ok:
            return f"{TS_PREFIX}{message.alert_id}-{time.time():.6f}"
        why = f"{message.channel} ({answer.service}): {answer.reason}"
        if answer.status == "TIMEOUT":
            raise Uncertain(why)
        raise RetryLater(why)

    def update(self, message: AlertMessage, ts: str) -> str:
        """A destination cannot edit what it sent: nothing to do."""
        return ts

    def find_sent(self, message: AlertMessage, thread_ts: str | None = None) -> str | None:
        return None  # nothing to look up in: an uncertain send is sent again

    def upload(self, channel: str, filename: str, content: bytes, title: str) -> None:
        """A file on its own (the dispatcher sends a briefing's chart with its message)."""
        message = AlertMessage(
            alert_id=0,
            story_id=0,
            channel=channel,
            url="",
            title=title,
            source="newsmon",
            published=None,
            language=None,
            rules=(),
            snippet="",
            fallback=title,
            attachment=content,
            attachment_name=filename,
        )
        self.send(message, None)


class DestinationRouter(Router):
    """Sends a destination's messages through Apprise and every other channel's through
    ``slack`` (the Slack bot, its webhooks or the console); without it they wait."""

    name = "routing"

    def __init__(self, destinations: AppriseNotifier, slack: Notifier | None, missing: str) -> None:
        self.destinations = destinations
        self.slack = slack
        self.missing = missing

    def _for(self, channel: str) -> Notifier:
        if channel in self.destinations.names:
            return self.destinations
        if self.slack is None:
            raise RetryLater(self.missing, after=300.0)
        return self.slack


def with_chart(message: AlertMessage, filename: str | None, content: bytes | None) -> AlertMessage:
    """The message with its chart attached (for a destination: one message, chart included)."""
    if content is None or not filename:
        return message
    return replace(message, attachment=content, attachment_name=filename)
