"""Alert messages: Block Kit for Slack, plain text for the console, within Slack's limits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from alerts.snippets import slack_escape

MAX_TEXT = 3000  # section text limit
MAX_HEADER = 150
MAX_BLOCKS = 50
EVENT_TYPE = "newsmon_alert"


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

    @property
    def text(self) -> str:
        """The notification fallback: headline, canonical URL and the rule names."""
        return f"{self.title} — {self.url} (rules: {', '.join(self.rules)})"

    @property
    def metadata(self) -> dict[str, Any]:
        return {
            "event_type": EVENT_TYPE,
            "event_payload": {"alert_id": self.alert_id, "story_id": self.story_id},
        }


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_message(alert: dict[str, Any]) -> AlertMessage:
    """An alert row (joined with its article) → the message to send."""
    rules = tuple(json.loads(alert["rules"]))
    title = (alert.get("title") or alert["url"]).strip()
    facts = [f"*{slack_escape(alert['source'])}*"]
    if alert.get("published"):
        facts.append(str(alert["published"]))
    if alert.get("language"):
        facts.append(str(alert["language"]))
    facts.append("rules: " + ", ".join(f"`{r}`" for r in rules))
    headline = f"*<{alert['url']}|{slack_escape(_cut(title, 250))}>*"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(headline, MAX_TEXT)}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": _cut(" · ".join(facts), MAX_TEXT)}],
        },
    ]
    if alert.get("snippet"):
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _cut("> " + alert["snippet"], MAX_TEXT)},
            }
        )
    return AlertMessage(
        alert_id=int(alert["id"]),
        story_id=int(alert["story_id"]),
        channel=alert["channel"],
        url=alert["url"],
        title=title,
        source=alert["source"],
        published=alert.get("published"),
        language=alert.get("language"),
        rules=rules,
        snippet=alert.get("snippet") or "",
        blocks=blocks[:MAX_BLOCKS],
    )
