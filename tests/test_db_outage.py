"""A PostgreSQL restart under a running daemon: survived (the article published meanwhile is
alerted once), and told in one warning when the outage starts and one line when it ends — no
traceback, since the cause is known."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from storage.postgres.connection import CONNECTION_WAIT_S
from tests.conftest import spawn, write_config
from tests.pgserver import PostgresServer

# longer than a statement waits for a connection (storage.postgres.connection): an outage
# shorter than that is waited out, and has nothing to tell
OUTAGE_S = CONNECTION_WAIT_S + 3


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A server of this test's own: it is stopped and started again under the daemon. Durable
    (a commit is on disk when it returns), as in production: an immediate stop of a throwaway
    cluster forgets its last commits — an alert recorded as sent would be sent again."""
    server = PostgresServer(durable=True).start()
    yield server
    server.stop()


def publish(outlet: OutletServer, n: int) -> None:
    """A feed of ``n`` articles, each about Azerbaijan."""
    items = ""
    for i in range(1, n + 1):
        path = f"/2026/12/0{i}/caspian-ferry-{i}/"
        items += f"<item><title>Ferry {i}</title><link>{{{{BASE}}}}{path}</link></item>"
        outlet.set(
            path,
            f"<html lang='en'><head><title>Ferry {i}</title></head><body><article>"
            f"<h1>Caspian ferry {i}</h1><p>{'Azerbaijan and Kazakhstan add a ferry route. ' * 8}"
            f"Route number {i}.</p></article></body></html>",
        )
    outlet.set("/feed.xml", f"<rss><channel>{items}</channel></rss>", "application/rss+xml")


def wait_for(what: object, deadline_s: float) -> bool:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if what():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_a_database_restart_is_one_warning_and_one_line_back(
    tmp_path: Path, slack: SlackStandIn, own_server: PostgresServer
) -> None:
    url = own_server.create_database("outage")
    with OutletServer(None) as outlet:
        publish(outlet, 1)
        src = {
            "name": "ferries",
            "url": outlet.url("/"),
            "feeds": [outlet.url("/feed.xml")],
            "interval": "1s",
            "delay": "0s",
        }
        config = write_config(
            tmp_path, outlet, slack, sources=[src], database=url, spikes={"enabled": False}
        )
        proc = spawn("--config", str(config), "run")
        try:
            assert wait_for(lambda: len(slack.messages) == 1, 60), "the first alert never came"
            own_server.pause()
            time.sleep(OUTAGE_S)  # the outage itself: the daemon keeps trying meanwhile
            own_server.resume()
            publish(outlet, 2)
            assert wait_for(lambda: len(slack.messages) == 2, 60), "no alert after the restart"
        finally:
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    titles = sorted(m.text.split(" — ")[0] for m in slack.messages)
    assert titles == ["Caspian ferry 1", "Caspian ferry 2"], err
    assert "Traceback" not in err and "NoneType: None" not in err, err
    lines = err.splitlines()
    down = [line for line in lines if "database is unreachable" in line]
    back = [line for line in lines if "database is reachable again after" in line]
    assert len(down) == 1 and "WARNING" in down[0], err
    assert len(back) == 1, err
    seconds = float(back[0].split("reachable again after ")[1].split(" s")[0])
    assert OUTAGE_S - 1 <= seconds < OUTAGE_S + 30, back
