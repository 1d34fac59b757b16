"""Trend messages: a spike alert (a rule's coverage rising) and the daily briefing of a channel,
as Block Kit within Slack's limits, with a plain-text form for the terminal and the fallback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alerts.messages import MAX_BLOCKS, MAX_FALLBACK, MAX_HEADER, MAX_TEXT, AlertMessage
from alerts.snippets import slack_escape
from alerts.spikes import SpikeDecision
from storage import StorySummary, TrendPost

MAX_STORIES = 8  # top stories listed in a spike alert or a briefing section


@dataclass(frozen=True)
class SpikeReport:
    """Why a rule's coverage is a spike today: the numbers and what explains them."""

    rule: str
    channel: str
    day: str
    decision: SpikeDecision
    outlets: int
    usual_outlets: float
    stories: Sequence[StorySummary] = ()
    terms: Sequence[tuple[str, int, float]] = ()  # (term, today, usual per day)
    languages: Mapping[str, int] = field(default_factory=dict)  # articles per language today


@dataclass(frozen=True)
class Briefing:
    """A channel's daily briefing: the last 24 hours' stories of its rules, ranked."""

    channel: str
    day: str  # the local date it is for
    hours: int
    stories: Sequence[StorySummary]
    totals: Mapping[str, int]  # matched articles per rule in the last 24 h
    chart_name: str = ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _story_line(story: StorySummary, with_rules: bool = False) -> str:
    title = slack_escape(_cut((story.title or story.url).strip(), 200))
    outlets = len(story.outlets)
    who = ", ".join(story.outlets[:4]) + (f" +{outlets - 4}" if outlets > 4 else "")
    langs = "/".join(story.languages) if story.languages else "?"
    line = f"• <{story.url}|{title}> — {outlets} outlet{'s' if outlets != 1 else ''} ({slack_escape(who)}), {langs}"
    if with_rules and story.subjects:
        line += " · " + ", ".join(f"`{s}`" for s in story.subjects)
    return line


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, MAX_TEXT)}}


def _list_section(head: str, lines: Sequence[str]) -> dict[str, Any]:
    """A heading and whole lines, as many as fit in a section (never a link cut in half)."""
    text = head
    for line in lines:
        if len(text) + 1 + len(line) > MAX_TEXT:
            break
        text += "\n" + line
    return _section(text)


def _usual(report: SpikeReport) -> str:
    d = report.decision
    if d.usual == 0:
        return "usually none"
    return f"usually {d.usual:.1f} stories, {report.usual_outlets:.1f} outlets a day"


def spike_text(report: SpikeReport) -> str:
    """One line: the notification fallback and the terminal's summary."""
    d = report.decision
    return _cut(
        f"Spike: {report.rule} — {d.today} stories from {report.outlets} outlets on {report.day} "
        f"({_usual(report)})",
        MAX_FALLBACK,
    )


def spike_blocks(report: SpikeReport) -> list[dict[str, Any]]:
    d = report.decision
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _cut(f"Rising: {report.rule}", MAX_HEADER)},
        },
        _section(
            f"*{d.today} stories* from *{report.outlets} outlets* on {report.day} — "
            + _usual(report)
            + (f" ({d.ratio:.1f}×" if d.usual else " (")
            + f"{', ' if d.usual else ''}p = {d.p_value:.1g})"
        ),
    ]
    if report.stories:
        lines = [_story_line(s) for s in report.stories[:MAX_STORIES]]
        blocks.append(_list_section("*Top stories (most outlets first)*", lines))
    facts = []
    if report.terms:
        facts.append(
            "Terms rising: "
            + ", ".join(f"*{slack_escape(t)}* ({n} vs {u:.1f})" for t, n, u in report.terms)
        )
    if report.languages:
        facts.append(
            "Languages: " + ", ".join(f"{lang or '?'} {n}" for lang, n in report.languages.items())
        )
    if facts:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _cut(f, MAX_TEXT)} for f in facts],
            }
        )
    return blocks[:MAX_BLOCKS]


def spike_plain(report: SpikeReport) -> str:
    """The spike for the terminal (``newsmon trends``)."""
    out = [spike_text(report)]
    for s in report.stories[:MAX_STORIES]:
        out.append(f"  - {(s.title or s.url).strip()} — {len(s.outlets)} outlet(s): {s.url}")
    if report.terms:
        out.append(
            "  terms rising: " + ", ".join(f"{t} ({n} vs {u:.1f})" for t, n, u in report.terms)
        )
    if report.languages:
        out.append(
            "  languages: " + ", ".join(f"{k or '?'} {v}" for k, v in report.languages.items())
        )
    return "\n".join(out)


def briefing_text(briefing: Briefing) -> str:
    n = len(briefing.stories)
    return _cut(
        f"Daily briefing {briefing.channel} {briefing.day}: {n} top stor{'y' if n == 1 else 'ies'} "
        f"of the last {briefing.hours} h"
        + (
            f" — top: {(briefing.stories[0].title or briefing.stories[0].url).strip()} {briefing.stories[0].url}"
            if n
            else ""
        ),
        MAX_FALLBACK,
    )


def briefing_blocks(briefing: Briefing) -> list[dict[str, Any]]:
    head = f"Daily briefing · {briefing.channel} · {briefing.day}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(head, MAX_HEADER)}}
    ]
    totals = ", ".join(f"`{r}` {n}" for r, n in briefing.totals.items()) or "no mentions"
    blocks.append(_section(f"Last {briefing.hours} h — articles per rule: {totals}"))
    if briefing.stories:
        lines = [_story_line(s, with_rules=True) for s in briefing.stories[: MAX_STORIES * 2]]
        blocks.append(_list_section("*Top stories (by outlets, then languages)*", lines))
    else:
        blocks.append(_section("No story matched the channel's rules in the last 24 hours."))
    if briefing.chart_name:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"Chart: mentions per rule over 14 days ({briefing.chart_name}, below)",
                    }
                ],
            }
        )
    return blocks[:MAX_BLOCKS]


def briefing_plain(briefing: Briefing) -> str:
    out = [f"Daily briefing {briefing.channel} {briefing.day} (last {briefing.hours} h)"]
    out.append(
        "  articles per rule: "
        + (", ".join(f"{r} {n}" for r, n in briefing.totals.items()) or "none")
    )
    for i, s in enumerate(briefing.stories[: MAX_STORIES * 2], 1):
        langs = "/".join(s.languages) or "?"
        out.append(
            f"  {i}. {(s.title or s.url).strip()} — {len(s.outlets)} outlet(s), {langs}: {s.url}"
        )
    return "\n".join(out)


def post_message(post: TrendPost) -> AlertMessage:
    """A queued trend message → the message a notifier sends."""
    return AlertMessage(
        alert_id=-(10**9 + int(post.id)),  # never equal to an alert's or a notice's id
        story_id=0,
        channel=post.channel,
        url="",
        title=post.text,
        source="newsmon",
        published=None,
        language=None,
        rules=(post.subject,) if post.kind == "spike" else (),
        snippet="",
        blocks=[dict(b) for b in post.blocks],
        fallback=post.text,
    )
