"""`newsmon browse`: Datasette on the crawled database, on 127.0.0.1, with search and facets."""

from __future__ import annotations

import json
import signal
import socket
import time
import urllib.request
from pathlib import Path

from newsmon.demo.outlets import OutletServer
from tests.conftest import newsmon, spawn, write_config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 30) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return json.loads(resp.read())  # type: ignore[no-any-return]
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_browse_serves_search_and_facets(tmp_path: Path, outlet: OutletServer) -> None:
    config = write_config(tmp_path, outlet, None)
    assert newsmon("--config", str(config), "crawl").returncode == 0
    port = free_port()
    proc = spawn("--config", str(config), "browse", "--port", str(port))
    try:
        base = f"http://127.0.0.1:{port}/newsmon"
        found = get(f"{base}/articles.json?_search=Azerbaijan&_shape=objects")
        titles = {r["title"] for r in found["rows"]}
        assert "Tokayev Backs Azerbaijan to Join Central Asia-U.S. Summit" in titles
        facets = get(f"{base}/articles.json?_shape=objects")["facet_results"]
        assert {f["value"] for f in facets["source"]["results"]} == {
            "steppe-herald",
            "caspian-wire",
        }
        rules = get(f"{base}/alerts.json")["facet_results"]["rules"]["results"]
        assert {"azerbaijan", "c5-plus-one", "trans-caspian"} <= {f["value"] for f in rules}
        # mentions per rule over time: a canned query that datasette-vega charts, served locally
        per_day = get(f"{base}/mentions_per_day.json?days=100000&_shape=objects")["rows"]
        assert {"subject": "azerbaijan", "day": "2025-10-28", "articles": 2} in per_day
        with urllib.request.urlopen(f"{base}/mentions_per_day?days=14", timeout=10) as resp:
            page = resp.read().decode()
        assert "/-/static-plugins/datasette_vega/" in page and "g.color_column=subject" in page
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert proc.returncode == 0
