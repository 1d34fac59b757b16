"""In-body inserts on saved pages in every language of the outlets (en, ru, kk, ky, uz Latin and
Cyrillic, tg, az, tk, hy, ka), each with the insert styles regional outlets use: a paragraph of a
label and a link, ``div.read-more``, ``aside``, a ``blockquote`` with a link, cards, a list of
related headlines after the third paragraph, follow-us lines, photo captions and credits. The
inserts name a watched topic (``quiet``): no rule may match on them. The body keeps its text and
its own topic (``loud``) still matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alerts.rules import ArticleText, RuleSet
from crawler.extract.article import extract_article
from crawler.extract.article_links import Links, linked_spans
from crawler.extract.boilerplate import strip_learned

PAGES = sorted((Path(__file__).parent / "fixtures" / "inserts").glob("*.json"))
LANGUAGES = {"en", "ru", "kk", "ky", "uz-latn", "uz-cyrl", "tg", "az", "tk", "hy", "ka"}


def seen(article: object) -> ArticleText:
    return ArticleText(
        article.text,  # type: ignore[attr-defined]
        article.title,  # type: ignore[attr-defined]
        muted=article.linked,  # type: ignore[attr-defined]
    )


def test_every_outlet_language_has_a_saved_page() -> None:
    assert {p.stem.rsplit("-", 1)[0] for p in PAGES} == LANGUAGES


@pytest.mark.parametrize("spec_path", PAGES, ids=lambda p: p.stem)
def test_inserts_never_alert_and_the_body_stays(spec_path: Path) -> None:
    spec = json.loads(spec_path.read_text())
    article = extract_article(spec_path.with_suffix(".html").read_bytes(), spec["url"])
    assert article is not None
    for text in spec["contains"]:
        assert text in article.text, text
    for text in spec["absent"]:
        assert text not in article.text, text
    assert RuleSet([("quiet", spec["quiet"], "#c")]).match(seen(article)) == []
    assert RuleSet([("loud", spec["loud"], "#c")]).match(seen(article))
    linked = [article.text[a:b] for a, b in article.linked]
    assert linked == spec.get("linked", [])


BODY = (
    "<p>Officials from Kazakhstan and Kyrgyzstan met in Almaty on Monday to discuss the "
    "schedule of water releases for the coming irrigation season and the repair of canals.</p>"
)


def page(paragraph: str) -> str:
    return f"<html><body><article><h1>Water talks</h1>{BODY * 3}{paragraph}{BODY}</article></body></html>"


def test_a_link_to_another_article_inside_a_sentence_is_read_but_never_matched() -> None:
    html = page(
        "<p>The talks follow last month's deal, when "
        "<a href='https://news.test/2025/10/azerbaijan-signs-gas-deal/'>Azerbaijan signed a gas "
        "deal</a> with its neighbours, and they will continue in Bishkek next week.</p>"
    )
    article = extract_article(html, "https://news.test/2025/11/water-talks/")
    assert article is not None
    assert "when Azerbaijan signed a gas deal with its neighbours" in article.text
    assert RuleSet([("az", "Azerbaijan", "#c")]).match(seen(article)) == []
    assert RuleSet([("water", "irrigation", "#c")]).match(seen(article))


def test_a_tag_link_inside_a_sentence_keeps_counting() -> None:
    html = page(
        "<p>Delegations from <a href='/tag/azerbaijan/'>Azerbaijan</a> and Georgia will join "
        "the next round of talks, the organisers said on Tuesday evening.</p>"
    )
    article = extract_article(html, "https://news.test/2025/11/water-talks/")
    assert article is not None and article.linked == ()
    (match,) = RuleSet([("az", "Azerbaijan", "#c")]).match(seen(article))
    ((start, end),) = match.spans
    assert seen(article).combined[start:end] == "Azerbaijan"


@pytest.mark.parametrize(
    ("href", "kind"),
    [
        ("/2025/10/azerbaijan-signs-gas-deal/", "article"),
        ("https://www.news.test/news/12345", "article"),
        ("/a/33571234.html", "article"),
        ("/azerbaijan-signs-a-gas-deal", "article"),
        ("/tag/azerbaijan/", None),
        ("/ru/tags/azerbaijan", None),
        ("/category/politics/", None),
        ("/politics/", None),
        ("/2025/11/water-talks/", None),  # the page itself
        ("https://other.test/2025/10/story/", None),
        ("https://t.me/newschannel", "social"),
        ("https://x.com/news/status/1234567", None),  # an embedded post, not a profile
        ("/uploads/2025/10/photo.jpg", None),
    ],
)
def test_link_kinds(href: str, kind: str | None) -> None:
    assert Links("https://news.test/2025/11/water-talks/").kind(href) == kind


def test_link_marks_become_spans_and_survive_learned_lines() -> None:
    text, spans = linked_spans("Intro line.\nSee ⸨Azerbaijan talks⸩ here.\nFooter line")
    assert text == "Intro line.\nSee Azerbaijan talks here.\nFooter line"
    assert [text[a:b] for a, b in spans] == ["Azerbaijan talks"]
    from crawler.extract.boilerplate import line_key

    known = {k for k in (line_key("Intro line."),) if k}
    shorter, dropped, moved = strip_learned(text, known, spans)
    assert dropped == 1 and [shorter[a:b] for a, b in moved] == ["Azerbaijan talks"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Читайте также: Армения и Азербайджан", True),
        ("Yana oʻqing — Qozogʻistonda yangi port", True),  # another apostrophe
        ("ასევე წაიკითხეთ: თურქეთი", True),
        ("Կարդացեք նաև՝", True),
        ("Related to this, the ministry said", False),  # a sentence, not a label
        ("Oxu", True),
    ],
)
def test_labels_in_every_language(text: str, label: bool) -> None:
    from crawler.extract.labels import starts_with_label

    assert starts_with_label(text) is label


def test_home_page_lines() -> None:
    from crawler.extract.boilerplate import line_key, page_lines

    html = "<html><body><div><p>Special project: Azerbaijan desk</p><ul><li>A</li></ul></div></body></html>"
    lines = page_lines(html)
    assert line_key("Special project: Azerbaijan desk") in lines
    assert page_lines("") == {}


def card(slug: str, title: str, dek: str) -> str:
    return (
        f"<div class='card'><a href='/2025/11/{slug}/'><img src='/i/{slug}.jpg' alt=''></a>"
        f"<div class='card-content'><h3 class='title'><span class='sr-only'>{title}</span>"
        f"<a href='/2025/11/{slug}/'>{title}</a></h3><p class='dek'>{dek}</p>"
        "<p><a href='/authors/ana-petrova/'>Ana Petrova</a></p></div></div>"
    )


def test_a_row_of_teaser_cards_goes_with_its_heading() -> None:
    row = (
        "<section class='collection'><h2>More from the desk</h2><div class='row'>"
        + card("azerbaijan-port", "Azerbaijan opens a port", "The Alat port takes ferries.")
        + card("baku-summit", "Summit in Baku", "Azerbaijan hosts the ministers next week.")
        + "</div></section>"
    )
    article = extract_article(page(row), "https://news.test/2025/11/water-talks/", min_chars=0)
    assert article is not None
    assert "Azerbaijan" not in article.text and "More from the desk" not in article.text
    assert "irrigation season" in article.text


def test_a_listicle_with_linked_headlines_keeps_its_paragraphs() -> None:
    entry = (
        "<div class='entry'><h3><a href='/2025/11/{0}/'>{1}</a></h3><p>The {1} was rebuilt "
        "this year. {2} Azerbaijan joined the talks on it as an observer.</p></div>"
    )
    body = entry.format("almaty-canal", "Almaty canal", BODY[3:-4]) + entry.format(
        "osh-dam", "Osh dam", BODY[3:-4].replace("Monday", "Tuesday")
    )
    article = extract_article(page(body), "https://news.test/2025/11/water-talks/", min_chars=0)
    assert article is not None
    assert "The Osh dam was rebuilt this year." in article.text
    assert "The Almaty canal was rebuilt this year." in article.text


@pytest.mark.parametrize("served_at", ["https://news.test", "http://127.0.0.1:8765"])
def test_a_page_served_from_a_mirror_knows_its_own_site_by_its_canonical_url(
    served_at: str,
) -> None:
    """An outlet read through a mirror (or another host of its own) links to its own host with
    absolute URLs; its canonical URL names that host, so those links are the outlet's own: a
    link to another of its articles inside a sentence is read, never matched."""
    html = page(
        "<p>The talks follow last month's deal, when "
        "<a href='https://news.test/2025/10/azerbaijan-signs-gas-deal/'>Azerbaijan signed a gas "
        "deal</a> with its neighbours, and they will continue in Bishkek next week.</p>"
    ).replace(
        "<html><body>",
        "<html><head><link rel='canonical' href='https://news.test/2025/11/water-talks/'>"
        "</head><body>",
    )
    article = extract_article(html, f"{served_at}/2025/11/water-talks/")
    assert article is not None
    assert "when Azerbaijan signed a gas deal with its neighbours" in article.text
    assert RuleSet([("az", "Azerbaijan", "#c")]).match(seen(article)) == []
    # another site's canonical URL is never taken as the page's address
    assert article.url.startswith(served_at)


@pytest.mark.parametrize(
    ("line", "learned"),
    [
        ("___", False),  # a separator between an agency's items
        ("| --- | --- |", False),  # a table's rule
        ("* * *", False),
        ("2025", False),
        ("Subscribe to our newsletter", True),
        ("Подпишитесь на наш канал", True),
    ],
)
def test_only_lines_with_words_are_learned_as_boilerplate(line: str, learned: bool) -> None:
    from crawler.extract.boilerplate import line_key

    assert (line_key(line) is not None) == learned
