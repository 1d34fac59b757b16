"""Story copies for a destination without threads: the copies of a story that came after its
first message, held during a clock hour, go out together when the hour ends as one follow-up
("also reported by …, in …") instead of one message each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alerts.messages import MAX_FALLBACK, MAX_TEXT, AlertMessage, _cut, language_name
from alerts.snippets import slack_escape
from storage import OutboxAlert

MAX_COPIES = 20  # outlets listed one by one in a follow-up


def split_copies(
    alerts: Sequence[OutboxAlert], has_thread: Sequence[bool]
) -> tuple[list[OutboxAlert], list[list[OutboxAlert]]]:
    """Held alerts → (those for the hour's digest, the later copies grouped by story)."""
    digest: list[OutboxAlert] = []
    stories: dict[int, list[OutboxAlert]] = {}
    for alert, copy in zip(alerts, has_thread, strict=True):
        if copy:
            stories.setdefault(int(alert.story_id), []).append(alert)
        else:
            digest.append(alert)
    return digest, list(stories.values())


def build_followup(copies: Sequence[OutboxAlert], first: OutboxAlert | None) -> AlertMessage:
    """One message for the later copies of a story: who else reported it, in which languages,
    each copy linked; the story's first headline named when it is known."""
    outlets = list(dict.fromkeys(c.source for c in copies))
    languages = list(dict.fromkeys(language_name(c.language) for c in copies if c.language))
    head = "Also reported by " + ", ".join(outlets)
    if languages:
        head += ", in " + ", ".join(languages)
    story = first or copies[0]
    title = (story.title or story.url).strip()
    lines = [
        f"*↳ {slack_escape(_cut(head, 300))}*",
        f"_story:_ <{story.url}|{slack_escape(_cut(title, 200))}>",
    ]
    for c in list(copies)[:MAX_COPIES]:
        name = slack_escape(_cut((c.title or c.url).strip(), 150))
        lang = f", {language_name(c.language)}" if c.language else ""
        lines.append(f"• <{c.url}|{name}> — {slack_escape(c.source)}{lang}")
    if len(copies) > MAX_COPIES:
        lines.append(f"…and {len(copies) - MAX_COPIES} more")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(line, MAX_TEXT)}}
        for line in lines
    ]
    rules = tuple(dict.fromkeys(r for c in copies for r in c.rules))
    last = copies[-1]
    return AlertMessage(
        alert_id=int(last.id),
        story_id=int(last.story_id),
        channel=last.channel,
        url=last.url,
        title=head,
        source=last.source,
        published=None,
        language=None,
        rules=rules,
        snippet="",
        blocks=blocks,
        fallback=_cut(f"{head}: {title} — {last.url}", MAX_FALLBACK),
        digest_of=tuple(int(c.id) for c in copies),
    )
