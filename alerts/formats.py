"""Messages for Apprise destinations: the Block Kit of a message (Slack's mrkdwn) turned into
Markdown, HTML or plain text, within the target's length limit.

A message is a list of lines (the headline with its link first). When they do not all fit, whole
lines are kept in order, a line without a link is cut at a word, and a list says how many lines
it left out: a link is never cut in half and the headline's link always stays.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alerts.messages import AlertMessage

MARKDOWN, HTML, TEXT = "markdown", "html", "text"

_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")
_EMOJI = {
    ":warning:": "⚠️",
    ":large_green_circle:": "🟢",
    ":chart_with_upwards_trend:": "📈",
}


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _emoji(text: str) -> str:
    for code, char in _EMOJI.items():
        text = text.replace(code, char)
    return text


def convert(mrkdwn: str, fmt: str) -> str:
    """One line of Slack mrkdwn (``&``, ``<``, ``>`` escaped) in the target's format."""
    text = _emoji(mrkdwn)
    quote = text.startswith("> ")
    if quote:
        text = text[2:]
    links: list[tuple[str, str]] = []

    def keep(m: re.Match[str]) -> str:
        links.append((m.group(1), m.group(2) or m.group(1)))
        return f"\x00{len(links) - 1}\x00"

    text = _LINK.sub(keep, text)
    if fmt == HTML:  # already escaped for HTML (Slack escapes the same three characters)
        text = _BOLD.sub(r"<b>\1</b>", text)
        text = _ITALIC.sub(r"<i>\1</i>", text)
        text = _CODE.sub(r"<code>\1</code>", text)
        for i, (url, label) in enumerate(links):
            text = text.replace(f"\x00{i}\x00", f'<a href="{html.escape(url)}">{label}</a>')
        return f"<blockquote>{text}</blockquote>" if quote else text
    text = _unescape(text)
    if fmt == MARKDOWN:
        text = _BOLD.sub(r"**\1**", text)
        for i, (url, label) in enumerate(links):
            label = _unescape(label).replace("[", "(").replace("]", ")")
            text = text.replace(f"\x00{i}\x00", f"[{label}]({url})")
        return "> " + text if quote else text
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for i, (url, label) in enumerate(links):
        label = _unescape(label)
        text = text.replace(f"\x00{i}\x00", url if label == url else f"{label} ({url})")
    return "“" + text + "”" if quote else text


def plain(mrkdwn: str) -> str:
    """A line with its markup and links taken out (for a line that has to be cut)."""
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), _emoji(mrkdwn))
    text = _CODE.sub(r"\1", _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text)))
    return _unescape(text.removeprefix("> "))


def block_lines(blocks: Sequence[dict[str, Any]]) -> list[str]:
    """The mrkdwn lines of Block Kit blocks: a header in bold, sections and contexts as they
    are."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"*{block['text']['text']}*")
        elif kind == "section" and block.get("text"):
            text = str(block["text"]["text"])
            quoted = text.startswith("> ")
            for i, line in enumerate(text.split("\n")):
                lines.append("> " + line if quoted and i and line else line)
        elif kind == "context":
            lines.extend(str(e.get("text", "")) for e in block.get("elements", ()))
    return [line for line in lines if line.strip()]


def _cut_words(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    cut = text[: max(0, room - 1)]
    if " " in cut[len(cut) // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—-") + "…"


@dataclass(frozen=True)
class Body:
    title: str
    body: str
    fmt: str


def _note(left: int) -> str:
    return f"…{left} more line{'s' if left != 1 else ''} left out"


def _cut_escaped(text: str, room: int, fmt: str) -> str:
    """``text`` cut at a word to ``room`` characters once escaped for ``fmt``."""
    piece = _cut_words(text, room)
    while fmt == HTML and len(html.escape(piece, quote=False)) > room and room > 0:
        room -= len(html.escape(piece, quote=False)) - room
        piece = _cut_words(text, room)
    return html.escape(piece, quote=False) if fmt == HTML else piece


_QUOTE = {HTML: ("<blockquote>", "</blockquote>"), MARKDOWN: ("> ", ""), TEXT: ("“", "”")}


def _bare_link(line: str, fmt: str) -> str:
    """The first link of a line, as its URL alone."""
    match = _LINK.search(line)
    url = match.group(1) if match else ""
    if fmt == HTML:
        return f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>'
    return f"<{url}>" if fmt == MARKDOWN else url


def fit(lines: Sequence[str], fmt: str, limit: int | None) -> str:
    """The lines in ``fmt``, joined, at most ``limit`` characters long (see the module doc)."""
    sep = "<br>\n" if fmt == HTML else "\n"
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        rendered = convert(line, fmt)
        extra = len(rendered) + (len(sep) if out else 0)
        if limit is None or used + extra <= limit:
            out.append(rendered)
            used += extra
            continue
        left = len(lines) - i
        room = limit - used - (len(sep) if out else 0)
        if not out and _LINK.search(line):
            # the headline alone is too long: its link, bare, is what must stay
            out.append(_bare_link(line, fmt))
            used = len(out[0])
            left -= 1
        elif not _LINK.search(line) and room > 40:
            # a line without a link is cut at a word (its markup dropped, a quote kept a
            # quote), leaving room for the note of what else was left out
            tail = len(sep) + len(_note(left - 1)) if left > 1 else 0
            pre, post = _QUOTE[fmt] if line.startswith("> ") else ("", "")
            piece = _cut_escaped(plain(line), room - tail - len(pre) - len(post), fmt)
            if piece.strip("…"):
                out.append(pre + piece + post)
                used += len(out[-1]) + (len(sep) if len(out) > 1 else 0)
                left -= 1
        while left and len(out) > 1 and used + len(sep) + len(_note(left)) > limit:
            used -= len(out.pop()) + len(sep)  # make room for the note (the headline stays)
            left += 1
        if left and used + len(sep) + len(_note(left)) <= limit:
            out.append(_note(left))
        break
    return sep.join(out)


def render(message: AlertMessage, fmt: str, limit: int | None, title_max: int = 120) -> Body:
    """A message for an Apprise target: its title (the message's headline, short) and its body
    in ``fmt`` within ``limit`` characters (the title counted in, for targets that join them)."""
    title = _cut_words(plain(message.title or message.text), title_max)
    lines = block_lines(message.blocks) or [message.text]
    budget = None if limit is None else max(100, limit - len(title) - 2)
    return Body(title, fit(lines, fmt, budget), fmt)
