"""The desk's pages: each runs the desk's canned queries (their SQL is the storage's, named in
the metadata ``newsmon browse`` gives Datasette) and renders one of the desk's templates."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from datasette.utils.asgi import NotFound, Response

from newsmon.desk import PLUGIN_NAME
from newsmon.desk.span import desk_span
from storage.days import day_of

FRONT_DAYS = (1, 3, 7, 14)
CHART_DAYS = 14
# datasette-vega reads the chart it draws from the page's fragment
CHART_FRAGMENT = (
    "#g.mark=line&g.x_column=day&g.x_type=ordinal&g.y_column=articles"
    "&g.y_type=quantitative&g.color_column=subject&g.size_column=&g.size_type=quantitative"
)
SEARCH_FILTERS = ("rule", "source", "language", "day")


def database_name(datasette: Any) -> str:
    config = datasette.plugin_config(PLUGIN_NAME) or {}
    return str(config.get("database") or datasette.get_database().name)


async def rows(datasette: Any, query: str, **params: object) -> list[dict[str, Any]]:
    """The rows of one of the desk's canned queries; parameters not given are empty."""
    name = database_name(datasette)
    canned = await datasette.get_canned_query(name, query, None)
    if canned is None:
        raise NotFound(f"no query {query}")
    args = {p: "" if params.get(p) is None else str(params[p]) for p in canned.get("params", [])}
    result = await datasette.get_database(name).execute(canned["sql"], args)
    return [dict(r) for r in result.rows]


async def render(datasette: Any, request: Any, template: str, **context: Any) -> Response:
    context.update(db=database_name(datasette), desk_page=template.split("/")[-1][:-5])
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


async def _span(datasette: Any, days: int) -> tuple[Any, dict[str, Any]]:
    held = (await rows(datasette, "desk_held_days"))[0]
    return desk_span(days, day_of(time.time()), held["last"]), held


def _group(items: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(str(item[key]), []).append(item)
    return out


async def front(datasette: Any, request: Any) -> Response:
    """Today's stories per rule (or the newest day's), the mentions chart, the views."""
    days = _int(request.args.get("days"), 1)
    span, held = await _span(datasette, days)
    stories = await rows(datasette, "desk_stories", since=span.since, until=span.until)
    chart, _ = await _span(datasette, CHART_DAYS)
    totals = await rows(datasette, "desk_rule_totals", since=chart.since, until=chart.until)
    db = database_name(datasette)
    return await render(
        datasette,
        request,
        "desk/front.html",
        span=span,
        held=held,
        per_rule=_group(stories, "rule"),
        choices=FRONT_DAYS,
        chart=chart,
        totals=totals,
        chart_json=f"/{db}/mentions_per_day.json?days={CHART_DAYS}",
        chart_page=f"/{db}/mentions_per_day?days={CHART_DAYS}{CHART_FRAGMENT}",
        chart_fragment=CHART_FRAGMENT,
    )


async def story(datasette: Any, request: Any) -> Response:
    """Every copy of a story: language, outlet, time, link."""
    story_id = int(request.url_vars["story"])
    copies = await rows(datasette, "desk_story", story=story_id)
    if not copies:
        raise NotFound(f"no story {story_id}")
    languages = sorted({c["language"] or "" for c in copies})
    outlets = sorted({c["source"] for c in copies})
    return await render(
        datasette,
        request,
        "desk/story.html",
        story_id=story_id,
        copies=copies,
        languages=languages,
        outlets=outlets,
    )


async def article(datasette: Any, request: Any) -> Response:
    """One article, its whole text, its story and where it was sent."""
    article_id = int(request.url_vars["id"])
    found = await rows(datasette, "desk_article", id=article_id)
    if not found:
        raise NotFound(f"no article {article_id}")
    alerts = await rows(datasette, "desk_article_alerts", id=article_id)
    return await render(datasette, request, "desk/article.html", a=found[0], alerts=alerts)


async def inbox(datasette: Any, request: Any) -> Response:
    """What was sent where; what is pending or failed, and why."""
    status = request.args.get("status") or ""
    channel = request.args.get("channel") or ""
    items = await rows(datasette, "desk_inbox", status=status, channel=channel)
    counts = await rows(datasette, "desk_inbox_counts")
    per_status: dict[str, int] = {}
    for c in counts:
        key = "failed" if c["status"] == "dead" else c["status"]
        per_status[key] = per_status.get(key, 0) + int(c["n"])
    return await render(
        datasette,
        request,
        "desk/inbox.html",
        items=items,
        counts=counts,
        per_status=per_status,
        channels=sorted({c["channel"] for c in counts if c["channel"]}),
        status=status,
        channel=channel,
    )


async def outlets(datasette: Any, request: Any) -> Response:
    found = await rows(datasette, "desk_outlets")
    return await render(datasette, request, "desk/outlets.html", outlets=found)


def _place(place: list[str]) -> str:
    return " › ".join(place)


def template_view(row: dict[str, Any]) -> dict[str, Any]:
    """A learned page template, readable: where the text is kept, what inside it is left out."""
    data = json.loads(row["data"] or "{}")
    container = [str(p) for p in data.get("container", [])]
    return {
        "keeps": _place(container[-3:]),
        "container": _place(container),
        "removes": [_place([str(p) for p in q]) for q in data.get("noise", [])],
        "fields": [f"{_place([str(p) for p in f[0]])} ({f[1]})" for f in data.get("fields", [])],
        "pages": row["pages"],
        "coverage": data.get("coverage"),
        "learned_at": row["learned_at"],
        "replaced": bool(row["replaced"]),
    }


async def outlet(datasette: Any, request: Any) -> Response:
    """An outlet's health, recent articles, and what its template removes."""
    source = request.url_vars["source"]
    articles = await rows(datasette, "desk_outlet_articles", source=source)
    runs = await rows(datasette, "desk_outlet_runs", source=source)
    health = await rows(datasette, "desk_outlet_health", source=source)
    if not (articles or runs or health):
        raise NotFound(f"no outlet {source}")
    templates = await rows(datasette, "desk_outlet_templates", source=source)
    return await render(
        datasette,
        request,
        "desk/outlet.html",
        source=source,
        health=health[0] if health else None,
        problems=json.loads(health[0]["problems"] or "[]") if health else [],
        runs=runs,
        errors=await rows(datasette, "desk_outlet_errors", source=source),
        articles=articles,
        templates=[template_view(t) for t in templates],
        boilerplate=await rows(datasette, "desk_outlet_boilerplate", source=source),
    )


async def search(datasette: Any, request: Any) -> Response:
    """Full-text search (FTS5 syntax) with facets by rule, outlet, language and day."""
    q = (request.args.get("q") or "").strip()
    chosen = {f: request.args.get(f) or "" for f in SEARCH_FILTERS}
    error = ""
    try:
        hits = await rows(datasette, "desk_search", q=q, **chosen)
        facet_rows = await rows(datasette, "desk_search_facets", q=q, **chosen)
    except sqlite3.OperationalError as exc:
        hits, facet_rows = [], []
        error = f"The search could not be read ({exc})."
    facets = {f: [r for r in facet_rows if r["facet"] == f] for f in SEARCH_FILTERS}
    return await render(
        datasette,
        request,
        "desk/search.html",
        q=q,
        chosen=chosen,
        hits=hits,
        facets=facets,
        error=error,
        total=sum(r["n"] for r in facets["source"]),
    )


ROUTES = [
    (r"^/$", front),
    (r"^/-/story/(?P<story>\d+)$", story),
    (r"^/-/article/(?P<id>\d+)$", article),
    (r"^/-/inbox$", inbox),
    (r"^/-/outlets$", outlets),
    (r"^/-/outlet/(?P<source>[^/]+)$", outlet),
    (r"^/-/search$", search),
]
