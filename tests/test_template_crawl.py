"""An outlet whose article pages carry a sidebar of its newest headlines and a video box of
titles without links — both naming a watched country — crawled over several polls as new
articles appear: from the first poll on, its template keeps the sidebars out (no alert from
them, every paragraph kept), and it is stored and reused."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from tests.conftest import newsmon, rss, write_config
from tests.test_template import page, sentence

RULES = [{"name": "azerbaijan", "query": "Azerbaijan* OR Азербайджан*", "channel": "#caucasus"}]


class Outlet:
    """Articles published one by one; each page's sidebars show the headlines newest when it
    was published (the newest page shows headlines no other page shows yet)."""

    def __init__(self, site: OutletServer) -> None:
        self.site = site
        self.rnd = random.Random(7)
        self.paths: list[str] = []
        self.bodies: dict[str, list[str]] = {}
        self.titles: list[str] = []

    def publish(self, n: int, render: Callable[..., str] = page) -> None:
        for _ in range(n):
            k = len(self.paths)
            self.titles.append(f"Azerbaijan headline {k}: " + sentence(self.rnd, 5))
            path = f"/news/2026/12/0{1 + k // 10}/story-{k}"
            paragraphs = [sentence(self.rnd) for _ in range(self.rnd.randint(3, 5))]
            newest = self.titles[::-1][:10]
            videos = [f"Video: Azerbaijan today, part {v}" for v in range(k, k + 8)]
            html = render(k, newest, videos, paragraphs).replace(
                "<head>",
                "<head><meta property='og:type' content='article'>"
                "<meta property='article:published_time' content='2026-12-01T10:00:00+00:00'>",
            )
            self.site.set(path, html)
            self.paths.append(path)
            self.bodies[path] = paragraphs
        self.site.set("/feed.xml", rss(*(self.site.url(p) for p in self.paths[::-1][:20])))


def redesigned(n: int, headlines: list[str], videos: list[str], paragraphs: list[str]) -> str:
    """The outlet's new layout: divs with other classes, the sidebars before the article."""
    latest = "".join(
        f"<li><a href='/n/{i}'>{h}</a> <i>1{i}:00</i></li>" for i, h in enumerate(headlines)
    )
    video = "".join(f"<div class='clip'>{v}</div>" for v in videos)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Article</title><meta property='og:type' content='article'>"
        "<meta property='article:published_time' content='2026-12-02T10:00:00+00:00'></head>"
        "<body><header class='masthead'>Steppe Herald · Home · Economy</header>"
        f"<div class='layout'><div class='rail'><ul class='feed'>{latest}</ul>"
        f"<div class='clips'>{video}</div></div>"
        f"<div class='story'><h1>Article {n}</h1><div class='story-body'>{body}</div></div>"
        "</div><footer class='foot'>© Steppe Herald</footer></body></html>"
    )


def steppe_config(tmp_path: Path, site: OutletServer, slack: SlackStandIn) -> Path:
    """The outlet as the one source, with the rule its sidebars would set off."""
    spec = {"name": "steppe", "url": site.url("/"), "feeds": [site.url("/feed.xml")], "delay": "0s"}
    return write_config(tmp_path, site, slack, sources=[spec], rules=RULES)


def stored(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return {url: text for url, text in conn.execute("SELECT url, text FROM articles")}


def test_sidebars_never_alert_and_every_paragraph_is_kept(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    outlet = Outlet(site)
    outlet.publish(5)
    config = steppe_config(tmp_path, site, slack)
    for poll, new in enumerate((0, 1, 3)):  # then one article alone, then three
        outlet.publish(new)
        result = newsmon("--config", str(config), "crawl")
        assert result.returncode == 0, result.stderr
        texts = stored(tmp_path / "newsmon.db")
        assert len(texts) == len(outlet.paths), poll
        for path, paragraphs in outlet.bodies.items():
            assert texts[site.url(path)].split("\n") == paragraphs, (poll, path)
        assert slack.messages == [], [m.text for m in slack.messages]
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        (template,) = conn.execute("SELECT key, pages FROM page_templates").fetchall()
    assert template[0].endswith("div.txt") and template[1] >= 3
    status = newsmon("--config", str(config), "status")
    assert "page template: learned from" in status.stdout, status.stdout


def test_extract_shows_what_was_left_out_and_why_a_rule_did_not_alert(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    outlet = Outlet(site)
    outlet.publish(5)
    config = steppe_config(tmp_path, site, slack)
    before = newsmon("--config", str(config), "extract", site.url(outlet.paths[-1]))
    assert "generic extraction (no template learned for the outlet yet)" in before.stdout
    assert "Rules matching the article: azerbaijan" in before.stdout  # from the sidebar
    assert newsmon("--config", str(config), "crawl").returncode == 0
    path = outlet.paths[-1]
    after = newsmon("--config", str(config), "extract", site.url(path))
    assert after.returncode == 0, after.stderr
    out = after.stdout
    assert "read by the outlet's template (container " in out and "div.txt" in out, out
    for paragraph in outlet.bodies[path]:
        assert f"  | {paragraph}" in out
    assert "Left out, outside the article's container" in out
    assert "Rules matching the article: none" in out
    assert "Rule azerbaijan matches only text left out (no alert): " in out
    # a saved copy of the page is explained the same way
    saved = tmp_path / "page.html"
    saved.write_text(site.resolve(path).body.decode())  # type: ignore[union-attr]
    offline = newsmon("--config", str(config), "extract", site.url(path), "--html", str(saved))
    assert offline.stdout == out


def test_a_redesigned_outlet_is_learned_again_and_stays_clean(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    outlet = Outlet(site)
    outlet.publish(5)
    config = steppe_config(tmp_path, site, slack)
    assert newsmon("--config", str(config), "crawl").returncode == 0
    old = list(outlet.paths)
    outlet.publish(4, render=redesigned)  # the outlet's new layout: the template misses
    assert newsmon("--config", str(config), "crawl").returncode == 0
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        templates = conn.execute(
            "SELECT key, replaced FROM page_templates ORDER BY learned_at DESC, rowid DESC"
        ).fetchall()
    # the new layout's template first; the old one kept until no page has fit it for a while
    assert len(templates) == 2, templates
    assert templates[0][0].endswith("div.story-body") and templates[0][1] == 1, templates
    assert "layout changed" in newsmon("--config", str(config), "status").stdout
    outlet.publish(3, render=redesigned)
    assert newsmon("--config", str(config), "crawl").returncode == 0
    texts = stored(tmp_path / "newsmon.db")
    assert len(texts) == 12
    for path in outlet.paths[len(old) + 4 :]:  # after the new template: only the article
        assert texts[site.url(path)].split("\n") == outlet.bodies[path]
    for path, paragraphs in outlet.bodies.items():  # every paragraph of every article kept
        assert all(p in texts[site.url(path)] for p in paragraphs), path


def test_an_outlet_with_two_page_layouts_keeps_a_template_for_each(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    """News and opinion pages (or a language version) in layouts of their own, interleaved in
    the feed: each layout gets its template, neither replaces the other, and from then on every
    page is read by the template of its layout — no layout change reported."""
    outlet = Outlet(site)
    config = steppe_config(tmp_path, site, slack)
    for poll in range(3):
        for _ in range(4):
            outlet.publish(1)
            outlet.publish(1, render=redesigned)
        assert newsmon("--config", str(config), "crawl").returncode == 0, poll
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        templates = dict(conn.execute("SELECT key, replaced FROM page_templates").fetchall())
    assert sorted(k.rsplit("/", 1)[-1] for k in templates) == ["div.story-body", "div.txt"]
    assert set(templates.values()) == {0}, templates
    texts = stored(tmp_path / "newsmon.db")
    assert len(texts) == 24
    for path in outlet.paths[16:]:  # the last poll: only the article, in either layout
        assert texts[site.url(path)].split("\n") == outlet.bodies[path], path
    assert slack.messages == [], [m.text for m in slack.messages]
    assert "layout changed" not in newsmon("--config", str(config), "status").stdout


def test_a_redesign_is_a_layout_change_and_the_old_template_retires(tmp_path: Path) -> None:
    """Pages that fit none of the templates, none of the recent ones fitting: a layout change
    (counted); the old template still reads a page left in the old layout, and goes once the
    source's last pages have not fit it for a while."""
    from crawler.extract.article import Article, extract_page
    from crawler.templates import RETIRE, TemplateBook
    from storage import open_store
    from tests.test_template import page

    store = open_store(tmp_path / "t.db")
    counts: dict[str, int] = {}
    book = TemplateBook(
        lambda: store, lambda name, n: counts.update({name: counts.get(name, 0) + n})
    )
    rnd = random.Random(3)

    def read(k: int, render: Callable[..., str]) -> Article:
        paragraphs = [sentence(rnd) for _ in range(4)]
        html = render(k, [f"Headline {k}-{i}" for i in range(6)], [f"Clip {k}"], paragraphs)
        found = extract_page(
            html,
            f"https://herald.test/n/{k}",
            templates=book.templates_for("herald"),
            with_layout=book.wants_layout("herald"),
            min_chars=0,
        )
        assert isinstance(found, Article)
        book.note("herald", found)
        return found

    for k in range(3):
        read(k, page)
    (old,) = book.templates_for("herald")
    for k in range(3, 6):
        assert not read(k, redesigned).by_template
    new, kept = book.templates_for("herald")
    assert kept == old and new.key.endswith("div.story-body")
    assert counts["template_relearned"] == 1
    assert store.page_templates("herald")[0].replaced == 1
    assert read(6, page).template_key == old.key  # a page still in the old layout
    for k in range(7, 8 + RETIRE):
        assert read(k, redesigned).template_key == new.key
    assert book.templates_for("herald") == (new,)
    assert [t.key for t in store.page_templates("herald")] == [new.key]
    assert counts["template_retired"] == 1
    store.close()
