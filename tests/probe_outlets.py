"""Small local outlets of the kinds ``newsmon add`` meets: a WordPress-like site with a feed, a
1C-Bitrix-like site with only a sitemap index, a site with only paginated listing pages, a site
whose article bodies are filled in by JavaScript from a JSON request, and a site that is not a
news site. Each is a set of routes on an :class:`OutletServer`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from newsmon.demo.outlets import OutletServer

WORDS = [
    "The regional parliament approved the water-sharing agreement after a long debate on quotas for the spring irrigation season",
    "Farmers in the valley said the allocation still leaves the lower canals dry in August",
    "The ministry promised new meters at every pumping station before the harvest, and an audit of the old concessions",
    "Observers expect the neighbouring republics to sign a similar protocol at the summit next month.",
]


def paragraphs(seed: int, n: int = 5) -> list[str]:
    return [
        f"{WORDS[(seed + i) % len(WORDS)].strip('.')} (report {seed}, part {i + 1})."
        for i in range(n)
    ]


def article_html(title: str, seed: int, lang: str = "en") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs(seed))
    return (
        f'<html lang="{lang}"><head><title>{title}</title>'
        '<meta property="og:type" content="article"></head><body>'
        '<header><nav><a href="/">Home</a> <a href="/about/">About</a></nav></header>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<aside><h3>Poll</h3><p>Do you read us daily? Yes / No</p></aside>"
        "<footer>© Outlet 2026. All rights reserved.</footer></body></html>"
    )


def recent(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def rss(base: str, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}{p}</link>"
        f"<pubDate>{format_datetime(recent(i + 1))}</pubDate></item>"
        for i, p in enumerate(paths)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>'
        f"{items}</channel></rss>"
    )


def wordpress(server: OutletServer, n: int = 4) -> list[str]:
    paths = [f"/2026/12/0{i + 1}/water-deal-story-number-{i}/" for i in range(n)]
    server.set(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" title="Feed" '
        'href="/feed/"><link rel="alternate" type="application/rss+xml" title="Comments '
        'Feed" href="/comments/feed/"></head><body><h1>Outlet</h1></body></html>',
    )
    server.set("/feed/", rss(server.base_url, paths), "application/rss+xml; charset=utf-8")
    for i, p in enumerate(paths):
        server.set(p, article_html(f"Water deal story {i}", i))
    return paths


def bitrix(server: OutletServer, n: int = 4) -> list[str]:
    paths = [f"/news/{10450 + i}/" for i in range(n)]
    server.set(
        "/robots.txt",
        "User-agent: *\nDisallow: /bitrix/\nSitemap: {{BASE}}/sitemap.xml\n",
        "text/plain",
    )
    server.set("/", "<html><body><h1>Новости</h1><p>Главная страница.</p></body></html>")
    server.set(
        "/sitemap.xml",
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{{{{BASE}}}}/sitemap-iblock-3.xml</loc>"
        f"<lastmod>{recent(1).isoformat()}</lastmod></sitemap></sitemapindex>",
        "application/xml",
    )
    urls = "".join(
        f"<url><loc>{{{{BASE}}}}{p}</loc><lastmod>{recent(i + 1).isoformat()}</lastmod></url>"
        for i, p in enumerate(paths)
    )
    server.set(
        "/sitemap-iblock-3.xml",
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        "application/xml",
    )
    for i, p in enumerate(paths):
        server.set(p, article_html(f"Водное соглашение {i}", i + 10, lang="ru"))
    return paths


def listing_only(server: OutletServer) -> list[str]:
    """Three articles on the homepage, two more on its page 2 (``?page=2``)."""
    first = [f"/2026/12/0{i + 1}/grain-exports-rise-again-{i}/" for i in range(3)]
    second = [f"/2026/11/2{i + 1}/grain-exports-older-report-{i}/" for i in range(2)]

    def page(paths: list[str], pager: str) -> str:
        links = "".join(f'<li><a href="{p}">Grain story {p[-3:-1]}</a></li>' for p in paths)
        return f"<html><body><h1>Latest</h1><ul>{links}</ul>{pager}</body></html>"

    server.set(
        "/",
        page(
            first,
            '<nav class="pagination"><a href="/?page=2">2</a> <a href="/?page=2">Next</a></nav>',
        ),
    )
    server.set("/?page=2", page(second, '<nav class="pagination"><a href="/">1</a></nav>'))
    for i, p in enumerate(first + second):
        server.set(p, article_html(f"Grain exports story {i}", i + 20))
    return first + second


APP_JS = """
fetch('/api' + location.pathname).then(r => r.json()).then(data => {
  document.title = data.title;
  const main = document.getElementById('app');
  const h1 = document.createElement('h1'); h1.textContent = data.title;
  const article = document.createElement('article'); article.appendChild(h1);
  for (const text of data.paragraphs) {
    const p = document.createElement('p'); p.textContent = text; article.appendChild(p);
  }
  main.appendChild(article);
});
"""


def js_only(server: OutletServer, n: int = 3, start: int = 0) -> list[str]:
    """A feed of article pages that are app shells: the body comes from ``/api/<path>``."""
    paths = [f"/2026/12/0{i + 1}/pipeline-talks-resume-{i}/" for i in range(start, start + n)]
    server.set(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body></body></html>',
    )
    server.set("/app.js", APP_JS, "application/javascript")
    server.set("/logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")
    add_js_articles(server, paths)
    return paths


def add_js_articles(server: OutletServer, paths: list[str], api_delay: float = 0.0) -> None:
    """Serve ``paths`` as JavaScript-filled articles and list them (all of them) in the feed;
    ``api_delay``: their JSON answers that many seconds late."""
    known = getattr(server, "_js_paths", [])
    known = [*paths, *(p for p in known if p not in paths)]
    server._js_paths = known  # type: ignore[attr-defined]
    server.set("/rss", rss(server.base_url, known), "application/rss+xml; charset=utf-8")
    for p in paths:
        seed = int(p.rstrip("/").rsplit("-", 1)[1]) + 40
        server.set(
            p,
            '<html lang="en"><head><title>Loading…</title><script src="/app.js"></script></head>'
            '<body><img src="/logo.png"><div id="app"></div>'
            "<noscript>Please enable JavaScript.</noscript></body></html>",
        )
        server.set(
            "/api" + p,
            json.dumps({"title": f"Pipeline talks resume {seed}", "paragraphs": paragraphs(seed)}),
            "application/json",
            delay=api_delay,
        )


def not_news(server: OutletServer) -> None:
    server.set(
        "/",
        "<html><head><title>Aigerim's Bakery</title></head><body><h1>Fresh bread daily</h1>"
        '<p>Open from 7 to 19.</p><a href="/menu/">Menu</a> <a href="/contact/">Contact</a>'
        "</body></html>",
    )
    server.set("/menu/", "<html><body><p>Baursak, lepyoshka, samsa.</p></body></html>")


LIST_JS = """
fetch('/api/latest').then(r => r.json()).then(data => {
  const list = document.getElementById('root');
  for (const item of data.items) {
    const a = document.createElement('a'); a.href = item.url; a.textContent = item.title;
    const li = document.createElement('li'); li.appendChild(a); list.appendChild(li);
  }
});
"""


def js_listing(server: OutletServer) -> list[str]:
    """A homepage whose article links come from a JSON request after load; the articles
    themselves are served as plain HTML."""
    paths = [f"/2026/12/0{i + 1}/caspian-ferry-line-opens-{i}/" for i in range(2)]
    server.set(
        "/",
        '<html><head><script src="/list.js"></script></head><body><ul id="root"></ul></body></html>',
    )
    server.set("/list.js", LIST_JS, "application/javascript")
    items = [{"url": p, "title": f"Ferry {i}"} for i, p in enumerate(paths)]
    server.set("/api/latest", json.dumps({"items": items}), "application/json")
    for i, p in enumerate(paths):
        server.set(p, article_html(f"Caspian ferry line opens {i}", i + 60))
    return paths
