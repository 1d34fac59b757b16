"""``newsmon search``: full-text search over the stored articles, one line per article or one
result per story (``--by-story``)."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from newsmon import reports
from newsmon.cli_context import Context, pass_ctx
from storage import SEARCH_WINDOW, QueryError

STORY_HITS = 5  # with --by-story, hits read per story asked for (a story's copies collapse)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-27") from None


@click.command()
@click.argument("query")
@click.option("--source", multiple=True, help="Only this source (repeat for several).")
@click.option("--lang", "language", multiple=True, help="Only this language, e.g. ru (repeatable).")
@click.option("--since", callback=_date, help="Published on or after this day (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Published on or before this day (YYYY-MM-DD).")
@click.option("--limit", default=20, show_default=True, help="Most results to show.")
@click.option(
    "--all-matches",
    is_flag=True,
    help=f"Rank every match, not only the newest {SEARCH_WINDOW:,} (slower on broad queries).",
)
@click.option(
    "--by-story",
    is_flag=True,
    help="One result per story: its best copy, then the story's other copies (all languages).",
)
@pass_ctx
def search(
    c: Context,
    query: str,
    source: tuple[str, ...],
    language: tuple[str, ...],
    since: str | None,
    until: str | None,
    limit: int,
    all_matches: bool,
    by_story: bool,
) -> None:
    """Full-text search over stored articles (words, "phrases", OR, NOT, prefix*), best match
    first, with the matching passage and its terms highlighted."""
    bold = sys.stdout.isatty()
    mark = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    with c.app.store() as store:
        try:
            found = store.search(
                query,
                limit=limit * STORY_HITS if by_story else limit,
                source=source,
                language=language,
                since=since,
                until=until,
                mark=mark,
                window=None if all_matches else SEARCH_WINDOW,
            )
        except QueryError as exc:
            raise click.ClickException(str(exc)) from None
    if not found:
        click.echo("No matching articles.")
        return
    if by_story:
        _print_stories(reports.by_story(found.hits, limit), bold)
    for hit in () if by_story else found:
        click.echo(
            f"{(hit.published or '')[:19]:<19}  {hit.source:<18} {hit.language or '--':<3} "
            f"{click.style(hit.title or hit.url, bold=bold)}"
        )
        click.echo(f"    {hit.url}  (story {hit.story_id})")
        click.echo(f"    {_one_line(hit.snippet)}")
    if found.windowed:
        click.echo(
            f"More than {SEARCH_WINDOW:,} articles match: these are the best of the newest "
            f"{SEARCH_WINDOW:,}. Narrow the query or the dates, or rank all with --all-matches."
        )


def _print_stories(stories: list[reports.StoryHit], bold: bool) -> None:
    for story in stories:
        hit = story.best
        click.echo(
            f"{(hit.published or '')[:19]:<19}  story {hit.story_id}  "
            f"{'/'.join(story.languages)}  {click.style(hit.title or hit.url, bold=bold)}"
        )
        click.echo(f"    {hit.source} {hit.language or '--'}: {hit.url}")
        click.echo(f"    {_one_line(hit.snippet)}")
        for other in story.others:
            click.echo(f"    also {other.source} {other.language or '--'}: {other.url}")


def _one_line(snippet: str) -> str:
    """A passage on one line (it may span paragraphs), so that it stays indented."""
    return " ".join(snippet.split())
