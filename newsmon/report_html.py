"""``newsmon report``: one self-contained HTML page of what was covered over a span of days —
the mentions chart embedded as a data URI, the top stories, and the counts per source and
language. Nothing in it is fetched: it opens in a browser with no network."""

from __future__ import annotations

import base64
import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from crawler.config import NewsmonConfig
from newsmon.charts import mentions_chart
from newsmon.trends import chart_series
from storage import Storage
from storage.days import day_of, days_before

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;
max-width:960px;color:#1d1d1f;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#666}img{max-width:100%;border:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .7rem;text-align:left;
border-bottom:1px solid #eee}th{background:#f6f6f6}td.n{text-align:right}
ol li{margin:.35rem 0}.small{color:#666;font-size:.85rem}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(title: str, head: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return f"<h2>{_esc(title)}</h2><p class=small>No mentions.</p>"
    th = "".join(f"<th>{_esc(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class=n>{v}</td>" if isinstance(v, int) else f"<td>{_esc(v)}</td>" for v in r
        )
        + "</tr>"
        for r in rows
    )
    return f"<h2>{_esc(title)}</h2><table><tr>{th}</tr>{body}</table>"


@dataclass(frozen=True)
class ReportSpan:
    """The whole UTC days a report covers, and what the database holds."""

    first: str
    last: str
    days: int
    anchored: bool  # ends on the newest matched day: nothing was matched in the days up to today
    held: tuple[str, str] | None  # the first and last day with a matched article, if any

    @property
    def note(self) -> str:
        """Why the span ends where it does, or where the matched articles are; "" if plain."""
        if self.held is None:
            return "nothing matched in the database yet"
        if self.anchored:
            return f"the newest matched article is from {self.held[1]}: the span ends there"
        if self.held[1] < self.first or self.held[0] > self.last:
            return (
                "no matched article in these days; the database's matched articles are from "
                f"{self.held[0]} to {self.held[1]}"
            )
        return ""

    def describe(self) -> str:
        """One line for the analyst: the span, and the note if there is one."""
        return f"{self.first} – {self.last}" + (f" ({self.note})" if self.note else "")


def subjects_of(config: NewsmonConfig) -> list[str]:
    """What a report counts: every rule, and every concept as ``@name``."""
    return [r.name for r in config.rules] + [f"@{c}" for c in config.concepts]


def report_span(
    store: Storage, config: NewsmonConfig, now: float, days: int, until: str | None = None
) -> ReportSpan:
    """The ``days`` days up to ``until`` (a ``YYYY-MM-DD`` day), or up to today — unless the
    database's newest matched article is older than that span (a copied or sample database):
    then the span ends on that article's day, so "the last 14 days" are the data's last 14."""
    held = store.mention_days(subjects_of(config))
    last = until or day_of(now)
    anchored = False
    if until is None and held is not None and held[1] < days_before(last, days - 1):
        last, anchored = held[1], True
    return ReportSpan(days_before(last, days - 1), last, days, anchored, held)


def build_report(store: Storage, config: NewsmonConfig, now: float, span: ReportSpan) -> str:
    """The HTML page for a span of UTC days (made at ``now``)."""
    first, last, days = span.first, span.last, span.days
    subjects = subjects_of(config)
    series, chart_days = chart_series(store, subjects, last, days)
    png = mentions_chart(series, chart_days, f"Mentions per rule, {first} – {last}")
    chart = base64.b64encode(png).decode("ascii")
    stories = store.top_stories(subjects, since_day=first, until_day=last, limit=30)
    counts = store.mention_counts(first, last, subjects)
    per_rule: Counter[str] = Counter()
    per_source: dict[str, Counter[str]] = defaultdict(Counter)
    per_language: dict[str, Counter[str]] = defaultdict(Counter)
    for c in counts:
        per_rule[c.subject] += c.articles
        per_source[c.source][c.subject] += c.articles
        per_language[c.language or "?"][c.subject] += c.articles
    shown = [s for s, _ in per_rule.most_common()]
    items = []
    for s in stories:
        title = _esc((s.title or s.url).strip())
        outlets = ", ".join(s.outlets)
        items.append(
            f'<li><a href="{_esc(s.url)}">{title}</a><br><span class=small>'
            f"{len(s.outlets)} outlet(s): {_esc(outlets)} · {_esc('/'.join(s.languages) or '?')}"
            f" · {_esc(', '.join(s.subjects))}</span></li>"
        )
    made = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>newsmon report {first} – {last}</title><style>{STYLE}</style></head><body>",
        f"<h1>What was covered, {first} – {last}</h1>",
        f"<p class=meta>{sum(per_rule.values())} matched articles · {len(stories)} top "
        f"stories shown · made {made} by newsmon</p>",
        f"<p class=meta>{_esc(span.note[0].upper() + span.note[1:])}.</p>" if span.note else "",
        f'<img id=chart alt="Mentions per rule per day" src="data:image/png;base64,{chart}">',
        _table("Articles per rule", ["rule", "articles"], [[s, per_rule[s]] for s in shown]),
        "<h2>Top stories (most outlets first)</h2>",
        "<ol>" + "".join(items) + "</ol>" if items else "<p class=small>No stories.</p>",
        _table(
            "Articles per source",
            ["source", *shown],
            [[src, *[per_source[src][s] for s in shown]] for src in sorted(per_source)],
        ),
        _table(
            "Articles per language",
            ["language", *shown],
            [[lang, *[per_language[lang][s] for s in shown]] for lang in sorted(per_language)],
        ),
        "</body></html>",
    ]
    return "\n".join(parts)
