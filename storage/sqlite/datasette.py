"""What Datasette is told about a newsmon database (``newsmon browse``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.errors import UnsupportedDatabase
from storage.rows import BrowseTarget
from storage.sqlite.connection import Connection

# datasette-vega draws a canned query's rows when the page's fragment names the chart
MENTIONS_CHART = (
    "#g.mark=line&g.x_column=day&g.x_type=ordinal&g.y_column=articles"
    "&g.y_type=quantitative&g.color_column=subject&g.size_column=&g.size_type=quantitative"
)
MENTIONS_PER_DAY = (
    "SELECT subject, day, sum(articles) AS articles FROM mention_counts "
    "WHERE day >= date('now', '-' || :days || ' days') GROUP BY subject, day ORDER BY day, subject"
)


def datasette_metadata(db_name: str) -> dict[str, Any]:
    """Full-text search on articles, facets on source, language and rule; mentions per rule
    over time as a canned query that datasette-vega charts."""
    return {
        "title": "newsmon",
        "description": "Stored articles, stories, alerts and crawl records.",
        "databases": {
            db_name: {
                "tables": {
                    "articles": {
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                        "facets": ["source", "language"],
                        "sort_desc": "id",
                        "label_column": "title",
                    },
                    "alerts": {
                        "facets": ["channel", "status", {"array": "rules"}],
                        "sort_desc": "id",
                    },
                    "crawl_runs": {"facets": ["source", "status"], "sort_desc": "id"},
                    "crawl_errors": {"facets": ["source", "kind"], "sort_desc": "id"},
                    "notices": {"facets": ["source", "kind", "status"], "sort_desc": "id"},
                    "mention_counts": {
                        "facets": ["subject", "source", "language"],
                        "sort_desc": "day",
                    },
                    "trend_posts": {"facets": ["kind", "channel", "status"], "sort_desc": "id"},
                },
                "queries": {
                    "mentions_per_day": {
                        "title": "Mentions per rule per day",
                        "sql": MENTIONS_PER_DAY,
                        "params": ["days"],
                        "description_html": (
                            "Matched articles per rule (and @concept) per day. "
                            f'<a href="?days=14{MENTIONS_CHART}">Chart the last 14 days</a> '
                            "(datasette-vega: “Show charting options”)."
                        ),
                    }
                },
            }
        },
    }


class Browse(Connection):
    def browse_target(self) -> BrowseTarget:
        if self.path is None or str(self.path) == ":memory:":
            raise UnsupportedDatabase("an in-memory database cannot be browsed")
        path = Path(self.path)
        return BrowseTarget(str(path), path.stem, datasette_metadata(path.stem))
