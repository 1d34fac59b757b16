"""``newsmon add`` against local outlets of several kinds, the config it writes crawled end to
end; ``newsmon check`` on configured sources."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmon.demo.outlets import OutletServer
from tests.conftest import newsmon
from tests.probe_outlets import bitrix, listing_only, not_news, wordpress

HEADER = """\
# Our desk's outlets.  (a comment that must survive)
database: newsmon.db

sources:
  # the first outlet, kept as it is
  - name: existing
    url: http://127.0.0.1:9/
    feeds: [http://127.0.0.1:9/feed/]
    enabled: false   # not confirmed yet

# What to alert on (this comment stays above rules:)
rules:
  - name: water
    query: 'water OR irrigation'
    channel: "#desk"
"""


@pytest.fixture
def outlet_site() -> Iterator[OutletServer]:
    with OutletServer(root=None) as server:
        server.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        yield server


def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "newsmon.yaml"
    path.write_text(HEADER)
    return path


def without_delay(path: Path) -> None:
    """The written source, made quick to crawl in a test (nothing else of it changed)."""
    text = path.read_text()
    assert "delay:" not in text and text.count("\n\n# What to alert on") == 1
    path.write_text(text.replace("\n\n# What to alert on", "\n    delay: 0s\n\n# What to alert on"))


def crawl_and_export(path: Path, name: str) -> list[dict[str, str]]:
    crawled = newsmon("--config", str(path), "crawl", "--no-deliver", name)
    assert crawled.returncode == 0, crawled.stderr
    exported = newsmon("--config", str(path), "export", "--source", name)
    return [json.loads(line) for line in exported.stdout.splitlines()]


def test_wordpress_outlet_with_a_feed(tmp_path: Path, outlet_site: OutletServer) -> None:
    paths = wordpress(outlet_site)
    path = config_file(tmp_path)
    result = newsmon("--config", str(path), "add", outlet_site.url("/"), "--name", "wp-outlet")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"feed     {outlet_site.url('/feed/')}  4 article link(s)" in out
    assert "newest 20" in out
    assert "Language(s): en" in out
    assert "Water deal story 0" in out and "| " in out
    assert "left out:" in out and "page furniture" in out
    assert "comments/feed" not in out
    text = path.read_text()
    added = (
        "  # 127.0.0.1; en\n"
        "  - name: wp-outlet\n"
        f"    url: {outlet_site.url('/')}\n"
        f"    feeds: [{outlet_site.url('/feed/')}]\n"
    )
    # the file as it was, every comment in its place, the source appended to sources:
    last = "enabled: false   # not confirmed yet\n"
    assert text == HEADER.replace(last, last + added), text
    without_delay(path)
    stored = crawl_and_export(path, "wp-outlet")
    assert sorted(a["url"] for a in stored) == sorted(outlet_site.url(p) for p in paths)
    assert all("irrigation" in a["text"] or "harvest" in a["text"] for a in stored)


def test_bitrix_outlet_with_only_a_sitemap(tmp_path: Path, outlet_site: OutletServer) -> None:
    paths = bitrix(outlet_site)
    path = config_file(tmp_path)
    result = newsmon("--config", str(path), "add", outlet_site.url("/"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"sitemap  {outlet_site.url('/sitemap.xml')}  4 article link(s)" in result.stdout
    assert "Language(s): ru" in result.stdout
    text = path.read_text()
    assert "- name: 127-0-0-1" in text  # named after the host
    assert f"sitemaps: [{outlet_site.url('/sitemap.xml')}]" in text
    assert "feeds:" not in text.split("127-0-0-1")[1].split("rules:")[0]
    without_delay(path)
    stored = crawl_and_export(path, "127-0-0-1")
    assert sorted(a["url"] for a in stored) == sorted(outlet_site.url(p) for p in paths)
    assert {a["language"] for a in stored} == {"ru"}


def test_listing_only_outlet_with_pagination(tmp_path: Path, outlet_site: OutletServer) -> None:
    paths = listing_only(outlet_site)
    path = config_file(tmp_path)
    result = newsmon("--config", str(path), "add", outlet_site.url("/"), "--name", "grain")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"listing  {outlet_site.url('/')}  5 article link(s) (2 pages)" in result.stdout
    text = path.read_text()
    assert f"listings: [{outlet_site.url('/')}]" in text
    without_delay(path)
    stored = crawl_and_export(path, "grain")
    assert sorted(a["url"] for a in stored) == sorted(outlet_site.url(p) for p in paths)


def test_dry_run_prints_the_yaml_and_writes_nothing(
    tmp_path: Path, outlet_site: OutletServer
) -> None:
    wordpress(outlet_site, n=2)
    path = config_file(tmp_path)
    result = newsmon("--config", str(path), "add", outlet_site.url("/"), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "sources:\n  - name: 127-0-0-1\n" in result.stdout
    assert f"    feeds: [{outlet_site.url('/feed/')}]\n" in result.stdout
    assert path.read_text() == HEADER


@pytest.mark.parametrize("kind", ["not-news", "robots", "dead", "duplicate"])
def test_refusals_exit_1_and_write_nothing(
    tmp_path: Path, outlet_site: OutletServer, kind: str
) -> None:
    path = config_file(tmp_path)
    url = outlet_site.url("/")
    name = "wp"
    if kind == "not-news":
        not_news(outlet_site)
        expected = "does not look like a news site"
    elif kind == "robots":
        wordpress(outlet_site)
        outlet_site.set("/robots.txt", "User-agent: *\nDisallow: /\n", "text/plain")
        expected = "robots.txt of 127.0.0.1"
    elif kind == "dead":
        url = "http://127.0.0.1:9/news/"  # nothing listens there
        expected = "could not fetch http://127.0.0.1:9/news/"
    else:
        name = "existing"
        expected = "a source named 'existing' is already in newsmon.yaml"
    result = newsmon("--config", str(path), "add", url, "--name", name)
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text() == HEADER


def test_check_flags_a_dead_feed(tmp_path: Path, outlet_site: OutletServer) -> None:
    wordpress(outlet_site, n=2)
    base = outlet_site.url
    path = tmp_path / "newsmon.yaml"
    path.write_text(
        "sources:\n"
        f"  - {{name: healthy, url: '{base('/')}', feeds: ['{base('/feed/')}']}}\n"
        f"  - {{name: moved-feed, url: '{base('/')}', feeds: ['{base('/old-rss/')}']}}\n"
    )
    result = newsmon("--config", str(path), "check")
    assert result.returncode == 1, result.stdout + result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert rows["healthy"].endswith("ok") and "2/2" in rows["healthy"]
    assert rows["moved-feed"].endswith("BROKEN")
    assert f"feed {base('/old-rss/')}: HTTP 404" in result.stdout
    healthy = newsmon("--config", str(path), "check", "healthy")
    assert healthy.returncode == 0, healthy.stdout
