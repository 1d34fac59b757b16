"""``newsmon extract URL``: what newsmon keeps of a page and what it leaves out, and why — the
page read as its source's crawl reads it (learned template, ``prune``, learned lines), and the
rules it matches, or matches only in what was left out."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit

import click

from crawler.config import ConfigError, SourceConfig
from crawler.extract.template import Template
from crawler.matching import Matcher
from newsmon.cli_context import Context, fail_config, pass_ctx

SHOWN = 3  # removed lines shown per reason


def _source_of(c: Context, url: str, name: str | None) -> SourceConfig | None:
    """The named source, else the configured source whose site the URL is on."""
    if name is not None:
        try:
            return c.config.source(name)
        except ConfigError as exc:
            fail_config(exc)
    host = urlsplit(url).hostname or ""
    for source in c.config.sources:
        if source.url and (urlsplit(str(source.url)).hostname or "") == host:
            return source
    return None


def _fetch(url: str, user_agent: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body: bytes = response.read()
            charset = response.headers.get_content_charset() or "utf-8"
    except (URLError, OSError, ValueError) as exc:
        raise click.ClickException(f"could not fetch {url}: {exc}") from None
    return body.decode(charset, errors="replace")


@click.command()
@click.argument("url")
@click.option(
    "--source", "source_name", help="The source whose template to use (default: by host)."
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the page from this saved file instead of fetching URL.",
)
@pass_ctx
def extract(c: Context, url: str, source_name: str | None, html_file: Path | None) -> None:
    """Show what newsmon keeps of the page at URL and what it leaves out, and why (the source's
    learned page template, its prune selectors and learned lines), and which rules match the
    article — or only the text left out, which is why they did not alert."""
    from newsmon.explain import explain

    source = _source_of(c, url, source_name)
    html = (
        html_file.read_text(encoding="utf-8", errors="replace")
        if html_file is not None
        else _fetch(url, c.config.model.user_agent)
    )
    templates: tuple[Template, ...] = ()
    learned: set[str] = set()
    if source is not None:
        with c.app.store() as store:
            saved = store.page_templates(source.name)
            loaded = (Template.from_json(t.data) for t in saved)
            templates = tuple(t for t in loaded if t is not None)
            learned = store.boilerplate_keys(source.name, 3)
    found = explain(
        html,
        url,
        templates=templates,
        prune_xpaths=source.prune_xpaths if source is not None else (),
        learned_lines=learned,
        matcher=Matcher.of(c.config.model),
        source=source.name if source is not None else "",
    )
    click.echo(f"{url}  (source: {source.name if source else 'none configured for this site'})")
    if found.article is None:
        click.echo(f"Not an article: {found.reason}")
        return
    a = found.article
    click.echo(f"How: {found.how}")
    read_by = next((t for t in templates if t.key == a.template_key), None)
    if read_by is not None:
        spots = "; ".join(
            f"{name} at {'/'.join(spot.place[-2:])}" for name, spot in read_by.spots.items()
        )
        click.echo(f"Learned places (read where the page's metadata lacks them): {spots or 'none'}")
    click.echo(f"Title: {a.title}  ({a.language or '?'}, {a.published or 'no date'})")
    lines = a.text.split("\n")
    click.echo(f"Kept: {len(lines)} line(s), {len(a.text):,} characters")
    for line in lines:
        click.echo(f"  | {line}")
    for reason, removed in found.removed.items():
        chars = sum(len(line) for line in removed)
        click.echo(f"Left out, {reason}: {len(removed)} line(s), {chars:,} characters")
        for line in removed[:SHOWN]:
            click.echo(f"  - {line[:160]}")
    click.echo(f"Rules matching the article: {', '.join(found.matched) or 'none'}")
    for rule, line in found.only_removed.items():
        click.echo(f"Rule {rule} matches only text left out (no alert): {line[:160]}")
