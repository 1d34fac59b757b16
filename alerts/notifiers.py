"""Notifiers deliver one message. Slack (slack-sdk ``WebClient``) and the console.

A notifier either returns the message's ``ts`` or raises one of:

- :class:`RetryLater` — not delivered, try again after ``after`` seconds (429, 5xx, refused);
- :class:`Uncertain` — the request may have reached Slack (timeout, connection lost): look the
  alert up in the channel history before posting again;
- :class:`Permanent` — will never work as configured (bad token, unknown channel): dead letter.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, Protocol, TextIO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from alerts.messages import EVENT_TYPE, MAX_BLOCKS, AlertMessage
from alerts.retry_after import parse_retry_after

log = logging.getLogger("newsmon.notifiers")

PERMANENT_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "restricted_action",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "team_access_not_granted",
        "ekm_access_denied",
    }
)


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(DeliveryError):
    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Uncertain(DeliveryError):
    pass


class Permanent(DeliveryError):
    pass


class Notifier(Protocol):
    name: str

    def send(self, message: AlertMessage, thread_ts: str | None) -> str: ...

    def update(self, message: AlertMessage, ts: str) -> str:
        """Replace an earlier message (the story's summary reply); returns its ts."""
        ...

    def find_sent(self, message: AlertMessage, thread_ts: str | None = None) -> str | None: ...

    def upload(self, channel: str, filename: str, content: bytes, title: str) -> None:
        """Share a file (a chart) in the channel."""
        ...


# The longest wait a ``Retry-After`` from Slack can impose on a channel's alerts.
MAX_RETRY_AFTER_S = 3600.0


def retry_wait(value: str | None) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds, at most
    :data:`MAX_RETRY_AFTER_S`; None when it is missing or unreadable."""
    seconds = parse_retry_after(value)
    return None if seconds is None else min(seconds, MAX_RETRY_AFTER_S)


class SlackNotifier:
    """Posts with ``chat.postMessage``. slack-sdk's own retry handlers are off: the dispatcher
    decides about retries, so a wait never blocks delivery to other channels."""

    name = "slack"

    def __init__(self, token: str, base_url: str | None = None, timeout: float = 15.0) -> None:
        self.client = WebClient(
            token=token,
            base_url=base_url or WebClient.BASE_URL,
            timeout=int(max(1, timeout)),
            retry_handlers=[],
        )
        self.channel_ids: dict[str, str] = {}  # channel as configured → its id (from posts)

    def _classify(self, exc: SlackApiError) -> DeliveryError:
        resp = exc.response
        status = getattr(resp, "status_code", 0)
        error = ""
        try:
            error = str(resp.get("error") or "")
        except Exception:  # a non-JSON body
            error = ""
        if status == 429 or error == "ratelimited":
            after = retry_wait(resp.headers.get("Retry-After") or resp.headers.get("retry-after"))
            return RetryLater(f"rate limited (HTTP {status})", after)
        if error in PERMANENT_ERRORS:
            return Permanent(f"Slack error: {error}")
        if status >= 500 or error in (
            "internal_error",
            "fatal_error",
            "service_unavailable",
            "request_timeout",
        ):
            return RetryLater(f"Slack unavailable (HTTP {status}{', ' + error if error else ''})")
        return RetryLater(f"Slack error: {error or 'HTTP ' + str(status)}")

    def send(self, message: AlertMessage, thread_ts: str | None) -> str:
        try:
            resp = self.client.chat_postMessage(
                channel=message.channel,
                text=message.text,
                blocks=message.blocks,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                metadata=message.metadata,
            )
        except SlackApiError as exc:
            raise self._classify(exc) from None
        except (TimeoutError, OSError) as exc:
            # Covers socket timeouts and dropped connections: the post may have landed.
            if isinstance(exc, ConnectionRefusedError) or "Connection refused" in str(exc):
                raise RetryLater(f"cannot connect to Slack: {type(exc).__name__}") from None
            raise Uncertain(f"no answer from Slack: {type(exc).__name__}") from None
        if resp.get("channel"):
            self.channel_ids[message.channel] = str(resp["channel"])
        return str(resp["ts"])

    def _channel_id(self, channel: str) -> str:
        """A file is shared by channel id: the one Slack answered a post with, else looked up
        by name (``conversations.list``)."""
        known = self.channel_ids.get(channel)
        if known:
            return known
        name = channel.lstrip("#")
        cursor = None
        while True:
            resp = self.client.conversations_list(
                types="public_channel,private_channel", limit=200, cursor=cursor
            )
            channels: list[dict[str, Any]] = resp.get("channels", []) or []
            for ch in channels:
                if ch.get("name") == name or ch.get("id") == channel:
                    self.channel_ids[channel] = str(ch["id"])
                    return str(ch["id"])
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return channel  # perhaps an id already; Slack says so if not

    def upload(self, channel: str, filename: str, content: bytes, title: str) -> None:
        """Share a file with ``files_upload_v2`` (upload URL, upload, complete)."""
        try:
            self.client.files_upload_v2(
                channel=self._channel_id(channel), file=content, filename=filename, title=title
            )
        except SlackApiError as exc:
            raise self._classify(exc) from None
        except SlackRequestError as exc:  # the upload step itself was refused
            raise RetryLater(f"file upload failed: {exc}") from None
        except (TimeoutError, OSError) as exc:
            raise RetryLater(f"no answer from Slack: {type(exc).__name__}") from None

    def update(self, message: AlertMessage, ts: str) -> str:
        try:
            resp = self.client.chat_update(
                channel=message.channel,
                ts=ts,
                text=message.text,
                blocks=message.blocks,
                metadata=message.metadata,
            )
        except SlackApiError as exc:
            raise self._classify(exc) from None
        except (TimeoutError, OSError) as exc:
            # an update is idempotent: trying it again is always safe
            raise RetryLater(f"no answer from Slack: {type(exc).__name__}") from None
        return str(resp.get("ts") or ts)

    def find_sent(self, message: AlertMessage, thread_ts: str | None = None) -> str | None:
        """The ts of an earlier post of this alert in its channel (or in the thread it was
        replying to), if Slack has one."""
        try:
            if thread_ts:
                resp = self.client.conversations_replies(
                    channel=message.channel, ts=thread_ts, include_all_metadata=True, limit=200
                )
            else:
                resp = self.client.conversations_history(
                    channel=message.channel, include_all_metadata=True, limit=200
                )
        except SlackApiError as exc:
            raise self._classify(exc) from None
        except (TimeoutError, OSError) as exc:
            raise RetryLater(f"cannot check channel history: {type(exc).__name__}") from None
        messages: list[dict[str, Any]] = resp.get("messages", []) or []
        for msg in messages:
            meta = msg.get("metadata") or {}
            if (
                meta.get("event_type") == EVENT_TYPE
                and (meta.get("event_payload") or {}).get("alert_id") == message.alert_id
            ):
                return str(msg.get("ts"))
        return None


class ConsoleNotifier:
    """Prints alerts (when no Slack is configured)."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message: AlertMessage, thread_ts: str | None) -> str:
        ts = f"{time.time():.6f}"
        where = f"{message.channel} (thread {thread_ts})" if thread_ts else message.channel
        print(f"ALERT → {where}: {message.text}", file=self.stream)
        if message.snippet:
            print(f"    {message.snippet}", file=self.stream)
        self.stream.flush()
        return ts

    def update(self, message: AlertMessage, ts: str) -> str:
        print(f"ALERT (updated) → {message.channel}: {message.text}", file=self.stream)
        self.stream.flush()
        return ts

    def find_sent(self, message: AlertMessage, thread_ts: str | None = None) -> str | None:
        return None

    def upload(self, channel: str, filename: str, content: bytes, title: str) -> None:
        print(f"FILE → {channel}: {title} ({filename}, {len(content)} bytes)", file=self.stream)
        self.stream.flush()


# Incoming-webhook answers (plain-text bodies) that will never work as configured.
WEBHOOK_PERMANENT = frozenset(
    {
        "invalid_token",
        "no_service",
        "no_service_id",
        "no_team",
        "team_disabled",
        "channel_not_found",
        "channel_is_archived",
        "action_prohibited",
        "posting_to_general_channel_denied",
        "no_active_hooks",
        "invalid_payload",
        "invalid_blocks",
        "no_text",
        "user_not_found",
    }
)


class WebhookNotifier:
    """Posts through a Slack incoming webhook (slack-sdk ``WebhookClient``).

    A webhook posts to the one channel it was made for and returns no message ``ts``: later
    copies of a story cannot go into a thread, so they are posted as messages marked "↳ same
    story". Nor can the channel be searched after a timeout, so an uncertain send is retried
    (at least once, rather than at most once).
    """

    name = "webhook"

    def __init__(self, url: str, timeout: float = 15.0) -> None:
        from slack_sdk.webhook import WebhookClient

        self.client = WebhookClient(url, timeout=int(max(1, timeout)), retry_handlers=[])

    def send(self, message: AlertMessage, thread_ts: str | None) -> str:
        text = message.text
        blocks = list(message.blocks)
        if thread_ts:
            text = "↳ same story: " + text
            blocks = [
                {
                    "type": "context",
                    "elements": [
                        {"type": "mrkdwn", "text": "↳ another outlet's copy of an earlier story"}
                    ],
                },
                *blocks[: MAX_BLOCKS - 1],
            ]
        try:
            resp = self.client.send(
                text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
        except (TimeoutError, OSError) as exc:
            raise RetryLater(f"webhook unreachable: {type(exc).__name__}") from None
        body = (resp.body or "").strip()
        if resp.status_code == 200:
            return f"webhook-{message.alert_id}"
        if resp.status_code == 429:
            after = retry_wait((resp.headers or {}).get("Retry-After"))
            raise RetryLater("webhook rate limited (HTTP 429)", after)
        if body in WEBHOOK_PERMANENT or resp.status_code in (403, 404, 410):
            raise Permanent(f"webhook error: {body or 'HTTP ' + str(resp.status_code)}")
        raise RetryLater(f"webhook error: HTTP {resp.status_code} {body[:100]}")

    def update(self, message: AlertMessage, ts: str) -> str:
        """A webhook cannot edit what it posted: the new summary is posted as it stands."""
        return self.send(message, ts)

    def find_sent(self, message: AlertMessage, thread_ts: str | None = None) -> str | None:
        return None

    def upload(self, channel: str, filename: str, content: bytes, title: str) -> None:
        """A webhook cannot share files: the message goes without its chart."""
        log.warning("%s: an incoming webhook cannot share %s; sent without it", channel, filename)


class Router:
    """A notifier that hands each message to the notifier of its channel (``_for``)."""

    name = "routing"

    def _for(self, channel: str) -> Notifier:
        raise NotImplementedError

    def send(self, message: AlertMessage, thread_ts: str | None) -> str:
        return self._for(message.channel).send(message, thread_ts)

    def update(self, message: AlertMessage, ts: str) -> str:
        return self._for(message.channel).update(message, ts)

    def find_sent(self, message: AlertMessage, thread_ts: str | None = None) -> str | None:
        return self._for(message.channel).find_sent(message, thread_ts)

    def upload(self, channel: str, filename: str, content: bytes, title: str) -> None:
        self._for(channel).upload(channel, filename, content, title)


class RoutingNotifier(Router):
    """Sends each channel's alerts through its incoming webhook when it has one, else through
    the bot token; a channel with neither waits (its alerts stay queued)."""

    name = "routing"

    def __init__(
        self, webhooks: dict[str, Notifier], default: Notifier | None, missing: str
    ) -> None:
        self.webhooks = webhooks
        self.default = default
        self.missing = missing

    def _for(self, channel: str) -> Notifier:
        notifier = self.webhooks.get(channel) or self.default
        if notifier is None:
            raise RetryLater(self.missing, after=300.0)
        return notifier
