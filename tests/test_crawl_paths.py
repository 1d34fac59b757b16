"""Every discovery path, canonicalization case and guard, through real crawls of local outlets.

Each test builds a small outlet on a fixture server (no site folder: only the routes it sets),
runs the real ``newsmon crawl`` and asserts from the server's request log and the database.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsmon.demo.outlets import OutletServer
from spiders.feeds import FeedError, discover_feeds, parse_feed
from tests.conftest import newsmon, rss, write_config

BODY = (
    "Officials from the two countries met in the capital on Tuesday to discuss freight corridors, "
    "customs procedures and the schedule of new ferry services across the sea. "
    "The delegations agreed to publish a joint road map before the end of the year, and experts "
    "said the talks marked a step towards faster cargo transit between the regions."
)


def article(title: str, *, extra_head: str = "", body: str = BODY) -> str:
    return (
        f'<html lang="en"><head><title>{title}</title>'
        f'<meta property="og:type" content="article">{extra_head}</head>'
        f"<body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
    )


def crawl(tmp_path: Path, site: OutletServer, **src: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": "outlet", "url": site.url("/"), "delay": "0s", **src}
    config = write_config(tmp_path, site, None, sources=[spec], rules=[])
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        stored = sorted(
            r[0].removeprefix(site.base_url) for r in conn.execute("SELECT url FROM articles")
        )
        errors = sorted(
            (r[0].removeprefix(site.base_url), r[1])
            for r in conn.execute("SELECT url, kind FROM crawl_errors")
        )
        stats = json.loads(
            conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()[0]
        )
    return {"stored": stored, "errors": errors, "stats": stats, "result": result}


def paths(site: OutletServer) -> list[str]:
    return [h.path for h in site.log]


# --- feeds (unit level) -----------------------------------------------------------------------


def test_feed_formats() -> None:
    rss091 = b'<rss version="0.91"><channel><title>x</title><item><title>a</title><link>/a/</link></item></channel></rss>'
    rdf = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>x</title></channel>'
        b'<item rdf:about="http://x.test/b/"><title>b</title><link>http://x.test/b/</link></item></rdf:RDF>'
    )
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
        b'<entry><title>c</title><link rel="alternate" href="c/"/><link rel="enclosure" href="/c.mp3"/></entry></feed>'
    )
    encoded = (
        b'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>x</title>'
        b"<item><title>d</title><link>http://x.test/d/</link><content:encoded><![CDATA[<p>full text</p>]]></content:encoded></item>"
        b"<item><title>scan</title><link>http://x.test/files/scan.PDF</link></item>"
        b"<item><title>photo</title><link>http://x.test/p/photo.jpg</link></item></channel></rss>"
    )
    json_feed = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "x",
            "items": [
                {"id": "1", "url": "/e/", "title": "e", "date_published": "2026-11-01T10:00:00Z"},
                {"id": "2", "external_url": "http://x.test/f/"},
                {"id": "3", "content_text": "no link"},
            ],
        }
    ).encode()
    base = "http://x.test/feeds/main.xml"
    assert [e.url for e in parse_feed(rss091, base)] == ["http://x.test/a/"]
    assert [e.url for e in parse_feed(rdf, base)] == ["http://x.test/b/"]
    assert [e.url for e in parse_feed(atom, base)] == ["http://x.test/feeds/c/"]
    assert [e.url for e in parse_feed(encoded, base)] == ["http://x.test/d/"]
    entries = parse_feed(json_feed, base)
    assert [e.url for e in entries] == ["http://x.test/e/", "http://x.test/f/"]
    assert entries[0].published == "2026-11-01T10:00:00Z"
    for junk in (b"<html><body>not a feed</body></html>", b'{"items": []}', b"{broken"):
        with pytest.raises(FeedError):
            parse_feed(junk, base)


def test_feed_autodiscovery_links() -> None:
    html = """<html><head><base href="/en/">
      <link rel="alternate" type="application/rss+xml" title="News" href="rss/">
      <link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
      <link rel="alternate" type="application/feed+json" href="https://x.test/feed.json">
      <link rel="alternate" hreflang="ru" href="/ru/">
      <link rel="stylesheet" type="text/css" href="/s.css"></head></html>"""
    assert discover_feeds(html, "https://x.test/") == [
        "https://x.test/en/rss/",
        "https://x.test/feed.json",
    ]


# --- discovery paths through real crawls -------------------------------------------------------


def test_json_feed_and_autodiscovery_from_homepage_and_robots(
    tmp_path: Path, site: OutletServer
) -> None:
    now = datetime.now(UTC)
    site.set(
        "/",
        '<html><head><link rel="alternate" type="application/feed+json" href="/feed.json">'
        '</head><body><a href="/2026/11/01/home-link-story/">x</a></body></html>',
    )
    site.set(
        "/feed.json",
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1",
                "title": "t",
                "items": [{"id": "a", "url": "/2026/11/01/from-json-feed/"}],
            }
        ),
        "application/feed+json",
    )
    site.set(
        "/robots.txt",
        "User-agent: *\nAllow: /\nSitemap: {{BASE}}/sitemap.xml\nSitemap: {{BASE}}/news-sitemap.xml\n",
        "text/plain",
    )
    site.set(
        "/news-sitemap.xml",
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        f"<loc>{{{{BASE}}}}/2026/11/01/from-news-sitemap/</loc><lastmod>{now.isoformat()}</lastmod>"
        "</url></urlset>",
        "application/xml",
    )
    for slug in ("from-json-feed", "from-news-sitemap", "home-link-story"):
        site.set(f"/2026/11/01/{slug}/", article(slug))
    out = crawl(tmp_path, site)
    assert out["stored"] == ["/2026/11/01/from-json-feed/", "/2026/11/01/from-news-sitemap/"]
    fetched = paths(site)
    # the full sitemap is not read when robots.txt names a news sitemap; the homepage announced a
    # feed, so its own article links are not followed
    assert "/sitemap.xml" not in fetched
    assert "/2026/11/01/home-link-story/" not in fetched
    assert out["stats"]["newsmon/feeds_discovered"] == 1


def test_homepage_without_feeds_is_read_as_a_listing(tmp_path: Path, site: OutletServer) -> None:
    site.set(
        "/",
        '<html><body><a href="/2026/11/01/home-link-story/">x</a><a href="/about/">a</a>'
        '<a href="http://elsewhere.test/2026/11/01/offsite-story/">o</a></body></html>',
    )
    site.set("/2026/11/01/home-link-story/", article("home link story"))
    out = crawl(tmp_path, site)
    assert out["stored"] == ["/2026/11/01/home-link-story/"]
    assert "/about/" not in paths(site)


def test_autodiscover_off_crawls_only_what_is_listed(tmp_path: Path, site: OutletServer) -> None:
    site.set("/", '<html><head><link rel="alternate" type="application/rss+xml" href="/f"></head>')
    out = crawl(tmp_path, site, autodiscover=False)
    assert out["stored"] == [] and paths(site) == []


# --- canonicalization ----------------------------------------------------------------------


def test_canonicalization_before_and_after_fetch(tmp_path: Path, site: OutletServer) -> None:
    site.set(
        "/feed.xml",
        rss(
            "{{BASE}}/news/alpha/?utm_source=rss&utm_medium=feed",
            "{{BASE}}/news/bravo/amp/",
            "{{BASE}}/news/charlie?id=7&fbclid=XYZ#comments",
            "{{BASE}}/news/delta/?amp=1",
        ),
        "application/rss+xml",
    )
    # the same pages announced again, spelled differently (no slash, upper-case host)
    site.set(
        "/sitemap.xml",
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>{{BASE}}/news/alpha</loc></url>"
        "<url><loc>{{BASE}}/news/bravo/</loc></url></urlset>",
        "application/xml",
    )
    site.set("/news/alpha/", article("alpha"))
    site.set("/news/alpha", "", status=301, headers={"Location": "/news/alpha/"})
    site.set("/news/bravo/", article("bravo"))
    # charlie's own canonical link names its clean URL; the same-site rule keeps it
    site.set(
        "/news/charlie",
        article("charlie", extra_head='<link rel="canonical" href="/news/charlie-canonical/">'),
    )
    # delta claims another site's URL as canonical: ignored
    site.set(
        "/news/delta/",
        article("delta", extra_head='<link rel="canonical" href="https://other.test/x/">'),
    )
    out = crawl(tmp_path, site, feeds=[site.url("/feed.xml")], sitemaps=[site.url("/sitemap.xml")])
    assert out["stored"] == [
        "/news/alpha/",
        "/news/bravo/",
        "/news/charlie-canonical/",
        "/news/delta/",
    ]
    fetched = paths(site)
    # one page however it is announced: asked for once (in whichever spelling came first)
    assert len([p for p in fetched if p.startswith("/news/alpha")]) <= 2  # 301 + page at most
    assert [h.status for h in site.log if h.path == "/news/alpha/"] == [200]
    assert not any("utm_" in p for p in fetched)
    assert "/news/bravo/amp/" not in fetched and fetched.count("/news/bravo/") == 1
    assert "/news/charlie?id=7" in fetched
    assert "/news/delta/" in fetched and "/news/delta/?amp=1" not in fetched

    # a re-crawl requests none of them again, under any spelling
    site.log.clear()
    for entry, ctype in (("/sitemap.xml", "application/xml"), ("/feed.xml", "application/rss+xml")):
        site.set(entry, site.routes[entry][-1].body.decode() + " ", ctype)  # changed: read again
    out = crawl(tmp_path, site, feeds=[site.url("/feed.xml")], sitemaps=[site.url("/sitemap.xml")])
    assert [p for p in paths(site) if p.startswith("/news/")] == []
    assert out["stats"]["newsmon/skipped_seen"] == 4
    assert out["stats"]["newsmon/skipped_repeat"] == 2


# --- guards -----------------------------------------------------------------------------------


def test_guards_404_pdf_oversize_charset_redirect_loop_robots(
    tmp_path: Path, site: OutletServer
) -> None:
    ru_body = (
        "Казахстан и Азербайджан договорились о расширении транзита грузов через Каспийское море. "
        "Стороны подписали дорожную карту и обсудили график новых паромных линий между портами. "
        "Эксперты считают, что соглашение ускорит доставку контейнеров из Китая в Европу."
    )
    ru_page = (
        '<html lang="ru"><head><meta charset="windows-1251"><title>Транзит</title>'
        '<meta property="og:type" content="article"></head><body><article><h1>Транзит</h1>'
        f"<p>{ru_body}</p><p>Переговоры продолжатся в Баку в декабре.</p></article></body></html>"
    ).encode("cp1251")
    site.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.set(
        "/feed.xml",
        rss(
            *(
                "{{BASE}}" + p
                for p in (
                    "/news/ok/",
                    "/news/gone/",
                    "/news/scan/",
                    "/news/huge/",
                    "/news/ru/",
                    "/news/loop/",
                    "/private/secret/",
                    "/news/tag-page/",
                    "/news/error/",
                    "/news/moved/",
                )
            )
        ),
        "application/rss+xml",
    )
    site.set("/news/ok/", article("ok"))
    site.set("/news/scan/", b"%PDF-1.4\n" + b"\x00\x01binary" * 100, "application/pdf")
    site.set("/news/huge/", b"<html><body>" + b"<p>filler text</p>" * 700_000, "text/html")
    # the header names the wrong charset; the page's own <meta> is right
    site.set("/news/ru/", ru_page, "text/html; charset=utf-8")
    site.set("/news/loop/", "", status=302, headers={"Location": "/news/loop2/"})
    site.set("/news/loop2/", "", status=302, headers={"Location": "/news/loop/"})
    site.set("/private/secret/", article("secret"))
    site.set(
        "/news/tag-page/",
        '<html><head><meta property="og:type" content="website">'
        '<script type="application/ld+json">{"@type": "CollectionPage"}</script></head><body>'
        + "".join(f"<p>Teaser {i}: {BODY}</p>" for i in range(5))
        + "</body></html>",
    )
    site.set("/news/error/", "<html>oops", status=500)
    # an old address that sends the reader on with a meta refresh (spelled in capitals)
    site.set(
        "/news/moved/",
        '<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; URL=/news/moved-here/"></head>'
        "<body>This article has moved.</body></html>",
    )
    site.set("/news/moved-here/", article("moved"))
    out = crawl(tmp_path, site, feeds=[site.url("/feed.xml")])
    assert out["stored"] == ["/news/moved-here/", "/news/ok/", "/news/ru/"]
    kinds = dict(out["errors"])
    assert kinds["/news/gone/"] == "http_404"
    assert kinds["/news/error/"] == "http_500"
    assert kinds["/private/secret/"] == "robots_disallowed"
    assert kinds["/news/huge/"] == "oversize"
    assert kinds["/news/loop/"] == "redirect_loop"
    assert "/private/secret/" not in paths(site)
    assert paths(site).count("/news/loop/") <= 6  # REDIRECT_MAX_TIMES, then given up
    stats = out["stats"]
    assert stats["newsmon/not_article"] == 2  # the PDF and the tag page
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        title, text = conn.execute(
            "SELECT title, text FROM articles WHERE url LIKE '%/ru/'"
        ).fetchone()
        known = dict(conn.execute("SELECT url, status FROM urls"))
    assert title == "Транзит" and "Азербайджан" in text
    assert known[site.url("/news/scan")] == "not_article"
    assert known[site.url("/news/tag-page")] == "not_article"


# --- politeness, from the server's side -----------------------------------------------------------


def _slow_outlet(site: OutletServer, n: int) -> list[str]:
    urls = [f"/news/story-{i}/" for i in range(n)]
    site.set("/feed.xml", rss(*("{{BASE}}" + u for u in urls)), "application/rss+xml")
    for u in urls:
        site.set(u, article(u), delay=0.2)
    return urls


def _gaps(site: OutletServer, prefix: str) -> list[float]:
    starts = sorted(h.started for h in site.hits(prefix))
    return [b - a for a, b in zip(starts, starts[1:], strict=False)]


def test_default_politeness_seen_by_the_server(tmp_path: Path, site: OutletServer) -> None:
    _slow_outlet(site, 5)
    spec = {"name": "outlet", "url": site.url("/"), "feeds": [site.url("/feed.xml")]}
    config = write_config(tmp_path, site, None, sources=[spec], rules=[])
    assert newsmon("--config", str(config), "crawl").returncode == 0
    assert site.max_in_flight <= 2
    # DOWNLOAD_DELAY 1 s (jitter 0.5–1.5×) with AutoThrottle: never two requests at once
    assert min(_gaps(site, "/news/")) >= 0.45


def test_source_overrides_and_crawl_delay(tmp_path: Path, site: OutletServer) -> None:
    _slow_outlet(site, 8)
    out = crawl(tmp_path, site, feeds=[site.url("/feed.xml")], concurrency=4)
    assert len(out["stored"]) == 8
    assert 2 <= site.max_in_flight <= 4  # concurrency: 4 with delay 0s is honoured as a bound

    # robots.txt Crawl-delay is a floor under the source's own `delay: 0s`
    site.log.clear()
    site.max_in_flight = 0
    site.set("/robots.txt", "User-agent: *\nCrawl-delay: 0.7\n", "text/plain")
    site.set(
        "/feed.xml",
        rss(*(f"{{{{BASE}}}}/news/fresh-{i}/" for i in range(4))),
        "application/rss+xml",
    )
    for i in range(4):
        site.set(f"/news/fresh-{i}/", article(f"fresh {i}"))
    out = crawl(tmp_path, site, feeds=[site.url("/feed.xml")], concurrency=4)
    assert out["stats"]["newsmon/crawl_delay_s"] == 0.7
    assert min(_gaps(site, "/news/fresh-")) >= 0.65
    assert site.max_in_flight == 1


def test_retry_after_is_honoured(tmp_path: Path, site: OutletServer) -> None:
    site.set("/feed.xml", rss("{{BASE}}/news/busy/", "{{BASE}}/news/later/"), "application/rss+xml")
    site.set("/news/busy/", article("busy"))
    site.set(
        "/news/busy/",
        "slow down",
        "text/plain",
        status=429,
        headers={"Retry-After": "1.5"},
        times=1,
    )
    site.set("/news/later/", article("later"))
    out = crawl(tmp_path, site, feeds=[site.url("/feed.xml")])
    assert out["stored"] == ["/news/busy/", "/news/later/"]
    busy = [h for h in site.log if h.path == "/news/busy/"]
    assert [h.status for h in busy] == [429, 200]
    assert busy[1].started - busy[0].started >= 1.4

    # a Retry-After beyond NEWSMON_MAX_RETRY_AFTER_S leaves the site for the next crawl
    site.log.clear()
    closed = [f"/news/closed-{i}/" for i in range(4)]
    site.set("/feed.xml", rss(*("{{BASE}}" + p for p in closed)), "application/rss+xml")
    for p in closed:
        site.set(p, "later", "text/plain", status=503, headers={"Retry-After": "3600"})
    out = crawl(tmp_path, site, feeds=[site.url("/feed.xml")], concurrency=1)
    # the first 503 asks for an hour: no retry, no further request to the site in this crawl
    assert [h.status for h in site.log if h.path.startswith("/news/")] == [503]
    assert out["stats"]["newsmon/deferred_retry_after"] == 3
    assert out["stats"]["newsmon/retry_after_s"] == 3600
    assert len([e for e in out["errors"] if e[1] == "http_503"]) == 1


# --- site-learned boilerplate and per-source prune selectors ----------------------------------

TAGLINE = "The Outlet brings you Caspian news from Aktau and Baku every morning."


def story(title: str, n: int) -> str:
    body = [
        f"Story {n}: {title} was reported by our correspondent in Aktau on day {n} of the talks.",
        f"Officials said the {n}th round covered customs, ferries and tariffs on the corridor.",
        f"Analysts expect a decision on item {n} before the ministers meet again in the spring.",
    ]
    paragraphs = "".join(f"<p>{b}</p>" for b in body)
    return (
        f"<html lang='en'><head><title>{title}</title><meta property='og:type' content='article'>"
        f"</head><body><article><h1>{title}</h1>{paragraphs}<p>{TAGLINE}</p>"
        f"<div class='byline-box'>Reporter {n} writes about freight and ports.</div>"
        "</article></body></html>"
    )


def test_site_learned_boilerplate_and_prune_selectors(tmp_path: Path, site: OutletServer) -> None:
    first = [f"/news/s{i}/" for i in range(4)]
    site.set("/feed.xml", rss(*("{{BASE}}" + p for p in first)), "application/rss+xml")
    for i, p in enumerate(first):
        site.set(p, story(f"Ferry talks {i}", i))
    spec = {"feeds": [site.url("/feed.xml")], "prune": [".byline-box"], "concurrency": 1}
    crawl(tmp_path, site, **spec)
    db = tmp_path / "newsmon.db"
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute(
            "SELECT articles FROM boilerplate WHERE sample = ?", [TAGLINE]
        ).fetchone()
        texts = [r[0] for r in conn.execute("SELECT text FROM articles ORDER BY id")]
    assert count == 4
    assert all("Reporter" not in t for t in texts)  # the prune selector
    # the outlet's first crawl is learned from as a whole: the tagline is gone from all four
    assert [TAGLINE in t for t in texts] == [False, False, False, False]

    site.set("/news/s9/", story("Ferry talks 9", 9))
    site.set("/feed.xml", rss("{{BASE}}/news/s9/"), "application/rss+xml")
    out = crawl(tmp_path, site, **spec)  # a new process: what was learned comes from SQLite
    assert out["stats"]["newsmon/boilerplate_lines_dropped"] == 1
    with sqlite3.connect(db) as conn:
        (text,) = conn.execute("SELECT text FROM articles WHERE url LIKE '%/s9/'").fetchone()
    assert TAGLINE not in text and "Story 9" in text


def test_bad_prune_selector_is_a_config_error(tmp_path: Path, site: OutletServer) -> None:
    spec = {"name": "outlet", "url": site.url("/"), "prune": ["div[["]}
    config = write_config(tmp_path, site, None, sources=[spec], rules=[])
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 2
    assert "sources[0].prune: not a valid CSS selector 'div[['" in result.stderr
