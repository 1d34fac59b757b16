"""Listings in every CMS, crawled for real: a section whose older articles are linked only from
its page 2 or 3 — by 1C-Bitrix, Drupal, Joomla, WordPress-style path pages and a Next.js-style
"load more" endpoint — has every article stored once, nothing outside the section followed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsmon.demo.outlets import OutletServer
from tests.conftest import newsmon, write_config

BODY = "<p>" + "Транскаспийский маршрут и грузы через порт Актау обсуждали на встрече. " * 8
BODY += "</p>"


def article(title: str) -> str:
    return (
        f"<html lang='ru'><head><title>{title}</title>"
        "<meta property='og:type' content='article'></head>"
        f"<body><article><h1>{title}</h1>{BODY}</article></body></html>"
    )


def page(links: list[str], pager: str) -> str:
    items = "".join(f'<div class="item"><a href="{u}">{u}</a></div>' for u in links)
    distractors = (
        '<a href="/sport/2">Спорт 2</a><a href="/tag/aktau/">Актау</a>'
        '<a href="/archive/2024/">Архив 2024</a><a href="/author/ivanov/">Иванов</a>'
    )
    return f"<html><body><div class='news'>{items}</div>{distractors}{pager}</body></html>"


# style → (section path, page 2 URL, page 3 URL, pager HTML for (current page url) → html)
STYLES = {
    "bitrix": (
        "/news/politics/",
        "/news/politics/?PAGEN_1=2",
        "/news/politics/?PAGEN_1=3",
        '<div class="modern-page-navigation"><span>1</span>'
        '<a href="/news/politics/?PAGEN_1=2">2</a><a href="/news/politics/?PAGEN_1=3">3</a>'
        '<a href="/news/politics/?PAGEN_1=2">След.</a></div>',
    ),
    "drupal": (
        "/kk/sayasat",
        "/kk/sayasat?page=1",
        "/kk/sayasat?page=2",
        '<nav class="pager"><ul><li class="pager__item is-active">1</li>'
        '<li class="pager__item"><a href="?page=1">2</a></li>'
        '<li class="pager__item"><a href="?page=2">3</a></li>'
        '<li class="pager__item--next"><a href="?page=1">Келесі ›</a></li></ul></nav>',
    ),
    "joomla": (
        "/uz/siyosat",
        "/uz/siyosat?start=10",
        "/uz/siyosat?start=20",
        '<div class="pagination"><ul><li><a href="/uz/siyosat?start=10">2</a></li>'
        '<li><a href="/uz/siyosat?start=20">3</a></li>'
        '<li><a href="/uz/siyosat?start=10">Кейинги</a></li></ul></div>',
    ),
    "path": (
        "/az/siyaset/",
        "/az/siyaset/sehife/2/",
        "/az/siyaset/sehife/3/",
        '<div class="nav"><a href="/az/siyaset/sehife/2/">2</a>'
        '<a href="/az/siyaset/sehife/3/">3</a><a href="/az/siyaset/sehife/2/">Növbəti</a></div>',
    ),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_older_articles_only_on_pages_2_and_3(
    tmp_path: Path, outlet: OutletServer, style: str
) -> None:
    section, second, third, pager = STYLES[style]
    arts = [f"{section.rstrip('/')}/2025/10/2{i}/story-number-{i}-{style}/" for i in range(3)]
    outlet.set(section, page([arts[0]], pager))
    # page 2 and 3 repeat the pager (as CMSs do); page 3 shows pages up to 3 only
    outlet.set(second, page([arts[1], arts[0]], pager))
    outlet.set(third, page([arts[2]], pager))
    for i, url in enumerate(arts):
        outlet.set(url, article(f"Статья {i} ({style})"))
    src = {
        "name": f"{style}-outlet",
        "url": outlet.url("/"),
        "listings": [outlet.url(section)],
        "listing_depth": 2,
        "delay": "0s",
        "autodiscover": False,
    }
    config = write_config(tmp_path, outlet, None, sources=[src], rules=[])
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        stored = [r[0] for r in conn.execute("SELECT url FROM articles")]
    assert sorted(stored) == sorted(outlet.url(a) for a in arts)  # each once
    fetched = [h.path for h in outlet.log]
    assert not {"/sport/2", "/tag/aktau/", "/archive/2024/", "/author/ivanov/"} & set(fetched)
    assert fetched.count(section) == 1  # the section's first page read once
    status = newsmon("--config", str(config), "status")
    assert "links: listing p1 1, listing p2 2, listing p3 1" in status.stdout, status.stdout


def test_load_more_endpoint(tmp_path: Path, outlet: OutletServer) -> None:
    arts = [f"/ru/politika/2025/10/2{i}/novost-nomer-{i}-load-more/" for i in range(3)]
    button = '<button class="btn load-more" data-url="/api/news?page=2">Показать ещё</button>'
    outlet.set("/ru/politika/", page([arts[0]], button))
    outlet.set(
        "/api/news?page=2",
        json.dumps({"items": [{"url": arts[1]}], "next": "/api/news?page=3"}),
        "application/json",
    )
    outlet.set(
        "/api/news?page=3",
        json.dumps({"html": f'<div><a href="{arts[2]}">x</a></div>', "next": None}),
        "application/json",
    )
    for i, url in enumerate(arts):
        outlet.set(url, article(f"Статья {i}"))
    src = {
        "name": "nextjs-outlet",
        "url": outlet.url("/"),
        "listings": [outlet.url("/ru/politika/")],
        "listing_depth": 2,
        "delay": "0s",
        "autodiscover": False,
    }
    config = write_config(tmp_path, outlet, None, sources=[src], rules=[])
    assert newsmon("--config", str(config), "crawl").returncode == 0
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        stored = sorted(r[0] for r in conn.execute("SELECT url FROM articles"))
    assert stored == sorted(outlet.url(a) for a in arts)
    api = [h for h in outlet.log if h.path.startswith("/api/")]
    assert [h.path for h in api] == ["/api/news?page=2", "/api/news?page=3"]
    assert all(h.headers.get("X-Requested-With") == "XMLHttpRequest" for h in api)


def test_status_flags_listings_stuck_on_page_one(tmp_path: Path, outlet: OutletServer) -> None:
    arts = [f"/news/2025/10/2{i}/stuck-listing-story-{i}/" for i in range(4)]
    feed = "".join(f"<item><link>{{{{BASE}}}}{a}</link></item>" for a in arts)
    outlet.set("/feed.xml", f"<rss><channel>{feed}</channel></rss>", "application/rss+xml")
    # the section shows one article and a pager newsmon cannot recognise (script-driven)
    outlet.set("/news/", page([arts[0]], '<span onclick="go(2)">›</span>'))
    for i, url in enumerate(arts):
        outlet.set(url, article(f"Статья {i}"))
    src = {
        "name": "stuck",
        "url": outlet.url("/"),
        "feeds": [outlet.url("/feed.xml")],
        "listings": [outlet.url("/news/")],
        "delay": "0s",
    }
    config = write_config(tmp_path, outlet, None, sources=[src], rules=[])
    assert newsmon("--config", str(config), "crawl").returncode == 0
    status = newsmon("--config", str(config), "status").stdout
    assert "links: feed 4, listing p1 1" in status, status
    assert "listings never went past page 1 while the feed showed more articles" in status
