"""Sitemaps and listing pages, unit-level and through a real crawl."""

from __future__ import annotations

import gzip
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsmon.demo.outlets import OutletServer
from spiders.listings import listing_links, looks_like_article
from spiders.sitemaps import parse_sitemap
from tests.conftest import newsmon, write_config

A = [
    "/2025/10/28/tokayev-backs-azerbaijan-to-join-central-asia-u-s-summit/",
    "/2025/10/27/finland-kazakhstan-strengthen-economic-links/",
    "/2025/10/26/kazakhstan-international-snow-leopard-day/",
    "/2025/10/25/sothebys-islamic-middle-eastern-art-sales-london/",
    "/2025/10/24/kazakhstan-azerbaijan-caspian-cargo/",
]
NEWS_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def urlset(entries: list[tuple[str, datetime]]) -> str:
    items = "".join(
        f"<url><loc>{{{{BASE}}}}{p}</loc><news:news><news:publication>"
        f"<news:name>Steppe Herald</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{d.isoformat()}</news:publication_date><news:title>t</news:title>"
        f"</news:news></url>"
        for p, d in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NEWS_NS}>{items}</urlset>'


def test_sitemap_index_newest_first_and_dates() -> None:
    body = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>/old.xml</loc><lastmod>2020-01-01</lastmod></sitemap>"
        b"<sitemap><loc>/new.xml.gz</loc><lastmod>2026-11-01T10:00:00Z</lastmod></sitemap>"
        b"</sitemapindex>"
    )
    sm = parse_sitemap(body, "http://x.test/sitemap.xml")
    assert sm.is_index
    assert [e.url for e in sm.entries] == ["http://x.test/new.xml.gz", "http://x.test/old.xml"]


def test_entity_expansion_is_not_expanded() -> None:
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x.test/a-b-c-d&lol3;</loc></url></urlset>'
    )
    sm = parse_sitemap(lol, "http://x.test/")
    assert all(len(e.url) < 200 for e in sm.entries)


def test_listing_heuristics() -> None:
    assert looks_like_article("https://x.test/2025/10/28/some-story/")
    assert looks_like_article("https://x.test/news/politics/kazakh-leader-welcomes-baku-summit")
    assert looks_like_article("https://x.test/news/123456.html")
    assert not looks_like_article("https://x.test/tag/azerbaijan/")
    assert not looks_like_article("https://x.test/about/")
    assert not looks_like_article("https://x.test/img/2025/10/photo.jpg")
    html = """<html><head><link rel="next" href="/politics/page/2/"></head><body>
      <a href="/2025/10/28/a-story-here/">a</a><a href="/tag/baku/">t</a>
      <a href="https://elsewhere.test/2025/10/28/offsite-story-here/">o</a>
      <a href="/politics/?page=3">3</a><a href="/2025/10/28/a-story-here/#comments">dup</a></body></html>"""
    links = listing_links(html, "https://x.test/politics/")
    assert links.articles == ["https://x.test/2025/10/28/a-story-here/"]
    assert links.next_pages == [
        "https://x.test/politics/page/2/",
        "https://x.test/politics/?page=3",
    ]
    only = listing_links(html, "https://x.test/politics/", re.compile(r"/tag/"))
    assert only.articles == ["https://x.test/tag/baku/"]


def test_crawl_from_sitemap_index_and_paged_listing(tmp_path: Path, outlet: OutletServer) -> None:
    now = datetime.now(UTC)
    outlet.set(
        "/sitemap-index.xml",
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>{{BASE}}/news-1.xml.gz</loc></sitemap></sitemapindex>",
        "application/xml",
    )
    child = urlset([(A[0], now - timedelta(hours=2)), (A[1], now - timedelta(days=30))])
    outlet.set(
        "/news-1.xml.gz",
        gzip.compress(child.replace("{{BASE}}", outlet.base_url).encode()),
        "application/x-gzip",
    )
    outlet.set(
        "/politics/",
        f'<html><body><a href="{A[2]}">x</a><a href="/tag/azerbaijan/">tag</a><a href="/about/">about</a>'
        '<a rel="next" href="/politics/page/2/">next</a></body></html>',
    )
    outlet.set(
        "/politics/page/2/",
        f'<html><body><a href="{A[3]}">x</a><a href="/politics/page/3/">3</a></body></html>',
    )
    outlet.set("/politics/page/3/", f'<html><body><a href="{A[4]}">x</a></body></html>')
    src = {
        "name": "steppe-herald",
        "url": outlet.url("/"),
        "sitemaps": [outlet.url("/sitemap-index.xml")],
        "listings": [outlet.url("/politics/")],
        "listing_depth": 1,
        "delay": "0s",
        "autodiscover": False,
    }
    config = write_config(tmp_path, outlet, None, sources=[src])
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        stored = sorted(r[0] for r in conn.execute("SELECT url FROM articles"))
    # A[1] is older than max_age (7 days); A[4] is beyond listing_depth 1
    assert stored == sorted(outlet.url(p) for p in (A[0], A[2], A[3]))
    fetched = {h.path for h in outlet.log}
    assert "/tag/azerbaijan/" not in fetched and "/about/" not in fetched
    assert "/politics/page/3/" not in fetched


def test_gzipped_sitemap_limits() -> None:
    from spiders.sitemaps import MAX_UNZIPPED, SitemapError

    bomb = gzip.compress(b" " * (MAX_UNZIPPED + 1))
    with pytest.raises(SitemapError, match="larger than 50 MB"):
        parse_sitemap(bomb, "http://x.test/bomb.xml.gz")
    with pytest.raises(SitemapError, match="broken gzip"):
        parse_sitemap(b"\x1f\x8b" + b"\x00" * 40, "http://x.test/broken.xml.gz")
    plain = b"<urlset><url><loc>http://x.test/a/</loc></url></urlset>"
    assert [
        e.url for e in parse_sitemap(gzip.compress(plain), "http://x.test/s.xml.gz").entries
    ] == ["http://x.test/a/"]
