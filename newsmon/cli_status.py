"""``newsmon status``: each source's health, last crawl and next run, the alert queue, and the
nodes sharing the database."""

from __future__ import annotations

import time

import click

from newsmon.cli_context import Context, pass_ctx
from storage import DeliveryState


@click.command()
@pass_ctx
def status(c: Context) -> None:
    """Show each source's health, last crawl and next run, and the alert queue."""
    from newsmon.reports import status_report
    from newsmon.timefmt import duration, short_iso

    with c.app.store() as store:
        report = status_report(c.config, store)
        deliveries = store.delivery_states() if c.config.model.destinations else []
    click.echo(f"Database: {report.database}")
    header = (
        f"{'source':<24} {'health':<12} {'articles':>8}  {'last crawl (UTC)':<19} "
        f"{'result':<9} {'new':>4} {'err 24h':>7}  {'every':>8}  {'next run (UTC)':<19}"
    )
    click.echo(header)
    click.echo("-" * len(header))
    for s in report.sources:
        click.echo(
            f"{s.name:<24} {s.health:<12} {s.articles:>8}  {s.last_crawl:<19} {s.result:<9} "
            f"{s.new:>4} {s.errors_24h:>7}  {s.every:>8}  {s.next_run:<19}"
        )
        if s.links:
            click.echo(f"{'':<24} links: {_origins(s.links)}")
        if s.listings_stuck:
            click.echo(
                f"{'':<24} listings never went past page 1 while the feed showed more articles: "
                "check its pagination (listing_depth, article_pattern)"
            )
        if s.template:
            click.echo(f"{'':<24} page template: {s.template}")
        if s.last_error:
            click.echo(f"{'':<24} last error: {s.last_error}")
    if report.telegram_pace:
        click.echo(f"\n{report.telegram_pace}")
    n = report.alerts
    click.echo(
        f"\nAlerts: {n.pending} pending, {n.sending} sending, {n.held + n.digest_sending} held "
        f"for the hourly digest, {n.sent} sent, {n.dead} failed"
    )
    for d in report.failed:
        click.echo(f"  failed alert {d.id} → {d.channel}: {d.last_error}")
    if c.config.model.destinations:
        _destinations(c, deliveries)
    if report.nodes:
        click.echo("\nNodes (daemons sharing this database):")
        now = time.time()
        for node in report.nodes:
            polling = sorted(lease.source for lease in report.leases if lease.node == node.node)
            click.echo(
                f"  {node.node}  (host {node.host}, pid {node.pid})  last heartbeat "
                f"{duration(max(0.0, now - node.heartbeat_at))} ago"
                + (f"; polling {', '.join(polling)}" if polling else "")
            )
    if report.notices:
        click.echo("\nLatest health events:")
        for e in report.notices:
            where = f"→ {e.channel} ({e.status})" if e.channel else "(log only)"
            click.echo(f"  {short_iso(e.created_at)}  {e.text} {where}")


def _destinations(c: Context, deliveries: list[DeliveryState]) -> None:
    """Each destination: where it goes, its last delivery and its last failure."""
    from alerts.destinations import shown_url
    from newsmon.timefmt import duration

    now = time.time()

    def ago(at: float | None) -> str:
        return "never" if at is None else f"{duration(max(0.0, now - at))} ago"

    states = {d.channel: d for d in deliveries}
    click.echo("\nDestinations (Apprise):")
    for name, dest in c.config.model.destinations.items():
        url = dest.resolved_url()
        where = shown_url(url) if url else f"${dest.url_env} not set: its alerts wait"
        state = states.get(name)
        ok_at = state.last_ok_at if state else None
        click.echo(f"  {name:<20} {where}")
        line = f"  {'':<20} last delivered {ago(ok_at)}"
        if state and state.last_error and (ok_at is None or (state.last_error_at or 0) > ok_at):
            line += f"; last error {ago(state.last_error_at)}: {state.last_error}"
        elif state and state.last_error:
            line += f"; earlier error {ago(state.last_error_at)}: {state.last_error}"
        click.echo(line)


def _origins(links: dict[str, int]) -> str:
    """``feed 12, sitemap 3, listing p1 8, p2 6``."""
    parts = []
    for origin, n in sorted(links.items(), key=lambda kv: (kv[0].split("/")[0], kv[0])):
        kind, _, depth = origin.partition("/")
        parts.append(f"{kind} p{int(depth) + 1} {n}" if depth.isdigit() else f"{kind} {n}")
    return ", ".join(parts)
