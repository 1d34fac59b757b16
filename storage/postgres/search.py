"""Full-text search over articles with ``tsvector`` (the ``simple`` configuration plus
``unaccent``: outlets write in five languages) and a GIN index. The query syntax is the same as
with SQLite: words, "phrases", OR, NOT, prefix*, parentheses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from storage.errors import QueryError
from storage.interface import SEARCH_WINDOW
from storage.postgres.connection import PgConnection
from storage.rows import SearchHit, SearchResults

_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)"|([^\s()"]+))')
_WORD = re.compile(r"\w+")
COLUMNS = {"title": "A", "text": "D"}  # the weights the columns are indexed with


def to_tsquery(query: str) -> str:
    """The search syntax as a ``to_tsquery`` expression (each word quoted, so nothing in a
    word is taken as an operator). Raises QueryError for a query it cannot read."""
    out: list[str] = []
    need_operand = True  # at the start, or after an operator or "("
    negate = False
    depth = 0
    pos = 0
    query = query.strip()
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None or m.end() == pos:
            raise QueryError(f"cannot read the search query {query!r} at column {pos + 1}")
        pos = m.end()
        opening, closing, phrase, word = m.groups()
        if word in ("OR", "AND", "NOT"):
            if need_operand and word != "NOT":
                raise QueryError(f"{word} needs a term before it in {query!r}")
            if word == "NOT":
                if not need_operand:
                    out.append("&")
                negate, need_operand = True, True
            else:
                out.append("|" if word == "OR" else "&")
                need_operand = True
            continue
        if closing:
            if need_operand or depth == 0:
                raise QueryError(f"unbalanced ')' in {query!r}")
            out.append(")")
            depth -= 1
            continue
        if not need_operand:
            out.append("&")  # two terms side by side: both
        if negate:
            out.append("!")
            negate = False
        if opening:
            out.append("(")
            depth += 1
            continue
        text = phrase if phrase is not None else word or ""
        weight = ""
        if phrase is None and ":" in text:  # a column filter, as with SQLite: title:baku
            column, _, text = text.partition(":")
            if column.lower() not in COLUMNS or not text:
                raise QueryError(f"no such column in {word!r} (title: or text:)")
            weight = COLUMNS[column.lower()]
        prefix = phrase is None and text.endswith("*")
        words = _WORD.findall(text.rstrip("*"))
        if not words:
            raise QueryError(f"nothing to search for in {text!r}")
        terms = ["'" + w.replace("'", "") + "'" for w in words]
        if prefix or weight:
            terms = [t + ":" + weight for t in terms[:-1]] + [
                terms[-1] + ":" + ("*" if prefix else "") + weight
            ]
        out.append("(" + " <-> ".join(terms) + ")")
        need_operand = False
    if need_operand or depth:
        raise QueryError(f"the search query {query!r} is incomplete")
    return " ".join(out)


class PgSearch(PgConnection):
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
        """Best match first (``ts_rank``); a query matching more than ``window`` articles is
        ranked among its newest ``window`` matches (``windowed``)."""
        tsquery = to_tsquery(query)
        where = "search @@ q"
        args: list[Any] = []
        for column, wanted in (("source", source), ("language", language)):
            values = [wanted] if isinstance(wanted, str) else list(wanted or [])
            if values:
                where += f" AND {column} = ANY(%s)"
                args.append(values)
        day = "coalesce(substr(published, 1, 10), substr(fetched_at, 1, 10))"
        if since:
            where += f" AND {day} >= %s"
            args.append(since)
        if until:
            where += f" AND {day} <= %s"
            args.append(until)
        base = "FROM articles, to_tsquery('simple', unaccent(%s)) q WHERE " + where
        windowed = False
        if window:
            over = self.one(
                f"SELECT id {base} ORDER BY id DESC OFFSET %s LIMIT 1", [tsquery, *args, window]
            )
            windowed = over is not None
        newest = f"(SELECT id {base} ORDER BY id DESC LIMIT %s)" if windowed else None
        options = f"StartSel={mark[0]}, StopSel={mark[1]}, MaxWords=24, MinWords=12"
        sql = (
            "SELECT a.id, a.url, a.source, a.title, a.published, a.language, a.story_id, "
            "ts_headline('simple', a.text, q, %s) "
            "FROM articles a, to_tsquery('simple', unaccent(%s)) q WHERE a.search @@ q "
            + (f"AND a.id IN {newest} " if newest else "AND a.id IN (SELECT id " + base + ") ")
            + "ORDER BY ts_rank(a.search, q) DESC, a.id DESC LIMIT %s"
        )
        params: list[Any] = [options, tsquery, tsquery, *args]
        if windowed:
            params.append(window)
        params.append(limit)
        rows = self.all(sql, params)
        return SearchResults(tuple(SearchHit(*r) for r in rows), windowed, window)
