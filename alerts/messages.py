"""Alert messages: Block Kit for Slack, plain text for the console, within Slack's limits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from alerts.snippets import slack_escape
from storage import FoldedCopy, Notice, OutboxAlert

MAX_TEXT = 3000  # section text limit
MAX_HEADER = 150
MAX_BLOCKS = 50
MAX_FALLBACK = 3000  # the notification text; Slack truncates `text` at 40,000
EVENT_TYPE = "newsmon_alert"
MAX_FOLD_LINES = 20  # outlets listed in a story's summary reply (the latest ones)


@dataclass(frozen=True)
class AlertMessage:
    alert_id: int
    story_id: int
    channel: str
    url: str
    title: str
    source: str
    published: str | None
    language: str | None
    rules: tuple[str, ...]
    snippet: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    fallback: str | None = None  # replaces the default notification text (digests)
    digest_of: tuple[int, ...] = ()  # the alert ids a digest stands for
    attachment: bytes | None = None  # a chart sent with the message (Apprise destinations)
    attachment_name: str = ""

    @property
    def text(self) -> str:
        """The notification fallback: headline, canonical URL and the rule names."""
        if self.fallback is not None:
            return self.fallback
        return _cut(f"{self.title} — {self.url} (rules: {', '.join(self.rules)})", MAX_FALLBACK)

    @property
    def metadata(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"alert_id": self.alert_id, "story_id": self.story_id}
        if self.digest_of:
            payload["digest"] = True
        return {"event_type": EVENT_TYPE, "event_payload": payload}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# The outlets' languages by name (other codes are shown as they are).
LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Russian",
    "kk": "Kazakh",
    "uz": "Uzbek",
    "az": "Azerbaijani",
    "ky": "Kyrgyz",
    "tg": "Tajik",
    "tk": "Turkmen",
    "hy": "Armenian",
    "ka": "Georgian",
    "tr": "Turkish",
    "fa": "Persian",
    "zh": "Chinese",
    "de": "German",
    "fr": "French",
}


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get((code or "").lower(), code or "unknown language")


_TELEGRAM_POST = re.compile(r"^https://t\.me/([A-Za-z][A-Za-z0-9_]{3,31})/\d+$")


def origin_of(alert: OutboxAlert) -> str:
    """Where a thread reply's copy comes from: "Russian, outlet", or "Telegram, @channel" for
    a Telegram post."""
    post = _TELEGRAM_POST.match(alert.url)
    if post:
        return f"Telegram, @{post.group(1)}"
    return f"{language_name(alert.language)}, {slack_escape(alert.source)}"


def build_message(
    alert: OutboxAlert, *, languages: Sequence[str] = (), reply: bool = False
) -> AlertMessage:
    """An alert row (joined with its article) → the message to send. A story's top-level
    message lists the ``languages`` it has appeared in so far; a reply in its thread names its
    language and outlet first."""
    rules = alert.rules
    title = (alert.title or alert.url).strip()
    facts = [f"*{slack_escape(alert.source)}*"]
    if alert.published:
        facts.append(str(alert.published))
    if alert.language:
        facts.append(str(alert.language))
    facts.append("rules: " + ", ".join(f"`{r}`" for r in rules))
    if not reply and len(languages) > 1:
        facts.append("in " + ", ".join(language_name(code) for code in languages))
    headline = f"*<{alert.url}|{slack_escape(_cut(title, 250))}>*"
    if reply:
        headline = f"↳ _{origin_of(alert)}:_ {headline}"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(headline, MAX_TEXT)}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": _cut(" · ".join(facts), MAX_TEXT)}],
        },
    ]
    if alert.snippet:
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _cut("> " + alert.snippet, MAX_TEXT)},
            }
        )
    return AlertMessage(
        alert_id=int(alert.id),
        story_id=int(alert.story_id),
        channel=alert.channel,
        url=alert.url,
        title=title,
        source=alert.source,
        published=alert.published,
        language=alert.language,
        rules=rules,
        snippet=alert.snippet or "",
        blocks=blocks[:MAX_BLOCKS],
    )


def _digest_line(alert: OutboxAlert) -> str:
    title = slack_escape(_cut((alert.title or alert.url).strip(), 200))
    rules = ", ".join(alert.rules)
    return f"• <{alert.url}|{title}> — {slack_escape(alert.source)} ({rules})"


def build_digest(channel: str, hour: str, alerts: list[OutboxAlert]) -> AlertMessage:
    """One message for the alerts held back by flood control during ``hour`` (ISO, UTC):
    a header, then their headlines packed into sections within Slack's limits."""
    rules = tuple(dict.fromkeys(r for a in alerts for r in a.rules))
    end = hour[11:13]
    span = f"{hour[:10]} {end}:00–{(int(end) + 1) % 24:02d}:00 UTC" if len(hour) >= 13 else hour
    header = _cut(f"{len(alerts)} more alerts ({', '.join(rules)})", MAX_HEADER)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header}},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": _cut(
                        f"Digest for {span}: these rules passed their hourly limit, "
                        "so the rest of the hour's alerts come together here.",
                        MAX_TEXT,
                    ),
                }
            ],
        },
    ]
    max_sections = MAX_BLOCKS - len(blocks) - 1  # room for the "…and N more" line
    sections: list[list[str]] = []
    chunk: list[str] = []
    for line in (_cut(_digest_line(a), MAX_TEXT) for a in alerts):
        if chunk and len("\n".join([*chunk, line])) > MAX_TEXT:
            sections.append(chunk)
            chunk = []
            if len(sections) >= max_sections:
                break
        chunk.append(line)
    if chunk and len(sections) < max_sections:
        sections.append(chunk)
    for lines in sections:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    shown = sum(len(lines) for lines in sections)
    if shown < len(alerts):
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"…and {len(alerts) - shown} more: `newsmon search` has them all.",
                    }
                ],
            }
        )
    urls = " ".join(a.url for a in alerts[:20])
    fallback = _cut(
        f"Digest: {len(alerts)} alerts (rules: {', '.join(rules)}) {urls}", MAX_FALLBACK
    )
    first = alerts[0]
    return AlertMessage(
        alert_id=first.id,
        story_id=first.story_id,
        channel=channel,
        url=first.url,
        title=header,
        source=first.source,
        published=None,
        language=None,
        rules=rules,
        snippet="",
        blocks=blocks,
        fallback=fallback,
        digest_of=tuple(int(a.id) for a in alerts),
    )


def build_notice(notice: Notice) -> AlertMessage:
    """A source-health message (a source failing, empty, silent, recovered)."""
    icon = {"recovered": ":large_green_circle:"}.get(notice.kind, ":warning:")
    text = _cut(f"{icon} newsmon · {notice.text}", MAX_TEXT)
    return AlertMessage(
        alert_id=-int(notice.id),  # negative: never equal to an alert's id
        story_id=0,
        channel=notice.channel or "",
        url="",
        title=notice.text,
        source=notice.source,
        published=None,
        language=None,
        rules=(),
        snippet="",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        fallback=_cut(f"newsmon: {notice.text}", MAX_FALLBACK),
    )


def build_fold(alert: OutboxAlert, copies: Sequence[FoldedCopy]) -> AlertMessage:
    """The story's summary reply: the outlets whose copies were folded into it (past the hourly
    limit of replies), newest last, within Slack's limits."""
    shown = list(copies)[-MAX_FOLD_LINES:]
    lines = [
        f"• <{c.url}|{slack_escape(_cut((c.title or c.url).strip(), 150))}> — "
        f"{slack_escape(c.source)}"
        for c in shown
    ]
    more = len(copies) - len(shown)
    head = f"+ {len(copies)} more outlet{'s' if len(copies) != 1 else ''} carried this story"
    if more:
        lines.insert(0, f"…{more} earlier, then:")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(f"*{head}:*", MAX_TEXT)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut("\n".join(lines), MAX_TEXT)}},
    ]
    sources = ", ".join(dict.fromkeys(c.source for c in copies))
    return AlertMessage(
        alert_id=alert.id,
        story_id=alert.story_id,
        channel=alert.channel,
        url=alert.url,
        title=head,
        source=alert.source,
        published=None,
        language=None,
        rules=alert.rules,
        snippet="",
        blocks=blocks,
        fallback=_cut(f"{head}: {sources} — latest {alert.url}", MAX_FALLBACK),
    )


def build_joined(alert: OutboxAlert, kept: OutboxAlert | None) -> AlertMessage:
    """A story's top-level message once the story joined an earlier one (one event reported
    first as two): its headline, and where the story goes on — the thread of the earlier
    story's message, linked by that story's headline."""
    title = (alert.title or alert.url).strip()
    headline = f"~<{alert.url}|{slack_escape(_cut(title, 250))}>~"
    if kept is not None:
        first = slack_escape(_cut((kept.title or kept.url).strip(), 200))
        where = f"the thread of *<{kept.url}|{first}>*"
    else:
        where = "the thread of an earlier story"
    note = f"↪ Same event as an earlier story: this report and its later copies are in {where}."
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(headline, MAX_TEXT)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(note, MAX_TEXT)}]},
    ]
    fallback = f"{title} — joined the thread of " + (
        f"{(kept.title or kept.url).strip()} ({kept.url})" if kept else "an earlier story"
    )
    return AlertMessage(
        alert_id=int(alert.id),
        story_id=int(alert.story_id),
        channel=alert.channel,
        url=alert.url,
        title=title,
        source=alert.source,
        published=alert.published,
        language=alert.language,
        rules=alert.rules,
        snippet="",
        blocks=blocks,
        fallback=_cut(fallback, MAX_FALLBACK),
    )
