"""A new outlet's first crawl: the repeated blocks of its first articles are learned from the
whole batch before any of them is stored and matched, so none alerts on them. Real crawl of a
local outlet through the CLI, real SQLite, the real Slack client against the stand-in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsmon.demo.outlets import OutletServer
from newsmon.demo.slack_standin import SlackStandIn
from tests.conftest import newsmon, rss, write_config

# The same blocks under every article of the outlet, naming a watched topic: a promo line
# (plain text: nothing in its markup gives it away), a "read also" with a label, a follow line.
INSERTS = (
    "<p>Special project: Azerbaijan and the Middle Corridor, all our reporting</p>",
    "<p><b>Тағы оқыңыз:</b> <a href='/news/2025/11/01/azerbaijan-opens-port'>"
    "Azerbaijan opens a new port at Alat</a></p>",
    "<p>Join our channel on Telegram: the Azerbaijan desk posts first</p>",
)
STORIES = [
    ("Almaty metro extends its third line", "The Almaty metro opened two stations"),
    ("Wheat harvest ends in the north", "Farmers in Kostanay finished the wheat harvest"),
    ("New school year plan", "The ministry of education published a plan for new schools"),
    ("Airport terminal opens in Shymkent", "A new passenger terminal opened in Shymkent"),
    ("Bus fares stay the same", "The city council of Karaganda left bus fares unchanged"),
]


def article(title: str, opening: str, inserts: str = "") -> str:
    words = f"{opening} while {title.lower()} according to the city officials".split()
    # five paragraphs of the story's own words (articles of one outlet are not one story)
    body = [
        f"<p>{' '.join(words[i:] + words[:i]).capitalize()}, paragraph {i} of the report.</p>"
        for i in range(5)
    ]
    return (
        f"<html lang='en'><head><title>{title}</title><meta property='og:type' content='article'>"
        "<meta property='article:published_time' content='2025-11-20T10:00:00+05:00'></head>"
        f"<body><article><h1>{title}</h1>{''.join(body[:3])}{inserts}{''.join(body[3:])}</article>"
        "</body></html>"
    )


def test_first_five_articles_with_the_same_inserts_raise_no_alert(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    paths = [f"/news/2025/11/2{i}/story-{i}" for i in range(len(STORIES))]
    for path, (title, opening) in zip(paths, STORIES, strict=True):
        site.set(path, article(title, opening, "".join(INSERTS)))
    site.set("/feed.xml", rss(*(site.url(p) for p in paths)), "application/rss+xml")
    spec = {"name": "new-outlet", "url": site.url("/"), "feeds": [site.url("/feed.xml")]}
    rules = [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#caucasus"}]
    config = write_config(tmp_path, site, slack, sources=[{**spec, "delay": "0s"}], rules=rules)

    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
        alerts = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    assert len(texts) == 5
    for text in texts:
        assert "paragraph 4 of the report" in text and "Azerbaijan" not in text, text
    assert alerts == 0 and slack.messages == []

    # the outlet's next article that is about the topic alerts, once
    later = "/news/2025/11/26/story-5"
    opening = "Azerbaijan and Kazakhstan agreed on ferry tariffs"
    site.set(later, article("Ferry talks", opening, "".join(INSERTS)))
    site.set("/feed.xml", rss(*(site.url(p) for p in [*paths, later])), "application/rss+xml")
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    assert len(slack.messages) == 1 and site.url(later) in slack.messages[0].text


def test_a_line_learned_later_leaves_the_stored_articles_without_a_new_alert(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    promo = "<p>Special project: the Azerbaijan desk, every Friday</p>"

    def publish(*numbers: int, with_promo: bool) -> None:
        for n in numbers:
            title, opening = STORIES[n]
            site.set(f"/news/2025/11/2{n}/story-{n}", article(title, opening, promo * with_promo))
        links = [site.url(f"/news/2025/11/2{n}/story-{n}") for n in range(max(numbers) + 1)]
        site.set("/feed.xml", rss(*links), "application/rss+xml")

    spec = {"name": "herald", "url": site.url("/"), "feeds": [site.url("/feed.xml")], "delay": "0s"}
    rules = [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#caucasus"}]
    config = write_config(tmp_path, site, slack, sources=[spec], rules=rules)
    db = tmp_path / "newsmon.db"

    def crawl() -> dict[str, str]:
        result = newsmon("--config", str(config), "crawl")
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(db) as conn:
            return dict(conn.execute("SELECT url, text FROM articles").fetchall())

    publish(0, with_promo=False)
    crawl()  # the outlet's first crawl
    publish(1, 2, with_promo=True)  # a new line under two articles: not known yet, they alert
    crawl()
    assert len(slack.messages) == 2
    assert mentions(db) == 2  # counted for the trends, for now
    publish(3, 4, with_promo=True)  # seen a third time: learned
    texts = crawl()
    assert len(texts) == 5
    assert all("Azerbaijan desk" not in text for text in texts.values())
    assert len(slack.messages) == 2  # nothing new, nothing sent again
    assert mentions(db) == 0  # the counts follow the cleaned texts: no mention left


def mentions(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        (n,) = conn.execute(
            "SELECT coalesce(sum(articles), 0) FROM mention_counts WHERE subject = 'azerbaijan'"
        ).fetchone()
    return int(n)


def test_the_home_page_counts_for_the_lines_a_first_crawl_repeats(
    tmp_path: Path, site: OutletServer, slack: SlackStandIn
) -> None:
    # two first articles only (too few to learn a line from) and a homepage that prints the
    # same promo: three pages, the line is the outlet's furniture
    promo = "<p>Special project: the Azerbaijan desk, every Friday</p>"
    paths = ["/news/2025/11/20/story-0", "/news/2025/11/21/story-1"]
    for path, (title, opening) in zip(paths, STORIES[:2], strict=True):
        site.set(path, article(title, opening, promo))
    links = "".join(
        f"<li><a href='{p}'>{t}</a></li>" for p, (t, _o) in zip(paths, STORIES[:2], strict=True)
    )
    site.set("/", f"<html><body><ul>{links}</ul><footer>{promo}</footer></body></html>")
    spec = {"name": "home-only", "url": site.url("/"), "delay": "0s"}
    rules = [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#caucasus"}]
    config = write_config(tmp_path, site, slack, sources=[spec], rules=rules)
    result = newsmon("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "newsmon.db") as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
    assert len(texts) == 2 and all("Azerbaijan" not in t for t in texts), texts
    assert slack.messages == []
