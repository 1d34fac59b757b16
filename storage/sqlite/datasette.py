"""What Datasette is told about a newsmon database (``newsmon browse``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.errors import UnsupportedDatabase
from storage.rows import BrowseTarget
from storage.sqlite.connection import Connection
from storage.sqlite.desk_queries import DESK_QUERIES, MENTIONS_PER_DAY

# datasette-vega draws a canned query's rows when the page's fragment names the chart
MENTIONS_CHART = (
    "#g.mark=line&g.x_column=day&g.x_type=ordinal&g.y_column=articles"
    "&g.y_type=quantitative&g.color_column=subject&g.size_column=&g.size_type=quantitative"
)
# the tables an analyst reads; the rest are newsmon's own bookkeeping, hidden (their pages are
# still at /<db>/<table>)
INTERNAL_TABLES = (
    "_sqlite_migrations",
    "boilerplate",
    "channel_pace",
    "fetch_state",
    "leases",
    "mention_backfills",
    "nodes",
    "story_bands",
    "story_signatures",
    "story_vectors",
    "thread_folds",
    "threads",
    "urls",
)


def datasette_metadata(db_name: str) -> dict[str, Any]:
    """Titles and descriptions of the tables an analyst reads (the rest hidden), full-text
    search and facets, mentions per rule over time as a canned query that datasette-vega
    charts, and the desk's views as canned queries."""
    tables: dict[str, Any] = {name: {"hidden": True} for name in INTERNAL_TABLES}
    tables.update(TABLES)
    return {
        "title": "newsmon — the desk",
        "description_html": (
            'The news newsmon has read. <a href="/">Today\'s stories</a>, '
            '<a href="/-/inbox">the alert inbox</a>, <a href="/-/outlets">outlets</a>, '
            '<a href="/-/search">search</a>.'
        ),
        "plugins": {"newsmon-desk": {"database": db_name}},
        "databases": {
            db_name: {
                "description": "Stored articles, stories, alerts and crawl records.",
                "tables": tables,
                "queries": {
                    "mentions_per_day": {
                        "title": "Mentions per rule per day",
                        "sql": MENTIONS_PER_DAY,
                        "params": ["days"],
                        "description_html": (
                            "Matched articles per rule (and @concept) per day, over the last "
                            "<code>days</code> days (default 14) — up to the newest matched "
                            "article when that is older than the span (a copied or sample "
                            f'database). <a href="?days=14{MENTIONS_CHART}">Chart the last 14 '
                            "days</a> (datasette-vega: “Show charting options”)."
                        ),
                    },
                    **DESK_QUERIES,
                },
            }
        },
    }


TABLES: dict[str, Any] = {
    "articles": {
        "title": "Articles",
        "description": "Every stored article, one row per canonical URL; its text is what "
        "newsmon kept of the page (the article without the page around it). Search uses "
        'FTS5 syntax: words, "a phrase", OR, NOT, prefix*.',
        "fts_table": "articles_fts",
        "fts_pk": "id",
        "searchmode": "raw",
        "facets": ["source", "language"],
        "sort_desc": "id",
        "label_column": "title",
        "columns": {
            "url": "The canonical URL: the article's identity",
            "source": "The outlet (its name in newsmon.yaml)",
            "title": "The headline",
            "text": 'The article\'s text as kept (shortened here: "read it all" opens the whole of it)',
            "published": "Publication time, as precise as the page gave it",
            "language": "ISO 639-1 code, detected from the text",
            "description": "The page's own summary, if any",
            "story_id": "The story (the same event in other outlets and languages)",
            "fingerprint": "Hash of the normalised text (exact duplicates)",
            "fetched_url": "The URL the page was fetched from",
            "fetched_at": "When newsmon stored it (UTC)",
            "linked": "Spans of the text that link to other articles (rules skip them)",
        },
    },
    "stories": {
        "title": "Stories",
        "description": "One event, however many outlets and languages carried it: its "
        "articles share the story_id.",
        "sort_desc": "id",
    },
    "alerts": {
        "title": "Alerts (the outbox)",
        "description": "One row per article and channel, written with the article; the "
        "dispatcher sends it. status: pending, sending, sent, held (for a flood digest), "
        "dead (failed for good; last_error says why).",
        "facets": ["channel", "status", {"array": "rules"}],
        "sort_desc": "id",
        "columns": {
            "rules": "The rules that matched (JSON list)",
            "snippet": "The sentence that matched, as sent (*bold* marks the match)",
            "status": "pending, sending, sent, held or dead",
            "attempts": "Delivery attempts so far",
            "next_attempt_at": "Epoch seconds of the next try",
            "last_error": "Why the last attempt failed",
            "message_ts": "Slack's id of the message sent",
            "thread_ts": "The story's thread it replied in",
        },
    },
    "notices": {
        "title": "Health notices",
        "description": "Messages about sources' health (failing, empty, silent), delivered "
        "like alerts.",
        "facets": ["source", "kind", "status"],
        "sort_desc": "id",
    },
    "trend_posts": {
        "title": "Spike alerts and briefings",
        "description": "What is rising: spike alerts and daily briefings, once per key.",
        "facets": ["kind", "channel", "status"],
        "sort_desc": "id",
    },
    "crawl_runs": {
        "title": "Crawls",
        "description": "One row per poll of a source; stats holds its counters (JSON).",
        "facets": ["source", "status"],
        "sort_desc": "id",
    },
    "crawl_errors": {
        "title": "Crawl errors",
        "description": "Pages and feeds that failed, per crawl.",
        "facets": ["source", "kind"],
        "sort_desc": "id",
    },
    "schedule": {
        "title": "Schedule and health",
        "description": "The daemon's schedule per source (times in epoch seconds) and its "
        "health problems.",
    },
    "mentions": {
        "title": "Mentions",
        "description": "One row per matched article and rule (or @concept), on the article's "
        "day (UTC).",
        "facets": ["subject", "source", "language"],
        "sort_desc": "day",
    },
    "mention_counts": {
        "title": "Mention counts",
        "description": "Matched articles per rule, day, source and language.",
        "facets": ["subject", "source", "language"],
        "sort_desc": "day",
    },
    "page_templates": {
        "title": "Page templates",
        "description": "Where each source's article text is on its pages (data: the "
        "container and the places inside it left out), learned from its pages.",
        "facets": ["source"],
    },
}


class Browse(Connection):
    def browse_target(self) -> BrowseTarget:
        if self.path is None or str(self.path) == ":memory:":
            raise UnsupportedDatabase("an in-memory database cannot be browsed")
        path = Path(self.path)
        return BrowseTarget(str(path), path.stem, datasette_metadata(path.stem))
