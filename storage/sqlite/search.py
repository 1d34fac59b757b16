"""Full-text search over articles (FTS5), ranked within a window of the newest matches."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from storage.errors import QueryError
from storage.interface import SEARCH_WINDOW
from storage.rows import SearchHit, SearchResults
from storage.sqlite.connection import Connection


class Search(Connection):
    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        source: Sequence[str] = (),
        language: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
        mark: tuple[str, str] = ("[", "]"),
        window: int | None = SEARCH_WINDOW,
    ) -> SearchResults:
        """FTS5 search, best match first, with a snippet whose matched terms are wrapped in
        ``mark``. Filters: source(s), language(s), and a date range (``YYYY-MM-DD``, inclusive)
        on the publication date (the fetch date when an article has none).

        Ranking (bm25) costs time for every match, so a query that matches more than ``window``
        articles is ranked among its newest ``window`` matches (``windowed``) — the filters
        applied within them, unless that leaves fewer than ``limit`` articles; ``window`` None
        ranks them all."""
        try:
            return self._search(query, limit, source, language, since, until, mark, window)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            raise QueryError(f"cannot search for {query!r}: {exc}") from None

    def _search(
        self,
        query: str,
        limit: int,
        source: Sequence[str],
        language: Sequence[str],
        since: str | None,
        until: str | None,
        mark: tuple[str, str],
        window: int | None,
    ) -> SearchResults:
        where = "articles_fts MATCH ?"
        args: list[Any] = [query]
        for column, wanted in (("source", source), ("language", language)):
            values = [wanted] if isinstance(wanted, str) else list(wanted or [])
            if values:
                where += f" AND articles.{column} IN ({','.join('?' * len(values))})"
                args.extend(values)
        day = "coalesce(date(articles.published), date(articles.fetched_at))"
        if since:
            where += f" AND {day} >= date(?)"
            args.append(since)
        if until:
            where += f" AND {day} <= date(?)"
            args.append(until)
        # the articles table only when a filter needs it: FTS5 alone walks its matches faster
        filtered = len(args) > 1
        matches = (
            "FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid"
            if filtered
            else "FROM articles_fts"
        )

        def ranked(extra: str = "", *more: Any) -> list[int]:
            return [
                int(r[0])
                for r in self.db.execute(
                    f"SELECT articles_fts.rowid {matches} WHERE {where}{extra} "
                    "ORDER BY rank LIMIT ?",
                    [*args, *more, limit],
                ).fetchall()
            ]

        bound = None
        if window:
            # FTS5 walks its matches newest first without ranking them: the window's oldest
            # match, if there are that many, bounds the ranking.
            bound = self.db.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                [query, window - 1],
            ).fetchone()
        windowed = False
        best: list[int] = []
        if bound is not None:
            best = ranked(" AND articles_fts.rowid >= ?", bound[0])
            # with filters, the window may hold too few of the wanted articles: rank them all
            windowed = not filtered or len(best) >= limit
        if not windowed:
            best = ranked()
        if not best:
            return SearchResults((), windowed, window)
        # Snippets for the page of results only, not for every match ranked. The rowid range
        # lets FTS5 read the matches in one pass; `+rowid IN` only filters (a lookup per rowid
        # would re-read a prefix query's doclists each time).
        cur = self.db.execute(
            "SELECT articles.id, articles.url, articles.source, articles.title, "
            "articles.published, articles.language, articles.story_id, "
            "snippet(articles_fts, 1, ?, ?, '…', 24) AS snippet "
            "FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND articles_fts.rowid BETWEEN ? AND ? "
            f"AND +articles_fts.rowid IN ({','.join('?' * len(best))})",
            [mark[0], mark[1], query, min(best), max(best), *best],
        )
        found = {r[0]: SearchHit(*r) for r in cur.fetchall()}
        return SearchResults(tuple(found[i] for i in best if i in found), windowed, window)
