"""Shared fixtures: local fixture outlets, a local Slack stand-in, configs and the real CLI."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from newsmon.cli import main
from newsmon.demo.outlets import SITE, OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from tests.pgserver import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "xoxb-test-SECRET-7f3a9c"
TOKEN_ENV = "NEWSMON_TEST_SLACK_TOKEN"

RULES = [
    {
        "name": "azerbaijan",
        "query": "Azerbaijan* OR Azərbaycan* OR Azerbaycan* OR Азербайджан* OR Әзірбайжан* OR Ozarbayjon*",
        "channel": "#caucasus",
    },
    {"name": "c5-plus-one", "query": '"C5+1"', "channel": "#central-asia"},
    {
        "name": "trans-caspian",
        "query": '"Trans-Caspian" OR Transcaspian OR Транскаспи*',
        "channel": "#caucasus",
    },
]


@pytest.fixture
def outlet() -> Iterator[OutletServer]:
    """The bundled sample outlets (steppe-herald at /, caspian-wire at /wire/), fresh per test."""
    with OutletServer(SITE) as server:
        yield server


@pytest.fixture
def site() -> Iterator[OutletServer]:
    """An empty outlet: only the routes a test sets exist (robots.txt allows everything)."""
    with OutletServer(root=None) as server:
        server.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        yield server


def rss(*links: str) -> str:
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    )


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn(token=TOKEN) as standin:
        yield standin


def source(outlet: OutletServer, name: str, prefix: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "url": outlet.url(prefix + "/"),
        "feeds": [outlet.url(prefix + "/feed.xml")],
        "delay": "0s",
        "concurrency": 4,
        **extra,
    }


def write_config(
    tmp_path: Path,
    outlet: OutletServer,
    slack: SlackStandIn | None = None,
    *,
    sources: list[dict[str, Any]] | None = None,
    rules: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Path:
    data: dict[str, Any] = {
        "database": "newsmon.db",
        "sources": sources
        if sources is not None
        else [source(outlet, "steppe-herald"), source(outlet, "caspian-wire", "/wire")],
        "rules": RULES if rules is None else rules,
        **extra,
    }
    if slack is not None:
        data["slack"] = {"token_env": TOKEN_ENV, "base_url": slack.base_url}
    path = tmp_path / "newsmon.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


# Extraction in the crawl's own process (no story-vector model), except in the tests about the worker pool (which set
# NEWSMON_EXTRACT_WORKERS themselves): a pool per crawl costs a forkserver start each time.
WORKERS = {"NEWSMON_EXTRACT_WORKERS": "0", "NEWSMON_STORY_VECTORS": "0"}


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env[TOKEN_ENV] = TOKEN
    env.update(WORKERS)
    env.update(extra)
    return env


def spawn(
    *args: str,
    env: dict[str, str] | None = None,
    stdout: int = subprocess.PIPE,
    stderr: int = subprocess.PIPE,
    module: str = "newsmon",
) -> subprocess.Popen[str]:
    """Start the real CLI (or ``scrapy``, with ``module``) in a child process and return at once:
    a daemon, a browse server, a crawl to watch or to kill."""
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env or cli_env(),
        stdout=stdout,
        stderr=stderr,
        text=True,
    )


def newsmon(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in this process (crawls run on the process's reactor thread), with exactly
    the environment ``env`` (default :func:`cli_env`) and working directory ``cwd``."""
    wanted = env if env is not None else cli_env()
    overrides: dict[str, str | None] = {k: None for k in os.environ if k not in wanted}
    overrides.update(wanted)
    with contextlib.chdir(cwd or ROOT):
        result = CliRunner().invoke(main, list(args), env=overrides, catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, stderr)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the session (the machine's own binaries)."""
    server = PostgresServer().start()
    yield server
    server.stop()


_pg_databases = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """A new, empty database on the session's server."""
    return pg_server.create_database(f"test{next(_pg_databases)}")
