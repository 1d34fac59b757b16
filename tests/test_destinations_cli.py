"""Destinations from the command line: config errors (exit 2 naming the field), `newsmon notify
test`, destinations in `newsmon status`, a rule alerting several channels, and kill -9 of the
daemon while it sends to a destination."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.config import load_config
from newsmon.app import App
from newsmon.demo.outlets import OutletServer
from tests.conftest import RULES, cli_env, newsmon, source, spawn, write_config
from tests.hook_standin import HookStandIn

TG_SECRET = "123456789:abcdefghijABCDEFGHIJabcdefghij12345"


@pytest.fixture(scope="module")
def hook() -> Iterator[HookStandIn]:
    with HookStandIn() as standin:
        yield standin


@pytest.fixture
def fresh(hook: HookStandIn) -> HookStandIn:
    hook.posted.clear()
    hook.statuses.clear()
    hook.hold_at = None
    hook.held.clear()
    hook.release.clear()
    return hook


def config_with(tmp_path: Path, destinations: dict[str, Any], channel: Any = "desk") -> Path:
    path = tmp_path / "newsmon.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "database": "newsmon.db",
                "destinations": destinations,
                "rules": [{"name": "azerbaijan", "query": "Azerbaijan", "channel": channel}],
            }
        )
    )
    return path


@pytest.mark.parametrize(
    ("destinations", "channel", "message"),
    [
        (
            {"desk": {"url": "tgram://not-a-token"}},
            "desk",
            "destinations.desk.url: Apprise does not accept",
        ),
        (
            {"desk": {"url": "nosuchservice://x"}},
            "desk",
            "destinations.desk.url: Apprise does not accept",
        ),
        (
            {"desk": {"url": f"tgram://{TG_SECRET}/-100123"}},
            "desk",
            "destinations.desk.url: this URL holds a credential",
        ),
        (
            {"desk": {"url": "mailtos://me:hunter2@example.org"}},
            "desk",
            "destinations.desk.url: this URL holds a credential",
        ),
        (
            {"desk": {"url": "json://h.example.org/x"}},
            ["#caucasus", "dsk"],
            "rules[0].channel: unknown destination 'dsk'",
        ),
        ({"desk": {}}, "desk", "destinations.desk: give either url_env"),
        (
            {"desk": {"url_env": "NEWSMON_TEST_BAD_URL"}},
            "desk",
            "destinations.desk.url_env: $NEWSMON_TEST_BAD_URL: Apprise does not accept",
        ),
    ],
)
def test_bad_destination_is_exit_2_naming_the_field(
    tmp_path: Path, destinations: dict[str, Any], channel: Any, message: str
) -> None:
    config = config_with(tmp_path, destinations, channel)
    result = newsmon(
        "--config", str(config), "status", env=cli_env(NEWSMON_TEST_BAD_URL="tgram://x")
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"newsmon.yaml: {message}" in result.stderr
    assert "hunter2" not in result.stderr and TG_SECRET not in result.stderr


def test_notify_test_and_status(tmp_path: Path, fresh: HookStandIn) -> None:
    secret_url = fresh.url("/hook").replace("json://", "json://newsmon:s3cr3t-pw@")
    config = config_with(tmp_path, {"desk": {"url_env": "NEWSMON_TEST_DESK_URL"}})
    env = cli_env(NEWSMON_TEST_DESK_URL=secret_url)
    result = newsmon("--config", str(config), "notify", "test", "desk", env=env)
    assert result.returncode == 0, result.stderr
    assert "delivered: JSON success" in result.stdout
    assert "test message" in fresh.delivered()[0].message
    fresh.statuses = [500]
    result = newsmon("--config", str(config), "notify", "test", "desk", env=env)
    assert result.returncode == 1
    assert "NOT delivered: JSON failure" in result.stdout and "error=500" in result.stdout
    status = newsmon("--config", str(config), "status", env=env)
    assert status.returncode == 0, status.stderr
    assert "Destinations (Apprise):" in status.stdout
    assert "last delivered" in status.stdout and "error=500" in status.stdout
    missing = newsmon("--config", str(config), "notify", "test", "nope", env=env)
    assert missing.returncode == 2 and "no destination named 'nope'" in missing.stderr
    said = result.stdout + result.stderr + status.stdout + status.stderr
    assert "s3cr3t-pw" not in said and "****" in status.stdout  # masked where shown
    assert b"s3cr3t-pw" not in (tmp_path / "newsmon.db").read_bytes()
    unset = newsmon("--config", str(config), "notify", "test", "desk")
    assert unset.returncode == 1 and "$NEWSMON_TEST_DESK_URL is not set" in unset.stderr


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_a_rule_with_a_list_of_channels_alerts_each(tmp_path: Path, fresh: HookStandIn) -> None:
    from crawler.config import load_config
    from crawler.pipelines import alert_drafts

    config = load_config(
        config_with(tmp_path, {"desk": {"url": fresh.url()}}, ["#caucasus", "desk"])
    )
    assert config.rules[0].channels == ("#caucasus", "desk")
    matches = config.model.ruleset().match("Azerbaijan joins the summit")
    assert [d.channel for d in alert_drafts("Azerbaijan joins the summit", matches)] == [
        "#caucasus",
        "desk",
    ]


def test_kill_9_mid_send_to_a_destination_loses_and_doubles_nothing(
    tmp_path: Path, outlet: OutletServer, fresh: HookStandIn
) -> None:
    """The daemon is killed while the hook holds its second message unanswered; the next run
    sends what was left: each alert answered once, the cut-off one sent again."""
    rules = [dict(r, channel="desk") for r in RULES]
    config = write_config(
        tmp_path,
        outlet,
        None,
        rules=rules,
        sources=[source(outlet, "steppe-herald"), source(outlet, "caspian-wire", "/wire")],
        destinations={"desk": {"url": fresh.url(), "interval": "10ms"}},
        delivery={"lease": "1s"},
    )
    fresh.hold_at = 1
    daemon = spawn("--config", str(config), "run")
    try:
        assert fresh.held.wait(60), "the daemon sent nothing"
        daemon.send_signal(signal.SIGKILL)
        daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    cut = fresh.posted[1]
    time.sleep(1.1)  # the dead daemon's lease on its alert runs out
    delivery = App(load_config(config)).deliver_pending(30)  # what the next run does first
    assert delivery.report is not None and not delivery.report.dead
    db = tmp_path / "newsmon.db"
    sent = rows(
        db,
        "SELECT a.id, ar.url FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE a.status = 'sent'",
    )
    left = rows(db, "SELECT status FROM alerts WHERE status NOT IN ('sent', 'held')")
    assert left == [] and len(sent) >= 2
    delivered = [p.message for p in fresh.delivered()]
    for _id, url in sent:
        assert sum(f"]({url})" in m for m in delivered) == 1, url  # once each, none lost
    assert len(delivered) == len(sent)
    assert not cut.answered  # the cut-off send reached no one …
    assert any(cut.message == m for m in delivered)  # … and went again
