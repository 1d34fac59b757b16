"""A Telegram channel's public preview page read into posts (saved pages under
tests/fixtures/telegram/), the post as the archive keeps it, and the ``telegram`` source kind's
validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from alerts.messages import origin_of
from alerts.rules import ArticleText, RuleSet
from crawler.config import ConfigError, load_config
from crawler.extract.telegram_posts import post_article
from crawler.extract.telegram_preview import (
    Post,
    article_kind,
    parse_permalink,
    parse_preview,
    parse_views,
    short_title,
)
from crawler.extract.urls import url_key
from crawler.telegram_health import pace_shortfall
from storage import OutboxAlert
from tests.conftest import FIXTURES, newsmon

PAGES = FIXTURES / "telegram"


@pytest.fixture(scope="module")
def posts() -> dict[int, Post]:
    page = parse_preview((PAGES / "channel.html").read_text())
    assert page.channel_page and not page.layout_changed
    assert (page.blocks, page.service, page.unsupported, page.empty) == (11, 1, 1, 0)
    assert page.oldest_id == 100  # the service message's id: ?before=100 is the page before
    return {p.id: p for p in page.posts}


def test_each_kind_of_post(posts: dict[int, Post]) -> None:
    assert sorted(posts) == [101, 102, 103, 104, 105, 108, 109, 110, 112]  # 100, 111 skipped
    plain = posts[101]
    assert plain.url == "https://t.me/steppenews/101"
    assert plain.title == "Kazakhstan and Azerbaijan signed a transit agreement in Astana today."
    assert plain.published == "2025-10-28T09:15:00+00:00"
    assert (plain.views, plain.signature, plain.edited) == (12300, "Aida Nurlanovna", False)
    assert plain.media == () and plain.preview is None and plain.forwarded_from is None

    long = posts[102]
    assert long.text.split("\n")[0] == "Official: the Caspian ferry schedule changes from Monday."
    assert "the new timetable (https://aktauport.example.org/schedule) for both" in long.text
    assert long.links == (
        "https://aktauport.example.org/schedule",
        "https://gov.example.kz/news/123",
        "https://steppe-herald.example.org/2025/10/28/ferry/",
    )
    assert long.text.endswith("up 60 percent. 🚢")  # emoji kept as text
    assert [long.text[a:b] for a, b in long.link_spans] == list(long.links)
    assert long.views == 8100

    forwarded = posts[103]
    assert forwarded.forwarded_from == "Azerbaijan Daily"
    assert forwarded.forwarded_url == "https://t.me/azerbaijan_daily/4567"

    preview = posts[104].preview
    assert preview is not None
    assert preview.url == "https://caspian-wire.example.org/2025/10/28/summit/"
    assert (preview.site, preview.title) == (
        "Caspian Wire",
        "Leaders meet in Washington for the C5+1 summit",
    )
    assert preview.description and preview.description.startswith("Central Asian presidents")
    assert posts[104].first_link == preview.url

    assert posts[105].media == ("album (3 items)",)  # one post, not three
    assert posts[108].media == ("video",)
    assert posts[109].media == ("document: budget-2026.pdf",)
    assert posts[110].media == ("poll: Should the ferry run on weekends?",)
    assert posts[110].title == "Should the ferry run on weekends?"
    assert posts[112].edited and not posts[101].edited


def test_the_stored_post_and_what_rules_see(posts: dict[int, Post]) -> None:
    rules = RuleSet(
        [
            ("azerbaijan", "Azerbaijan*", "#caucasus"),
            ("aktau", "aktauport", "#ports"),
            ("c5", '"C5+1"', "#central-asia"),
        ]
    )

    def matched(post: Post) -> set[str]:
        art = post_article(post)
        seen = ArticleText(art.text, art.title, art.language, "tg", muted=art.linked)
        return {m.rule for m in rules.match(seen)}

    forwarded = post_article(posts[103])
    assert forwarded.text.startswith("Forwarded from Azerbaijan Daily\nGrain exports")
    assert matched(posts[103]) == set()  # the forwarded header's channel name does not match
    assert matched(posts[101]) == {"azerbaijan"}
    assert matched(posts[102]) == set()  # a link's URL is kept, never matched
    assert "https://aktauport.example.org/schedule" in post_article(posts[102]).text
    assert matched(posts[104]) == {"c5"}  # the link preview is part of the post
    album = post_article(posts[105])
    assert album.text.endswith("\nMedia: album (3 items)") and album.language == "en"
    assert post_article(posts[101]).author == "Aida Nurlanovna"


def test_walk_pages_service_only_and_broken_pages() -> None:
    pages = [parse_preview((PAGES / f"walk-{n}.html").read_text()) for n in (1, 2, 3)]
    assert [[p.id for p in page.posts] for page in pages] == [[7, 8, 9], [4, 5, 6], [1, 2, 3]]
    assert [page.oldest_id for page in pages] == [7, 4, 1]
    empty = parse_preview((PAGES / "empty.html").read_text())
    assert empty.layout_changed and empty.channel_page and empty.oldest_id is None
    for broken in ("", "<html><body><p>Telegram</p></body></html>", b"\x00\x01"):
        page = parse_preview(broken)
        assert page.layout_changed and not page.channel_page


def test_titles_views_permalinks() -> None:
    assert short_title("One. Two.") == "One."
    long = "word " * 60
    cut = short_title(long.strip())
    assert len(cut) <= 120 and cut.endswith("word…")
    assert parse_views("1.2M") == 1_200_000 and parse_views("987") == 987
    assert parse_views("many") is None
    assert parse_permalink("https://t.me/kunuzofficial/123") == ("kunuzofficial", 123)
    assert parse_permalink("https://t.me/s/kunuzofficial") is None
    assert article_kind("https://t.me/kunuzofficial/123") == "telegram"
    assert article_kind("https://kun.uz/news/1") == "web"


def test_a_thread_reply_names_telegram_and_the_channel() -> None:
    def alert(url: str) -> OutboxAlert:
        return OutboxAlert(
            1, 1, 1, "#c", ("r",), "", "pending", 0, None, url, "t", "src", None, "ru"
        )

    assert origin_of(alert("https://t.me/kunuzofficial/9")) == "Telegram, @kunuzofficial"
    assert origin_of(alert("https://kun.uz/news/1")) == "Russian, src"


def _config(tmp_path: Path, source: str, extra: str = "") -> Path:
    path = tmp_path / "newsmon.yaml"
    path.write_text(f"{extra}sources:\n  - name: tg\n{source}")
    return path


def test_config_telegram_sources(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, "    telegram: '@kunuzofficial'\n"))
    src = config.sources[0]
    assert (src.telegram, src.url, src.history, src.follow_links) == (
        "kunuzofficial",
        "https://t.me/kunuzofficial",
        100,
        False,
    )
    assert config.model.telegram_base_url == "https://t.me"
    assert config.model.telegram_delay == 1.0
    bad = {
        "    telegram: https://t.me/kunuzofficial\n": "sources[0].telegram: give the channel's",
        "    telegram: ab\n": "sources[0].telegram: not a Telegram username",
        "    telegram: 'kun uz'\n": "sources[0].telegram: not a Telegram username",
        "    telegram: kunuzofficial\n    history: 0\n": "sources[0].history",
        "    telegram: kunuzofficial\n    feeds: [https://kun.uz/rss]\n": "sources[0].feeds",
    }
    for text, where in bad.items():
        with pytest.raises(ConfigError) as err:
            load_config(_config(tmp_path, text))
        assert str(err.value).split("newsmon.yaml: ", 1)[1].startswith(where), str(err.value)
    with pytest.raises(ConfigError, match="telegram_base_url: not a URL"):
        load_config(_config(tmp_path, "    telegram: kunuzofficial\n", "telegram_base_url: t.me\n"))


def test_pace_shortfall(tmp_path: Path) -> None:
    channels = "".join(
        f"  - name: tg{i}\n    telegram: channel{i:03d}\n    interval: 60s\n" for i in range(90)
    )
    path = tmp_path / "newsmon.yaml"
    path.write_text("sources:\n" + channels)
    config = load_config(path)
    said = pace_shortfall(config.sources, 1.0)
    assert said is not None and said.startswith("90 Telegram channels cannot be polled in time")
    assert "1.50 pages/s" in said and "1.5× later" in said
    assert pace_shortfall(config.sources, 0.5) is None
    assert pace_shortfall(config.sources[:60], 1.0) is None


def test_known_posts_not_edited_are_not_read() -> None:
    html = (PAGES / "channel.html").read_text()
    asked: list[str] = []

    def known(url: str) -> bool:  # every post stored but the one never storable
        asked.append(url)
        return not url.endswith("/111")

    page = parse_preview(html, known)
    assert [p.id for p in page.posts] == [112]  # the edited one only
    assert (page.known, page.service, page.unsupported, page.oldest_id) == (8, 1, 1, 100)
    assert "https://t.me/steppenews/101" in asked
    assert all(url_key(url) == url for url in asked)  # a permalink is its own URL key


def test_status_says_when_the_channels_cannot_be_polled_in_time(tmp_path: Path) -> None:
    channels = [
        {"name": f"tg{i}", "telegram": f"channel{i:03d}", "interval": "60s"} for i in range(90)
    ]
    path = tmp_path / "newsmon.yaml"
    path.write_text(yaml.safe_dump({"database": "newsmon.db", "sources": channels}))
    result = newsmon("--config", str(path), "status")
    assert result.returncode == 0, result.stderr
    assert "90 Telegram channels cannot be polled in time" in result.stdout
    path.write_text(yaml.safe_dump({"sources": channels, "telegram_delay": "0.5s"}))
    assert "cannot be polled in time" not in newsmon("--config", str(path), "status").stdout
