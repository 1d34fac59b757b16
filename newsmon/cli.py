"""The ``newsmon`` command line: thin click commands that parse and print. The composition root
(:mod:`newsmon.app`) builds what they need; reports come from :mod:`newsmon.reports`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from crawler.config import CONFIG_ENV, DEFAULT_CONFIG, ConfigError
from newsmon import __version__
from newsmon.cli_context import Context, fail_config, pass_ctx
from newsmon.cli_extract import extract
from newsmon.cli_notify import notify
from newsmon.cli_probe import add, check, render_note
from newsmon.cli_rules import rules
from newsmon.cli_search import search
from newsmon.cli_status import status
from newsmon.cli_trends import report, trends
from newsmon.logs import setup_logging
from storage import StorageError


class StorageErrors(click.Group):
    """A storage failure (locked database, disk full) is one line for the user, exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StorageError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=StorageErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    envvar=CONFIG_ENV,
    default=DEFAULT_CONFIG,
    show_default=True,
    metavar="PATH",
    help=f"Config file (env {CONFIG_ENV}).",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.version_option(__version__, prog_name="newsmon")
@click.pass_context
def main(ctx: click.Context, config_path: str, verbose: int) -> None:
    """newsmon: watch news outlets, archive clean article text, alert Slack on keyword rules."""
    setup_logging(verbose)
    ctx.obj = Context(config_path, verbose)


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--no-deliver", is_flag=True, help="Only queue alerts; leave delivery to the daemon.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="A live progress line per source on stderr (default: when stderr is a terminal).",
)
@pass_ctx
def crawl(c: Context, sources: tuple[str, ...], no_deliver: bool, progress: bool | None) -> None:
    """Run one full cycle now for SOURCES (all enabled sources if none): discover, fetch,
    extract, store, match, then deliver pending alerts. Exits 0 even if some pages failed
    (failures are recorded; see `newsmon status`)."""
    app = c.app
    try:
        names = app.source_names(sources)
    except ConfigError as exc:
        fail_config(exc)
    if not names:
        click.echo(
            "newsmon: no sources to crawl (add some under 'sources:' in the config)", err=True
        )
        return
    click.echo(f"Crawling {len(names)} source(s): {', '.join(names)}", err=True)
    level = "DEBUG" if c.verbose > 1 else "INFO" if c.verbose else "WARNING"
    if progress is None:
        progress = sys.stderr.isatty() and not c.verbose
    for s in app.crawl(names, log_level=level, progress=progress):
        n = s.counts
        click.echo(
            f"  {s.source}: {n.stored} new article(s), {n.skipped_seen} already stored, "
            f"{n.unchanged_entries} unchanged feed/sitemap/listing page(s), "
            f"{n.not_article} not articles, {n.error_total} error(s), {n.alerts} alert(s) queued "
            f"[{n.requests} requests, {n.seconds:.1f}s, {s.reason}]"
        )
        if n.needs_render or n.render_failures:
            click.echo(f"    {render_note(n.needs_render, n.render_failures)}")
    spikes = app.check_spikes()
    if spikes:
        click.echo(f"  {spikes} spike alert(s) queued (see `newsmon trends`)")
    if not no_deliver:
        click.echo(f"  {app.deliver_pending()}")


@main.command()
@click.option(
    "--max-parallel",
    default=32,
    show_default=True,
    type=click.IntRange(1, 1024),
    help="Sources polled at the same time (all in one crawl engine).",
)
@click.option(
    "--crawl-timeout",
    type=click.FloatRange(min=1),
    help="Seconds after which a crawl is cut off (default: max(10 min, 2 × the interval)).",
)
@click.option(
    "--engine-memory",
    default=1024,
    show_default=True,
    type=click.IntRange(min=64),
    metavar="MiB",
    help="Recycle the crawl engine process when it holds more memory than this.",
)
@click.option(
    "--engine-max-age",
    default=6.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    metavar="HOURS",
    help="Recycle the crawl engine process after this long (robots.txt are read anew).",
)
@click.option(
    "--lease-ttl",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=1),
    metavar="SECONDS",
    help="With several nodes on one database: how long a dead node's sources stay with it "
    "before the others take them over.",
)
@pass_ctx
def run(
    c: Context,
    max_parallel: int,
    crawl_timeout: float | None,
    engine_memory: int,
    engine_max_age: float,
    lease_ttl: float,
) -> None:
    """Run the daemon: crawl each source on its adaptive schedule, watch source health and
    deliver alerts continuously. Stops cleanly on SIGTERM or Ctrl-C."""
    from newsmon.daemon import Daemon

    setup_logging(max(1, c.verbose))  # a daemon reports its events (INFO) by default
    Daemon(
        c.app,
        verbose=c.verbose,
        max_parallel_crawls=max_parallel,
        crawl_timeout=crawl_timeout,
        engine_memory=engine_memory * 2**20,
        engine_max_age=engine_max_age * 3600,
        lease_ttl=lease_ttl,
    ).run()


EXPORT_FIELDS = ("url", "source", "title", "text", "published", "language", "story_id")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--source", help="Only this source.")
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File (default stdout).",
)
@pass_ctx
def export(c: Context, fmt: str, source: str | None, output: Any) -> None:
    """Export stored articles, one JSON object per line."""
    from crawler.extract.telegram_preview import article_kind

    with c.app.store() as store:
        for art in store.articles(source):
            record = {name: getattr(art, name) for name in EXPORT_FIELDS}
            record.update(author=art.author, fetched_at=art.fetched_at, kind=article_kind(art.url))
            output.write(json.dumps(record, ensure_ascii=False) + "\n")


@main.command()
@click.option("--port", default=8001, show_default=True, help="Port on 127.0.0.1.")
@click.option(
    "--snapshot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With PostgreSQL: the SQLite file the desk's snapshot is copied into (kept; default: "
    "a temporary file, removed when browse stops).",
)
@pass_ctx
def browse(c: Context, port: int, snapshot: Path | None) -> None:
    """The analyst's desk in the browser, on http://127.0.0.1:PORT (Datasette, read-only):
    the day's stories per rule, the mentions chart, stories across languages, the alert
    inbox, outlets, faceted full-text search, and every table. With PostgreSQL, the desk
    reads a snapshot copied at start."""
    from newsmon.browse import browse_postgres, port_problem, serve

    problem = port_problem(port)
    if problem:
        click.echo(f"newsmon: {problem}", err=True)
        sys.exit(1)
    db = c.config.database
    if isinstance(db, str):
        sys.exit(browse_postgres(db, port, snapshot))
    if not db.exists():
        click.echo(f"newsmon: no database at {db} yet: run `newsmon crawl` first", err=True)
        sys.exit(1)
    with c.app.store() as store:  # migrated, so the tables Datasette is told about exist
        target = store.browse_target()
    click.echo(f"The desk on http://127.0.0.1:{port}/ — Ctrl-C to stop", err=True)
    sys.exit(serve(target, port))


@main.command()
@click.option(
    "--to",
    "target",
    required=True,
    envvar="NEWSMON_MIGRATE_TO",
    metavar="URL",
    help="The PostgreSQL database to copy into, postgresql://user@host/db (env "
    "NEWSMON_MIGRATE_TO, which keeps a password out of the shell's history).",
)
@pass_ctx
def migrate(c: Context, target: str) -> None:
    """Copy the config's SQLite database into PostgreSQL: articles, stories, seen URLs, fetch
    state, crawl records, schedule and alerts (pending ones included). Idempotent and
    resumable: run it again after an interruption; nothing is copied twice. Then set
    `database` (or `database_env`) to the URL."""
    from storage.errors import redact
    from storage.transfer import copy_sqlite_to_postgres

    source = c.config.database
    if not isinstance(source, Path):
        raise click.ClickException("the config's database is not a SQLite file")
    if not target.startswith(("postgresql://", "postgres://")):
        raise click.BadParameter("expected a postgresql:// URL", param_hint="--to")
    click.echo(f"Copying {source} into {redact(target)} …", err=True)
    copied = copy_sqlite_to_postgres(source, target)
    for table, n in copied.items():
        click.echo(f"  {table}: {n} row(s) copied")
    click.echo(f"Done. Point `database` (or `database_env`) at {redact(target)}.")


@main.command()
@click.option(
    "--dir",
    "workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".newsmon-demo"),
    show_default=True,
    help="Where the demo writes its config and database (recreated each time).",
)
def demo(workdir: Path) -> None:
    """Run one full cycle offline against the bundled sample outlet and a local Slack stand-in,
    then print the alerts that were delivered."""
    from newsmon.demo.run import run_demo

    sys.exit(run_demo(workdir))


main.add_command(status)
main.add_command(search)
main.add_command(rules)
main.add_command(trends)
main.add_command(report)
main.add_command(extract)
main.add_command(notify)
main.add_command(add)
main.add_command(check)

if __name__ == "__main__":
    main()
