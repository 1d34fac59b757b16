"""``newsmon add URL`` (probe an outlet and write it into the config) and ``newsmon check``
(probe the configured sources): what each entry point gives, and how a few articles extract."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NoReturn
from urllib.parse import urlsplit

import click

from crawler.config import (
    Config,
    ConfigError,
    NewsmonConfig,
    SourceConfig,
    config_path,
    load_config,
)
from crawler.config_types import check_url
from newsmon.cli_context import Context, fail_config, pass_ctx
from newsmon.config_edit import append_source, existing_names, source_yaml
from newsmon.probe import Probe, Prober, source_name
from newsmon.probe_http import ProbeClient, ProbeError
from newsmon.render_probe import ProbeRenderer

TIMEOUT_S = 15.0
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "no dates"


def _load(c: Context) -> Config | None:
    """The config, or None when its file does not exist yet (``add`` creates it)."""
    path = config_path(c.config_path)
    if not path.exists():
        return None
    try:
        return load_config(c.config_path)
    except ConfigError as exc:
        fail_config(exc)


@contextmanager
def _prober(model: NewsmonConfig) -> Iterator[Prober]:
    renderer = ProbeRenderer(model.rendering, model.user_agent)
    with renderer:
        client = ProbeClient(model.user_agent, timeout=TIMEOUT_S)
        yield Prober(client, renderer if renderer.available else None)


def _report(probe: Probe) -> None:
    click.echo("Entry points:")
    for e in probe.entry_points:
        if e.ok:
            pages = f" ({e.pages} pages)" if e.pages > 1 else ""
            click.echo(
                f"  {e.kind:<8} {e.url}  {e.articles} article link(s){pages}, "
                f"newest {_when(e.newest)}"
            )
        else:
            click.echo(f"  {e.kind:<8} {e.url}  BROKEN: {e.error}")
    if not probe.entry_points:
        click.echo("  none")
    click.echo(f"Language(s): {', '.join(probe.languages) or 'unknown'}")
    click.echo(f"Articles ({len(probe.articles)} of the newest):")
    for i, a in enumerate(probe.articles, 1):
        if not a.ok:
            click.echo(f"  {i}. {a.url}\n     NO ARTICLE: {a.error}")
            continue
        how = ", rendered in Chromium" if a.rendered else ""
        click.echo(
            f"  {i}. {a.title or '(no title)'}  ({a.language or '?'}, {a.length:,} characters, "
            f"{a.published or 'no date'}{how})\n     {a.url}"
        )
        for line in a.first_lines:
            click.echo(f"     | {line[:150]}")
        for reason, (n, first) in a.removed.items():
            click.echo(f"     left out: {n} line(s), {reason}, e.g. “{first[:60]}”")
    if probe.render_listings:
        click.echo(
            "Rendering of listing pages: NEEDED: the served page has no article links; "
            "rendered in Chromium it does (render: listings)"
        )
    if probe.needs_render:
        click.echo(
            "Rendering: NEEDED: the served pages hold no article text; "
            + (
                "rendered in Chromium they do (render: true)"
                if any(a.rendered for a in probe.articles)
                else "set render: true (Chromium was not found to confirm it)"
            )
        )


def _entry(name: str, url: str, probe: Probe) -> dict[str, Any]:
    feeds = [e.url for e in probe.working("feed")]
    sitemaps = [e.url for e in probe.working("sitemap")]
    listings = [e.url for e in probe.working("listing")]
    entry: dict[str, Any] = {"name": name, "url": url}
    if feeds:
        entry["feeds"] = feeds
    if sitemaps and (not feeds or any("news" in u.lower() for u in sitemaps)):
        entry["sitemaps"] = sitemaps
    if not feeds and not entry.get("sitemaps") and listings:
        entry["listings"] = listings
        entry["autodiscover"] = False  # the listing is the homepage: read as a section
    if probe.render_listings:
        entry["render"] = "listings"  # listing pages and article pages rendered
    elif probe.needs_render:
        entry["render"] = True
    return entry


@click.command()
@click.argument("url")
@click.option("--name", help="The source's name (default: from the host, e.g. 24-kg).")
@click.option("--dry-run", is_flag=True, help="Print the source's YAML instead of writing it.")
@pass_ctx
def add(c: Context, url: str, name: str | None, dry_run: bool) -> None:
    """Probe the outlet at URL (its homepage or a section page) and add it to the config: its
    feeds, news sitemaps, listing pages and pagination, its languages, and three recent
    articles extracted, with what was left out of them. Writes the source at the end of
    `sources:`, keeping the file's comments. Exits 1 without writing when the site cannot be
    read, its robots.txt forbids it, or it is not a news site."""
    try:
        url = check_url(url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="URL") from None
    config = _load(c)
    model = config.model if config is not None else NewsmonConfig()
    path = config_path(c.config_path)
    name = name or source_name(url)
    if not _NAME.match(name):
        raise click.BadParameter("use lowercase letters, digits, '-' or '_'", param_hint="--name")
    if name in existing_names(path):
        _fail(f"a source named '{name}' is already in {path.name} (choose another with --name)")
    for s in model.sources:
        if _place(s.url) == _place(url):
            _fail(f"{url} is already configured as source '{s.name}'")
    click.echo(f"Probing {url} …", err=True)
    with _prober(model) as prober:
        try:
            probe = prober.discover(url)
        except ProbeError as exc:
            _fail(str(exc))
    _report(probe)
    entry = _entry(name, url, probe)
    if dry_run:
        click.echo("\n" + source_yaml(entry), nl=False)
        return
    languages = ", ".join(probe.languages) or "language unknown"
    try:
        append_source(path, entry, comment=f"{urlsplit(url).hostname}; {languages}")
    except ConfigError as exc:
        _fail(str(exc))
    click.echo(f"Added source '{name}' to {path}. Crawl it now: newsmon crawl {name}")


def render_note(needs_render: int, failures: int) -> str:
    """What a crawl says about pages that need (or failed) rendering."""
    notes = []
    if needs_render:
        notes.append(
            f"{needs_render} article page(s) hold no text until JavaScript runs: "
            "set render: true for this source"
        )
    if failures:
        notes.append(f"rendering in Chromium failed for {failures} page(s)")
    return "; ".join(notes)


def _place(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc.lower().removeprefix("www."), parts.path.rstrip("/")


def _fail(message: str) -> NoReturn:
    click.echo(f"newsmon: {message}", err=True)
    sys.exit(1)


def _problems(probe: Probe) -> list[str]:
    problems = [f"{e.kind} {e.url}: {e.error}" for e in probe.broken]
    bad = [a for a in probe.articles if not a.ok]
    if probe.needs_render:
        problems.append("article pages hold no text without JavaScript: set render: true")
    elif probe.articles and len(bad) == len(probe.articles):
        problems.append(f"no article extracted ({bad[0].error})")
    elif not probe.articles and not probe.broken:
        problems.append("no article links")
    return problems


@click.command()
@click.argument("sources", nargs=-1)
@pass_ctx
def check(c: Context, sources: tuple[str, ...]) -> None:
    """Probe configured SOURCES (all enabled ones if none): is each feed, sitemap and listing
    alive, how many articles, the newest date, does extraction give text. Prints a table;
    exits 1 if any source is broken."""
    config = _load(c)
    if config is None:
        fail_config(ConfigError(f"{c.config_path}: config file not found"))
    try:
        chosen = (
            [config.source(n) for n in sources]
            if sources
            else [s for s in config.sources if s.enabled]
        )
    except ConfigError as exc:
        fail_config(exc)
    if not chosen:
        click.echo("newsmon: no sources to check", err=True)
        return
    rows: list[tuple[SourceConfig, Probe, list[str]]] = []
    with _prober(config.model) as prober:
        for source in chosen:
            click.echo(f"Checking {source.name} …", err=True)
            probe = prober.check(source)
            rows.append((source, probe, _problems(probe)))
    width = max(len(s.name) for s, _, _ in rows)
    click.echo(f"{'source':<{width}}  entry points  links  newest                extracted  status")
    for source, probe, problems in rows:
        ok_entries = sum(e.ok for e in probe.entry_points)
        links = sum(e.articles for e in probe.entry_points)
        dates = [e.newest for e in probe.entry_points if e.newest]
        # what a crawl gets: a page read only once rendered counts for a render source alone
        good = [a for a in probe.articles if a.ok and (source.render or not a.rendered)]
        status = "ok" if not problems else "BROKEN"
        click.echo(
            f"{source.name:<{width}}  {ok_entries}/{len(probe.entry_points):<11}  {links:<5}  "
            f"{_when(max(dates) if dates else None):<20}  "
            f"{len(good)}/{len(probe.articles):<7}  {status}"
        )
        for problem in problems:
            click.echo(f"{'':<{width}}    - {problem}")
    if any(problems for _, _, problems in rows):
        sys.exit(1)
