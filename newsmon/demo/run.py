"""``newsmon demo``: the whole pipe, offline, in one command.

Serves the bundled sample outlets on 127.0.0.1, starts a local Slack Web API stand-in, writes a
config that points at both, runs one crawl cycle (real Scrapy, real trafilatura, real SQLite),
delivers the alerts through the real slack-sdk client, and prints what Slack received.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import yaml

from crawler.config import load_config
from newsmon.app import App
from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn

DEMO_TOKEN_ENV = "NEWSMON_DEMO_SLACK_TOKEN"
DEMO_TOKEN = "xoxb-newsmon-demo-token"

RULES = [
    {
        "name": "azerbaijan",
        "query": "Azerbaijan* OR Azərbaycan* OR Azerbaycan* OR Азербайджан* OR Әзірбайжан* OR Ozarbayjon*",
        "channel": "#caucasus",
        "examples": {"match": ["Baku, Azerbaijan", "Азербайджана"], "no_match": ["Kazakhstan"]},
    },
    {
        "name": "c5-plus-one",
        "query": '"C5+1"',
        "channel": "#central-asia",
        "examples": {"match": ["the C5+1 format", "C5 + 1 summit"], "no_match": ["C5 group"]},
    },
    {
        "name": "trans-caspian",
        "query": '"Trans-Caspian" OR Transcaspian OR Транскаспи*',
        "channel": "#caucasus",
        "examples": {
            "match": ["Trans Caspian route", "Транскаспийский маршрут"],
            "no_match": ["Caspian Sea"],
        },
    },
]


def demo_config(outlet: OutletServer, slack: SlackStandIn) -> dict:
    return {
        "database": "newsmon-demo.db",
        "slack": {"token_env": DEMO_TOKEN_ENV, "base_url": slack.base_url},
        "sources": [
            {
                "name": "steppe-herald",
                "url": outlet.url("/"),
                "feeds": [outlet.url("/feed.xml")],
                "interval": "15m",
                "delay": "0s",
                "concurrency": 4,
            },
            {
                "name": "caspian-wire",
                "url": outlet.url("/wire/"),
                "feeds": [outlet.url("/wire/feed.xml")],
                "interval": "15m",
                "delay": "0s",
                "concurrency": 4,
            },
            {  # in Russian: two of the events above, the same story across languages
                "name": "stepnoy-vestnik",
                "url": outlet.url("/novosti/"),
                "feeds": [outlet.url("/novosti/feed.xml")],
                "interval": "15m",
                "delay": "0s",
                "concurrency": 4,
            },
        ],
        "rules": RULES,
    }


def run_demo(workdir: Path) -> int:
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    with OutletServer() as outlet, SlackStandIn(token=DEMO_TOKEN) as slack:
        config_file = workdir / "newsmon.yaml"
        config_file.write_text(
            yaml.safe_dump(demo_config(outlet, slack), sort_keys=False, allow_unicode=True)
        )
        os.environ[DEMO_TOKEN_ENV] = DEMO_TOKEN
        app = App(load_config(config_file))
        click.secho(
            f"Sample outlets on {outlet.base_url}, Slack stand-in on {slack.base_url}", dim=True
        )
        click.echo("Crawling steppe-herald, caspian-wire and stepnoy-vestnik (in Russian) …")
        for s in app.crawl(app.source_names()):
            n = s.counts
            click.echo(
                f"  {s.source}: {n.stored} articles stored, {n.alerts} alerts queued, "
                f"{n.error_total} errors"
            )
        delivery = app.deliver_pending(timeout=60)
        with app.store() as store:
            articles = sum(1 for _ in store.articles())
        click.echo(f"Delivering alerts through slack-sdk … {delivery}\n")
        click.secho(f"Slack received {len(slack.messages)} message(s):", bold=True)
        for m in slack.top_level():
            languages = _languages(m.blocks)
            edited = f", updated: {languages}" if m.edits and languages else ""
            click.echo(f"• {m.channel}  (new story, ts {m.ts}{edited})\n    {m.text}")
            for reply in slack.replies(m.ts):
                click.echo(f"    ↳ reply in thread: {_origin(reply.blocks)}{reply.text}")
        click.echo(f"\n{articles} articles stored in {app.config.database_label}")
        _sample_briefing(app, workdir)
        newsmon = _command()
        click.echo(f"Try: {newsmon} --config {config_file} export --format jsonl")
        click.echo(f"     {newsmon} --config {config_file} search Azerbaijan")
        click.echo(f"     {newsmon} --config {config_file} search --by-story 'Tokayev OR Токаев'")
        click.echo(f"     {newsmon} --config {config_file} report --since 14d -o report.html")
        return 0 if slack.messages else 1


def _sample_briefing(app: App, workdir: Path) -> None:
    """Print the daily briefing #caucasus would get, as of the evening of the sample outlets'
    last day (their articles are from October 2025), and save its chart."""
    from alerts.trend_messages import briefing_plain
    from newsmon.trends import build_briefing

    with app.store() as store:
        days = [m.day for m in store.daily_mentions("0000-01-01", "9999-12-31")]
        if not days:
            return
        as_of = datetime.fromisoformat(max(days)).replace(hour=20, tzinfo=UTC).timestamp()
        briefing, png, name = build_briefing(store, app.config.model, "#caucasus", as_of, max(days))
    chart = workdir / name
    chart.write_bytes(png)
    click.secho(f"\nSample daily briefing (as of {max(days)} 20:00 UTC):", bold=True)
    click.echo(briefing_plain(briefing))
    click.echo(f"  chart (mentions per rule, 14 days): {chart}")


def _languages(blocks: list[dict] | None) -> str:
    """The "in English, Russian" a story's top-level message lists, if any."""
    for block in blocks or ():
        for element in block.get("elements", ()):
            text = str(element.get("text", ""))
            if " · in " in text:
                return text.rsplit(" · in ", 1)[1]
    return ""


def _origin(blocks: list[dict] | None) -> str:
    """The "Russian, stepnoy-vestnik: " a reply starts with."""
    text = str(((blocks or [{}])[0].get("text") or {}).get("text", ""))
    return text[3 : text.index(":_") + 1] + " " if text.startswith("↳ _") and ":_" in text else ""


def _command() -> str:
    """How to run newsmon from this shell: ``newsmon`` when it is on the PATH, else the
    console script beside this Python (``.venv/bin/newsmon``)."""
    found = shutil.which("newsmon")
    beside = Path(sys.executable).parent / "newsmon"
    if found and Path(found).resolve() == beside.resolve():
        return "newsmon"
    if beside.exists():
        try:
            return str(beside.relative_to(Path.cwd()))
        except ValueError:
            return str(beside)
    return f"{sys.executable} -m newsmon"
