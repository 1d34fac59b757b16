"""Outlets whose articles are built by JavaScript: found by ``newsmon add``, stored with their
real text under ``render: true`` (the machine's Chromium through scrapy-playwright), flagged —
not silently emptied — without it; a browser that crashes is launched anew for the next poll."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.config import load_config
from crawler.engine import CrawlEngine
from crawler.reactor import call_in_reactor
from crawler.rendering import BrowserWatch, browser_pids, render_settings
from crawler.runner import crawl_settings, run_crawls
from newsmon.demo.outlets import OutletServer
from newsmon.schedule import RunOutcome, SourceState, advance
from tests.conftest import WORKERS, newsmon
from tests.probe_outlets import add_js_articles, js_listing, js_only

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK), reason="Chromium (Debian package chromium) not installed"
)
TITLES = [f"Pipeline talks resume {n}" for n in (40, 41, 42)]


@pytest.fixture(scope="module")
def js_site() -> Iterator[OutletServer]:
    with OutletServer(root=None) as server:
        server.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        js_only(server)
        yield server


def write(tmp_path: Path, server: OutletServer, **extra: Any) -> Path:
    source = {
        "name": "spa",
        "url": server.url("/"),
        "feeds": [server.url("/rss")],
        "delay": "0s",
        "concurrency": 4,
        **extra,
    }
    path = tmp_path / "newsmon.yaml"
    path.write_text(yaml.safe_dump({"database": "newsmon.db", "sources": [source]}))
    return path


def exported(path: Path) -> list[dict[str, Any]]:
    out = newsmon("--config", str(path), "export")
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(autouse=True)
def in_process_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engines started here extract in their own process (no worker pool to start)."""
    for key, value in WORKERS.items():
        monkeypatch.setenv(key, value)


def test_without_render_flagged_not_emptied(tmp_path: Path, js_site: OutletServer) -> None:
    plain = load_config(write(tmp_path, js_site))
    assert render_settings(plain) == {}  # no browser without a rendered source
    (result,) = run_crawls(plain, ["spa"])
    assert (result.counts.stored, result.counts.needs_render) == (0, 3)
    assert result.counts.not_article == 0  # not remembered as "not an article"
    assert exported(plain.path) == []
    outcome = RunOutcome.from_counts(result.counts, ok=True)
    state, events = advance(
        SourceState("spa", 900.0, 0.0), outcome, now=1.0, floor=60, ceiling=3600
    )
    assert [e.kind for e in events] == ["javascript"]
    assert "set render: true" in events[0].text
    unchanged = RunOutcome(ok=True, unchanged_entries=1)  # the next poll reads no article page
    state, events = advance(state, unchanged, now=2.0, floor=60, ceiling=3600)
    assert state.problems == ("javascript",) and events == []  # still flagged, no "recovered"


def test_a_listing_built_by_javascript_is_rendered(tmp_path: Path) -> None:
    with OutletServer(root=None) as site:
        site.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        paths = js_listing(site)
        path = tmp_path / "newsmon.yaml"
        result = newsmon("--config", str(path), "add", site.url("/"), "--name", "ferry")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Rendering of listing pages: NEEDED" in result.stdout
        source = yaml.safe_load(path.read_text())["sources"][0]
        assert source["render"] == "listings" and source["listings"] == [site.url("/")]
        path.write_text(path.read_text() + "    delay: 0s\n")  # quick to crawl in a test
        (crawled,) = run_crawls(load_config(path), ["ferry"])
        assert crawled.counts.stored == 2, crawled
        assert sorted(a["url"] for a in exported(path)) == [site.url(p) for p in paths]


def test_rendering_failures_are_recorded_and_reported(
    tmp_path: Path, js_site: OutletServer
) -> None:
    path = write(tmp_path, js_site, render=True)
    text = path.read_text() + "rendering: {chromium: /nonexistent/chromium, timeout: 5s}\n"
    path.write_text(text)
    (result,) = run_crawls(load_config(path), ["spa"])
    assert (result.counts.stored, result.counts.render_failures) == (0, 3), result
    assert result.reason == "finished"
    outcome = RunOutcome.from_counts(result.counts, ok=True)
    _, events = advance(SourceState("spa", 900.0, 0.0), outcome, now=1.0, floor=60, ceiling=3600)
    assert [e.kind for e in events] == ["rendering"]
    assert "rendering in Chromium failed for 3 page(s)" in events[0].text


def test_add_sets_render_and_the_browser_survives_a_crash(tmp_path: Path) -> None:
    with OutletServer(root=None) as site:
        site.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        js_only(site)
        path = tmp_path / "newsmon.yaml"
        result = newsmon("--config", str(path), "add", site.url("/"), "--name", "spa")
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"{TITLES[0]}  (en, " in result.stdout and "rendered in Chromium" in result.stdout
        assert "Rendering: NEEDED" in result.stdout
        source = yaml.safe_load(path.read_text())["sources"][0]
        assert source["render"] is True and source["feeds"] == [site.url("/rss")]
        path.write_text(path.read_text() + "    delay: 0s\n")  # quick to crawl in a test

        config = load_config(path)
        engine = CrawlEngine(config, crawl_settings(config))
        engine.start()
        try:
            first = engine.submit("spa", timeout=60).result(timeout=90)
            stored = exported(path)
            assert sorted(a["title"] for a in stored) == TITLES, first
            assert all("irrigation" in a["text"] or "harvest" in a["text"] for a in stored)
            assert all(h.status != 200 for h in site.hits("/logo.png"))  # images never loaded
            crawler = engine._crawler
            assert crawler is not None
            pids = browser_pids(crawler)
            assert pids, "no browser process found"
            for pid in pids:  # the browser crashes
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            # its body comes late: the page is read once its own requests are done, not at load
            add_js_articles(site, ["/2026/12/09/pipeline-talks-resume-7/"], api_delay=0.6)
            second = engine.submit("spa", timeout=60).result(timeout=90)
            assert second.counts.stored == 1, second
            assert second.run_id is not None and second.reason == "finished"
            relaunched = browser_pids(crawler)
            assert relaunched and set(relaunched).isdisjoint(pids)  # a new browser

            # past the memory ceiling, the browser is closed (the next page launches another)
            (watch,) = [m for m in crawler.extensions.middlewares if isinstance(m, BrowserWatch)]
            watch.ceiling = 1
            call_in_reactor(watch.check)
            deadline = time.monotonic() + 10
            while set(browser_pids(crawler)) & set(relaunched) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not set(browser_pids(crawler)) & set(relaunched)
            assert crawler.stats is not None
            assert crawler.stats.get_value("newsmon/render_restarts") == 1
        finally:
            engine.stop()
        assert "Pipeline talks resume 47" in {a["title"] for a in exported(path)}
