"""``newsmon trends`` and ``newsmon report``: what is rising today, and an offline HTML report
of a span of days."""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import click

from crawler.config_types import parse_duration
from newsmon.app import App


@click.command()
@click.option(
    "--day",
    metavar="YYYY-MM-DD",
    help="The (UTC) day to look at, against the days before it (default: today).",
)
@click.option("--all", "show_all", is_flag=True, help="Also list the rules that are not rising.")
@click.pass_context
def trends(ctx: click.Context, day: str | None, show_all: bool) -> None:
    """What is rising: each rule's stories today against its usual (the previous days), with
    the top stories, the terms that rose most and the languages of a spike — what a spike
    alert says in Slack."""
    from alerts.trend_messages import spike_plain
    from newsmon.trends import rising

    app = ctx.obj.app
    now = time.time()
    if day is not None:
        try:
            now = datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() + 86399
        except ValueError:
            raise click.BadParameter("expected YYYY-MM-DD", param_hint="--day") from None
    _backfill(app)
    with app.store() as store:
        reports = rising(store, app.config.model, now)
        held = store.mention_days()
    if not reports:
        click.echo("No rules configured.")
        return
    spikes = [r for r in reports if r.decision.spike]
    click.echo(f"{len(spikes)} of {len(reports)} rule(s) rising on {reports[0].day}")
    if held is not None and held[1] < reports[0].day and not spikes:
        click.echo(f"(the newest matched article is from {held[1]}: try --day {held[1]})")
    for r in spikes:
        click.echo(spike_plain(r))
    for r in reports if show_all else []:
        if not r.decision.spike:
            d = r.decision
            click.echo(f"  {r.rule}: {d.today} stories (usually {d.usual:.1f}) — {d.why}")


@click.command()
@click.option(
    "--since",
    default="14d",
    show_default=True,
    help="How far back: a duration such as 14d, 48h (whole UTC days up to today).",
)
@click.option(
    "--until",
    metavar="YYYY-MM-DD",
    help="The span's last (UTC) day (default: today, or the newest matched article's day when "
    "the database holds nothing newer than the span).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.pass_context
def report(ctx: click.Context, since: str, until: str | None, output: Path) -> None:
    """Write a self-contained HTML report (chart embedded, top stories, counts per source and
    language) that opens in a browser with no network."""
    from newsmon.report_html import build_report, report_span

    try:
        seconds = parse_duration(since)
    except (TypeError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    if until is not None:
        try:
            until = date.fromisoformat(until).isoformat()
        except ValueError:
            raise click.BadParameter("expected YYYY-MM-DD", param_hint="--until") from None
    days = max(1, round(seconds / 86400))
    app = ctx.obj.app
    _backfill(app)
    now = time.time()
    with app.store() as store:
        span = report_span(store, app.config.model, now, days, until)
        page = build_report(store, app.config.model, now, span)
    output.write_text(page, encoding="utf-8")
    click.echo(
        f"Wrote {output} ({len(page.encode()) // 1024} KiB, {days} day(s): {span.describe()})"
    )


def _backfill(app: App) -> None:
    """Rules and concepts added since articles were stored: their mentions counted first."""

    def progress(n: int) -> None:
        click.echo(
            f"\rcounting the mentions of new rules: {n} stored article(s)", err=True, nl=False
        )

    done = app.backfill_mentions(progress if sys.stderr.isatty() else None)
    if done.subjects:
        click.echo(("\n" if sys.stderr.isatty() else "") + f"Mentions: {done}", err=True)
