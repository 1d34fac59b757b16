"""Where an outlet prints the headline, the date and the byline, learned with its page template:
read on a page whose metadata lacks them — pages with no ``<meta>``, no JSON-LD, no ``<time
datetime>`` — and a page without the learned place is read as before."""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from crawler.extract.article import Article, extract_page
from crawler.extract.template import Template, learn_layouts
from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from tests.conftest import newsmon, rss, write_config
from tests.test_template import sentence

NAMES = ["Aliya Nurlanova", "Timur Sadykov", "Dana Ospanova", "Ruslan Bekov"]
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа"]


@dataclass
class Story:
    path: str
    title: str
    day: int  # of March 2026
    author: str
    paragraphs: list[str]

    @property
    def date(self) -> str:
        return f"2026-03-{self.day:02d}"


def stories(n: int, seed: int = 3) -> list[Story]:
    rnd = random.Random(seed)
    return [
        Story(
            f"/news/story-{k}",
            f"Headline {k}: " + sentence(rnd, 6),
            1 + k,
            NAMES[k % len(NAMES)],
            [sentence(rnd) for _ in range(4)],
        )
        for k in range(n)
    ]


def plain_page(story: Story, older: list[Story], *, stamp: bool = True, byline: bool = True) -> str:
    """An outlet's page without metadata: the headline in a div (no ``<h1>``), the <title>
    "Headline | Steppe Herald", the date in a div whose class names no date, "today" in the
    header, a byline, a sidebar of the newest headlines with their dates."""
    side = "".join(
        f"<li><span>{s.day:02d}.03.2026</span> <a href='{s.path}'>{s.title}</a></li>" for s in older
    )
    body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    return (
        f"<html><head><title>{story.title} | Steppe Herald</title></head><body>"
        "<div class='top'><div class='logo'>Steppe Herald</div>"
        "<div class='today'>Monday, 30.03.2026</div>"
        "<ul class='menu'><li><a href='/'>Home</a></li><li><a href='/economy'>Economy</a></li>"
        "</ul></div><div class='wrap'><div class='main'>"
        f"<div class='headline'>{story.title}</div>"
        + (
            f"<div class='stamp'>{story.day:02d}.03.2026 1{story.day % 10}:30</div>"
            if stamp
            else ""
        )
        + (f"<div class='byline'>By {story.author}</div>" if byline else "")
        + f"<div class='story-body'>{body}</div></div>"
        f"<div class='rail'><b>Latest</b><ul class='latest'>{side}</ul></div></div>"
        "<div class='foot'>© Steppe Herald 2026. All rights reserved.</div></body></html>"
    )


def numbered_page(story: Story, older: list[Story], *, meta: bool) -> str:
    """A hand-made site of numbered ids (one place for the lines of the article: the date's in
    words, the labelled byline's, the paragraphs'), with the headline and author in its
    metadata (``meta``) or not."""
    head = (
        f"<meta property='og:title' content='{story.title}'>"
        f"<meta name='author' content='{story.author}'>"
        if meta
        else ""
    )
    side = "".join(f"<div class='l'><a href='{s.path}'>{s.title}</a></div>" for s in older)
    body = "".join(f"<div id='n{5 + i}'>{p}</div>" for i, p in enumerate(story.paragraphs))
    when = f"1{story.day % 10}:05, {story.day} {RU_MONTHS[2]} 2026"
    return (
        f"<html lang='ru'><head><title>Каспий-Информ</title>{head}</head><body>"
        "<div id='menu'>Политика · Экономика · Общество · Спорт · Контакты</div><div id='m1'>"
        "<div id='n1'><a href='/'>Главная</a> » <a href='/economy'>Экономика</a></div>"
        f"<h2>{story.title}</h2><div id='n3'>{when}</div>"
        f"<div id='n4'>Автор: {story.author}</div>{body}</div>"
        f"<div id='side'>{side}</div><div id='foot'>© Каспий-Информ</div></body></html>"
    )


def read(html: str, story: Story, templates: tuple[Template, ...] = ()) -> Article:
    found = extract_page(
        html, f"https://herald.test{story.path}", templates=templates, with_layout=not templates
    )
    assert isinstance(found, Article), found
    return found


def learned(pages: list[tuple[str, Story]]) -> Template:
    found = [read(html, story) for html, story in pages]
    (template,) = learn_layouts([a.layout for a in found if a.layout is not None])
    return template


def test_title_date_and_author_of_pages_without_metadata_come_from_their_learned_places() -> None:
    news = stories(7)
    pages = [(plain_page(s, news[max(0, k - 4) : k][::-1]), s) for k, s in enumerate(news)]
    template = learned(pages[:4])
    assert template.container[-1] == "div.main"
    assert set(template.spots) == {"title", "date", "author"}, template.describe()
    assert template.spots["title"].place[-1] == "div.headline"
    assert template.spots["date"].place[-1] == "div.stamp"  # not the header's "today"
    assert template.spots["author"].place[-1] == "div.byline"
    unlearned = replace(template, title_at=None, date_at=None, author_at=None)
    for html, story in pages[4:]:
        article = read(html, story, (template,))
        assert article.by_template
        assert (article.title, article.published, article.author) == (
            story.title,
            story.date,
            story.author,
        )
        assert article.text.split("\n") == story.paragraphs
        # without the learned places: the <title> with the site's name, no date, no author,
        # and the headline and byline in the text
        before = read(html, story, (unlearned,))
        assert before.text.split("\n") == [story.title, f"By {story.author}", *story.paragraphs]
        assert before.title == f"{story.title} | Steppe Herald"
        assert before.published is None and before.author is None


def test_a_page_whose_learned_place_is_missing_is_read_as_before() -> None:
    news = stories(6)
    pages = [(plain_page(s, news[max(0, k - 4) : k][::-1]), s) for k, s in enumerate(news)]
    template = learned(pages[:4])
    unlearned = replace(template, title_at=None, date_at=None, author_at=None)
    story = news[5]
    html = plain_page(story, news[1:5][::-1], stamp=False, byline=False)
    article, before = read(html, story, (template,)), read(html, story, (unlearned,))
    assert article.by_template and article.text.split("\n") == story.paragraphs
    assert article.published == before.published is None
    assert article.author == before.author is None
    assert article.title == story.title  # the headline's place is still there


def test_dates_in_words_and_labelled_bylines_at_a_place_of_many_lines() -> None:
    """The learning pages declare headline and author in their metadata; the later ones do
    not. The date is printed in words ("12:05, 2 марта 2026"), the byline after a label, at a
    place that holds every paragraph too (ids numbered: one place)."""
    news = stories(7, seed=5)
    pages = [
        (numbered_page(s, news[max(0, k - 4) : k][::-1], meta=k < 4), s) for k, s in enumerate(news)
    ]
    template = learned(pages[:4])
    spots = template.spots
    assert spots["date"].shape == "0:0, 0 a 0" and spots["author"].shape == "label автор:"
    for html, story in pages[4:]:
        article = read(html, story, (template,))
        assert article.by_template
        assert (article.title, article.published, article.author) == (
            story.title,
            story.date,
            story.author,
        )


def test_templates_stored_before_the_places_were_learned_still_load() -> None:
    news = stories(5)
    pages = [(plain_page(s, news[max(0, k - 4) : k][::-1]), s) for k, s in enumerate(news)]
    template = learned(pages[:4])
    assert Template.from_json(template.to_json()) == template
    old = json.loads(template.to_json())
    for name in ("title_at", "date_at", "author_at"):
        del old[name]
    loaded = Template.from_json(json.dumps(old))
    assert loaded is not None and loaded.spots == {}
    assert loaded == replace(template, title_at=None, date_at=None, author_at=None)
    html, story = pages[4]
    assert read(html, story, (loaded,)).by_template


def test_a_crawl_stores_the_title_date_and_author_from_the_learned_places(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    """The first poll teaches the outlet's template; the articles of the next poll, read by
    it, are stored with the headline, date and author printed at the learned places."""
    news = stories(7)

    def publish(upto: int) -> None:
        for k, story in enumerate(news[:upto]):
            site.set(story.path, plain_page(story, news[max(0, k - 4) : k][::-1]))
        site.set("/feed.xml", rss(*(site.url(s.path) for s in news[:upto][::-1])))

    spec = {"name": "herald", "url": site.url("/"), "feeds": [site.url("/feed.xml")], "delay": "0s"}
    config = write_config(tmp_path, site, slack, sources=[spec], rules=[])
    publish(5)
    assert newsmon("--config", str(config), "crawl").returncode == 0
    publish(7)
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        rows = {
            url: (title, published, author)
            for url, title, published, author in conn.execute(
                "SELECT url, title, published, author FROM articles"
            )
        }
        (data,) = conn.execute("SELECT data FROM page_templates").fetchone()
    assert {"title_at", "date_at", "author_at"} <= set(json.loads(data)), data
    assert len(rows) == 7
    for story in news[5:]:
        assert rows[site.url(story.path)] == (story.title, story.date, story.author)
    status = newsmon("--config", str(config), "status").stdout
    assert "title, date, author read from learned places" in status, status
    out = newsmon("--config", str(config), "extract", site.url(news[6].path)).stdout
    assert "Learned places (read where the page's metadata lacks them): title at " in out, out
    assert "date at div.main/div.stamp" in out and "author at div.main/div.byline" in out, out
    assert "Left out, the headline, date or byline (their places, learned" in out, out
