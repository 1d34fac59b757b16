"""The ``newsmon`` command line."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from alerts.dispatcher import Dispatcher
from alerts.notifiers import (
    ConsoleNotifier,
    Notifier,
    RoutingNotifier,
    SlackNotifier,
    WebhookNotifier,
)
from newsmon import __version__
from crawler.config import CONFIG_ENV, DEFAULT_CONFIG, Config, ConfigError, load_config
from storage import Store
from storage.sqlite.store import SEARCH_WINDOW

F = TypeVar("F", bound=Callable[..., Any])
EXIT_CONFIG = 2
log = logging.getLogger("newsmon")


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # slack-sdk logs whole request bodies at DEBUG; keep it quieter than ours.
    logging.getLogger("slack_sdk").setLevel(max(level, logging.INFO))
    # APScheduler reports every job run at INFO: only with -vv.
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    if verbose == 0:
        # Page failures are recorded per source and counted in the crawl summary (and shown by
        # `newsmon status`); without -v Scrapy's own tracebacks for them are noise.
        for name in (
            "scrapy.downloadermiddlewares.robotstxt",
            "scrapy.downloadermiddlewares.retry",
        ):
            logging.getLogger(name).setLevel(logging.CRITICAL)


class Context:
    def __init__(self, config_path: str, verbose: int) -> None:
        self.config_path = config_path
        self.verbose = verbose
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                click.echo(f"newsmon: {exc}", err=True)
                sys.exit(EXIT_CONFIG)
        return self._config

    def store(self) -> Store:
        return Store.open(self.config.database)


pass_ctx = click.make_pass_decorator(Context)


def make_notifier(config: Config) -> Notifier | None:
    """Slack when configured (None while neither its token nor a webhook URL is set), else
    the console. Channels with an incoming webhook set in the environment use it."""
    if config.slack is None:
        return ConsoleNotifier()
    token = config.slack.token()
    hooks = config.slack.webhook_urls()
    bot = SlackNotifier(token, config.slack.base_url) if token else None
    if not hooks:
        if bot is None:
            log.warning(
                "Slack is configured but $%s is not set: alerts stay queued until it is",
                config.slack.token_env,
            )
        return bot
    missing = f"${config.slack.token_env} is not set and the channel has no webhook"
    return RoutingNotifier({ch: WebhookNotifier(url) for ch, url in hooks.items()}, bot, missing)


def make_dispatcher(config: Config, store: Store, notifier: Notifier) -> Dispatcher:
    """The dispatcher with the config's flood limits."""
    return Dispatcher(
        store,
        notifier,
        max_per_hour=config.model.delivery.max_per_hour,
        rule_limits={r.name: r.max_per_hour for r in config.rules if r.max_per_hour},
    )


def deliver_pending(config: Config, timeout: float = 60.0, *, quiet: bool = False) -> str:
    notifier = make_notifier(config)
    store = Store.open(config.database)
    try:
        if notifier is None:
            pending = store.alert_counts()["pending"]
            return f"{pending} alerts waiting (${config.slack.token_env if config.slack else '?'} not set)"
        report = make_dispatcher(config, store, notifier).drain(timeout)
        counts = store.alert_counts()
        msg = f"alerts: {report}"
        if counts["pending"] + counts["sending"]:
            msg += f"; {counts['pending'] + counts['sending']} still queued (retried later)"
        return msg
    finally:
        store.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    from crawler.runner import run_crawls

    config = c.config
    if sources:
        try:
            names = [config.source(name).name for name in sources]
        except ConfigError as exc:
            click.echo(f"newsmon: {exc}", err=True)
            sys.exit(EXIT_CONFIG)
    else:
        names = [s.name for s in config.sources if s.enabled]
    if not names:
        click.echo(
            "newsmon: no sources to crawl (add some under 'sources:' in the config)", err=True
        )
        return
    click.echo(f"Crawling {len(names)} source(s): {', '.join(names)}", err=True)
    level = "DEBUG" if c.verbose > 1 else "INFO" if c.verbose else "WARNING"
    if progress is None:
        progress = sys.stderr.isatty() and not c.verbose
    summaries = run_crawls(config, names, log_level=level, progress=progress)
    for s in summaries:
        click.echo(
            f"  {s.source}: {s.stored} new article(s), {s.skipped_seen} already stored, "
            f"{s.unchanged} unchanged feed/sitemap/listing page(s), "
            f"{s.not_article} not articles, {s.errors} error(s), {s.alerts} alert(s) queued "
            f"[{s.requests} requests, {s.seconds:.1f}s, {s.reason}]"
        )
    if not no_deliver:
        click.echo("  " + deliver_pending(config))


@main.command()
@click.option(
    "--max-parallel",
    default=2,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Crawls running at the same time (each in its own process).",
)
@click.option(
    "--crawl-timeout",
    type=click.FloatRange(min=1),
    help="Seconds after which a crawl is cut off (default: max(10 min, 2 × the interval)).",
)
@pass_ctx
def run(c: Context, max_parallel: int, crawl_timeout: float | None) -> None:
    """Run the daemon: crawl each source on its adaptive schedule, watch source health and
    deliver alerts continuously. Stops cleanly on SIGTERM or Ctrl-C."""
    from newsmon.daemon import Daemon

    setup_logging(max(1, c.verbose))  # a daemon reports its events (INFO) by default
    Daemon(
        c.config,
        verbose=c.verbose,
        max_parallel_crawls=max_parallel,
        crawl_timeout=crawl_timeout,
    ).run()


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
    store = c.store()
    try:
        for row in store.articles(source):
            record = {
                "url": row["url"],
                "source": row["source"],
                "title": row["title"],
                "text": row["text"],
                "published": row["published"],
                "language": row["language"],
                "story_id": row["story_id"],
                "author": row["author"],
                "fetched_at": row["fetched_at"],
            }
            output.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        store.close()


@main.command()
@pass_ctx
def status(c: Context) -> None:
    """Show each source's health, last crawl and next run, and the alert queue."""
    from newsmon.schedule import iso

    config = c.config
    store = c.store()
    try:
        summary = store.source_summary()
        schedule = store.schedule()
        counts = store.alert_counts()
        dead = store.dead_alerts()
        notices = store.recent_notices(5)
    finally:
        store.close()
    click.echo(f"Database: {config.database}")
    header = (
        f"{'source':<24} {'health':<12} {'articles':>8}  {'last crawl (UTC)':<19} "
        f"{'result':<9} {'new':>4} {'err 24h':>7}  {'every':>6}  {'next run (UTC)':<19}"
    )
    click.echo(header)
    click.echo("-" * len(header))
    configured = {s.name: s for s in config.sources}
    names = list(configured) + [n for n in summary if n not in configured]
    for name in names:
        info = summary.get(name, {})
        sched = schedule.get(name)
        stats = info.get("last_stats", {})
        src = configured.get(name)
        if src is None:
            health = "removed"
        elif not src.enabled:
            health = "disabled"
        elif sched is None:
            health = "new"
        else:
            health = ",".join(sched["problems"]) or "ok"
        every = _duration(sched["interval"]) if sched else (_duration(src.interval) if src else "-")
        last = (info.get("last_run") or "never")[:19].replace("T", " ")
        click.echo(
            f"{name:<24} {health:<12} {info.get('articles', 0):>8}  {last:<19} "
            f"{info.get('last_status') or '-':<9} {stats.get('newsmon/stored', 0):>4} "
            f"{info.get('errors_24h', 0):>7}  {every:>6}  "
            f"{iso(sched['next_due']) if sched else '-':<19}"
        )
        if sched and sched.get("last_error"):
            click.echo(f"{'':<24} last error: {sched['last_error']}")
    held = counts.get("held", 0) + counts.get("digest_sending", 0)
    click.echo(
        f"\nAlerts: {counts['pending']} pending, {counts['sending']} sending, {held} held for "
        f"the hourly digest, {counts['sent']} sent, {counts['dead']} failed"
    )
    for d in dead:
        click.echo(f"  failed alert {d['id']} → {d['channel']}: {d['last_error']}")
    if notices:
        click.echo("\nLatest health events:")
        for n in notices:
            where = f"→ {n['channel']} ({n['status']})" if n["channel"] else "(log only)"
            click.echo(f"  {(n['created_at'] or '')[:19].replace('T', ' ')}  {n['text']} {where}")


def _duration(seconds: float) -> str:
    if seconds >= 86400 and seconds % 86400 == 0:
        return f"{seconds / 86400:.0f}d"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f}h".replace(".0h", "h")
    if seconds >= 60:
        return f"{seconds / 60:.0f}m"
    return f"{seconds:.0f}s"


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-27") from None


@main.command()
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
) -> None:
    """Full-text search over stored articles (SQLite FTS5 syntax: words, "phrases", OR, NOT,
    prefix*), best match first, with the matching passage and its terms highlighted."""
    import sqlite3

    bold = sys.stdout.isatty()
    mark = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    store = c.store()
    try:
        rows = store.search(
            query,
            limit=limit,
            source=list(source),
            language=list(language),
            since=since,
            until=until,
            mark=mark,
            window=None if all_matches else SEARCH_WINDOW,
        )
    except sqlite3.OperationalError as exc:
        raise click.ClickException(f"cannot search for {query!r}: {exc}") from None
    finally:
        store.close()
    if not rows:
        click.echo("No matching articles.")
        return
    for r in rows:
        when = (r["published"] or "")[:19]
        click.echo(
            f"{when:<19}  {r['source']:<18} {r['language'] or '--':<3} "
            f"{click.style(r['title'] or r['url'], bold=bold)}"
        )
        click.echo(f"    {r['url']}  (story {r['story_id']})")
        click.echo(f"    {r['snippet']}")
    if rows.windowed:
        click.echo(
            f"More than {SEARCH_WINDOW:,} articles match: these are the best of the newest "
            f"{SEARCH_WINDOW:,}. Narrow the query or the dates, or rank all with --all-matches."
        )


def browse_metadata(db_name: str) -> dict[str, Any]:
    """Datasette metadata: full-text search on articles, facets on source, language and rule."""
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


@main.command()
@click.option("--port", default=8001, show_default=True, help="Port on 127.0.0.1.")
@pass_ctx
def browse(c: Context, port: int) -> None:
    """Open the database in Datasette on http://127.0.0.1:PORT (read-only), with full-text search
    over articles and facets for source, language and rule."""
    import signal
    import subprocess
    import tempfile

    config = c.config
    db = config.database
    if not db.exists():
        click.echo(f"newsmon: no database at {db} yet: run `newsmon crawl` first", err=True)
        sys.exit(1)
    Store.open(db).close()  # migrations applied, so the tables Datasette is told about exist
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(browse_metadata(db.stem)))
        click.echo(f"Datasette on http://127.0.0.1:{port}/{db.stem} — Ctrl-C to stop", err=True)
        cmd = [sys.executable, "-m", "datasette", "serve", str(db)]
        cmd += ["--host", "127.0.0.1", "--port", str(port), "--metadata", str(meta)]
        proc = subprocess.Popen(cmd)
        signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
        try:
            code = proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            code = proc.wait()
    sys.exit(0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code)


@main.group()
def rules() -> None:
    """Work with alert rules."""


def _example(text: str) -> Any:
    """A rule example: "Headline\n\nbody" gives a title and a body, else all of it is body."""
    from alerts.rules import ArticleText

    title, sep, body = text.partition("\n\n")
    return ArticleText(body, title) if sep else ArticleText(text)


@rules.command("test")
@click.argument("text", required=False)
@click.option(
    "--backtest",
    "backtest",
    metavar="RULE|QUERY",
    help="Run a configured rule (by name) or a draft query over every stored article and show "
    "what it would have matched.",
)
@click.option("--samples", default=10, show_default=True, help="Matching articles to show.")
@pass_ctx
def rules_test(c: Context, text: str | None, backtest: str | None, samples: int) -> None:
    """Check every rule: it parses, and its `examples` match / don't match as declared
    (an example "Headline\n\nbody" has a title). With TEXT, show which rules match that text.
    With --backtest, try a rule or a draft query on the stored articles before it goes live."""
    from alerts.rules import RuleSyntaxError

    config = c.config
    if backtest is not None:
        _backtest(c, backtest, samples)
        return
    if text is not None:
        hits = config.model.ruleset().match(_example(text))
        if not hits:
            click.echo("No rule matches.")
        combined = _example(text).combined
        for m in hits:
            words = ", ".join(repr(combined[a:b]) for a, b in m.spans)
            click.echo(f"{m.rule} → {m.channel}: {words}")
        return
    failures = 0
    for rule in config.rules:
        try:
            one = config.model.ruleset([rule.name])
        except RuleSyntaxError as exc:  # pragma: no cover - the config loader checks first
            click.echo(f"FAIL {rule.name}: {exc}")
            failures += 1
            continue
        bad = [ex for ex in rule.examples.match if not one.match(_example(ex))]
        bad_no = [ex for ex in rule.examples.no_match if one.match(_example(ex))]
        n = len(rule.examples.match) + len(rule.examples.no_match)
        if bad or bad_no:
            failures += 1
            click.echo(f"FAIL {rule.name}")
            for ex in bad:
                click.echo(f"     should match:     {ex!r}")
            for ex in bad_no:
                click.echo(f"     should not match: {ex!r}")
        else:
            click.echo(f"ok   {rule.name} ({n} example(s))")
    if failures:
        sys.exit(1)


def _backtest(c: Context, what: str, samples: int) -> None:
    from alerts.rules import ArticleText, RuleSet, RuleSyntaxError
    from alerts.snippets import snippet

    config = c.config
    named = [r for r in config.rules if r.name == what]
    try:
        if named:
            ruleset = config.model.ruleset([what])
            label = f"rule {what} ({named[0].query})"
        else:
            ruleset = RuleSet([("draft", what, "-")], config.model.concepts)
            label = f"draft query {what}"
    except RuleSyntaxError as exc:
        click.echo(f"newsmon: {what!r} is not a rule name, and as a query: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    store = c.store()
    total, hits = 0, []
    by_source: dict[str, int] = {}
    try:
        for row in store.articles():
            total += 1
            seen = ArticleText(row["text"] or "", row["title"], row["language"], row["source"])
            found = ruleset.match(seen)
            if found:
                by_source[row["source"]] = by_source.get(row["source"], 0) + 1
                hits.append((row, snippet(seen.combined, found, limit=200)))
    finally:
        store.close()
    share = f" ({100 * len(hits) / total:.1f}%)" if total else ""
    click.echo(f"{label}: {len(hits)} of {total} stored article(s) would have matched{share}")
    if by_source:
        click.echo("  by source: " + ", ".join(f"{k} {v}" for k, v in sorted(by_source.items())))
    for row, snip in hits[-samples:][::-1]:
        click.echo(
            f"  {row['published'] or row['fetched_at'] or '':<25} {row['source']:<18} {row['title']}"
        )
        click.echo(f"      {row['url']}")
        click.echo(f"      {snip}")


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


if __name__ == "__main__":
    main()
