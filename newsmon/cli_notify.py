"""``newsmon notify test NAME``: one test message to one destination, and what it answered."""

from __future__ import annotations

import sys
import time

import click

from alerts.destinations import shown_url
from alerts.messages import AlertMessage
from crawler.config import ConfigError
from newsmon.cli_context import Context, fail_config, pass_ctx


@click.group()
def notify() -> None:
    """Check the Apprise destinations (Telegram, e-mail, Teams, Discord, Matrix, ntfy …)."""


@notify.command("test")
@click.argument("name")
@pass_ctx
def notify_test(c: Context, name: str) -> None:
    """Send a test message to the destination NAME and print what the service answered. Exits 1
    when it was not delivered (the answer says why); the result shows in `newsmon status`."""
    destinations = c.config.model.destinations
    if name not in destinations:
        known = ", ".join(sorted(destinations)) or "none configured"
        fail_config(
            ConfigError(f"{c.config.path.name}: no destination named '{name}' (known: {known})")
        )
    notifier = c.app.destinations()
    url = notifier.urls.get(name)
    if not url:
        click.echo(f"newsmon: {notifier.missing.get(name, 'no URL')}: nothing sent", err=True)
        sys.exit(1)
    click.echo(f"Sending a test message to {name} ({shown_url(url)}) …")
    text = f"newsmon test message to {name}: delivery works."
    message = AlertMessage(
        alert_id=0,
        story_id=0,
        channel=name,
        url="",
        title="newsmon test message",
        source="newsmon",
        published=None,
        language=None,
        rules=(),
        snippet="",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": f"*{text}*"}}],
        fallback=text,
    )
    answer = notifier.deliver(name, message)
    with c.app.store() as store:
        store.note_delivery(name, time.time(), None if answer.ok else answer.reason)
    click.echo(f"{'delivered' if answer.ok else 'NOT delivered'}: {answer}")
    if not answer.ok:
        sys.exit(1)
