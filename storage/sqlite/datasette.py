"""What Datasette is told about a newsmon database (``newsmon browse``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.errors import UnsupportedDatabase
from storage.rows import BrowseTarget
from storage.sqlite.connection import Connection


def datasette_metadata(db_name: str) -> dict[str, Any]:
    """Full-text search on articles, facets on source, language and rule."""
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
                }
            }
        },
    }


class Browse(Connection):
    def browse_target(self) -> BrowseTarget:
        if self.path is None or str(self.path) == ":memory:":
            raise UnsupportedDatabase("an in-memory database cannot be browsed")
        path = Path(self.path)
        return BrowseTarget(str(path), path.stem, datasette_metadata(path.stem))
