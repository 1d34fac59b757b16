"""The desk's Datasette hooks: its pages, the filters its templates use, and articles' text
shortened in table lists (whole on the article's page)."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from datasette import hookimpl
from markupsafe import Markup

from alerts.messages import language_name
from newsmon.desk.pages import ROUTES, database_name

LIST_TEXT = 280  # characters of an article's text shown in a table's row
# the match in a snippet: Slack's *bold* in an alert's snippet, FTS5's marks in a search's
_SLACK_BOLD = re.compile(r"(?<![\w*])\*([^*\n]{1,120}?)\*(?![\w*])")


def marked(text: str | None, limit: int = LIST_TEXT) -> Markup:
    """A snippet as HTML: escaped, its matched words in <mark>, cut at a word past ``limit``
    characters."""
    text = text or ""
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") + " …"
    out = html.escape(text)
    out = out.replace("\x02", "<mark>").replace("\x03", "</mark>")
    return Markup(_SLACK_BOLD.sub(r"<mark>\1</mark>", out))


def names(value: Any) -> list[str]:
    """A JSON list of names (rules, languages) as a list, blanks and repeats left out."""
    items = json.loads(value) if isinstance(value, str) and value.startswith("[") else [value]
    return sorted({str(x) for x in items if x})


def language(code: str | None) -> str:
    return language_name(code) if code else "language unknown"


def when(value: Any) -> str:
    """An ISO time as ``YYYY-MM-DD HH:MM`` and its offset, as the page gave it."""
    text = str(value or "")
    if len(text) >= 16 and text[10] == "T":
        zone = text[19:].lstrip("0123456789.")
        zone = " UTC" if zone in ("+00:00", "Z") else (f" {zone}" if zone else "")
        return f"{text[:10]} {text[11:16]}{zone}"
    return text


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return ROUTES


@hookimpl
def extra_template_vars(datasette: Any) -> dict[str, Any]:
    return {"desk_db": database_name(datasette)}


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    env.filters.update(marked=marked, names=names, language=language, when=when)


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    if table != "articles" or column != "text" or not isinstance(value, str):
        return None
    if len(value) <= LIST_TEXT:
        return None
    cut = html.escape(value[:LIST_TEXT].rsplit(" ", 1)[0])
    return Markup(f'{cut} … <a href="/-/article/{int(row["id"])}">read it all</a>')
