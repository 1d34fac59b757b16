"""The alert snippet: the sentence that matched, with the matched words in Slack bold."""

from __future__ import annotations

from collections.abc import Sequence

from alerts.rules import Match, matched_sentence


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def snippet(text: str, matches: Sequence[Match], limit: int = 400) -> str:
    """Slack mrkdwn: the sentence around the first match, matched words as ``*bold*``."""
    spans = sorted({span for m in matches for span in m.spans})
    if not spans:
        return ""
    sentence = matched_sentence(text, spans, limit=limit)
    # Mark every matched word that falls inside the chosen sentence.
    start = text.find(sentence.strip("…"))
    if start < 0:
        return slack_escape(sentence)
    end = start + len(sentence.strip("…"))
    out, pos = [], start
    for a, b in spans:
        if a < pos or b > end:
            continue
        out.append(slack_escape(text[pos:a]))
        out.append("*" + slack_escape(text[a:b]) + "*")
        pos = b
    out.append(slack_escape(text[pos:end]))
    prefix = "…" if sentence.startswith("…") else ""
    suffix = "…" if sentence.endswith("…") else ""
    return prefix + "".join(out) + suffix
