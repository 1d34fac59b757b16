from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract.article import extract_article
from crawler.extract.pruning import prune
from crawler.extract.urls import canonical_url
from newsmon.demo.outlets import SITE

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "http://outlet.test"
SEED = "2025/10/28/tokayev-backs-azerbaijan-to-join-central-asia-u-s-summit/"
# What the seed page carries around its article: none of it may reach the stored text.
BOILERPLATE = [
    "Share this post",
    "POLL",
    "Who Will Vote For?",
    "Republican",
    "Democrat",
    "RECENT NEWS",
    "Sotheby’s Announces",
    "Finland, Kazakhstan Strengthen",
    "Snow Leopard",
    "Dynamic Country URL",
    "Go to Country Info Page",
    "LATEST NEWS",
    "Most read",
]


def page(path: str) -> str:
    return (SITE / path / "index.html").read_text().replace("{{BASE}}", BASE)


def test_seed_page_keeps_the_article_and_nothing_else() -> None:
    art = extract_article(page(SEED), f"{BASE}/{SEED}?utm_source=feed")
    assert art is not None
    assert art.title == "Tokayev Backs Azerbaijan to Join Central Asia-U.S. Summit"
    assert art.text.startswith("Kazakhstan’s President Kassym-Jomart Tokayev has said")
    assert art.text.endswith("strengthening an emerging network of alliances across Eurasia.")
    assert art.text.count("\n") == 6  # seven paragraphs, as published
    for words in BOILERPLATE:
        assert words not in art.text, words
    assert art.url == f"{BASE}/{SEED}"  # from rel=canonical, tracking parameters dropped
    assert art.published == "2025-10-28T09:15:00+05:00"
    assert art.author == "Staff Writer"
    assert art.language == "en"


def test_poll_inside_the_body_is_pruned() -> None:
    path = "2025/10/26/kazakhstan-international-snow-leopard-day/"
    art = extract_article(page(path), BASE + "/" + path)
    assert art is not None
    assert "snow leopard" in art.text
    assert "Reader poll" not in art.text and "C5+1" not in art.text and "Azerbaijan" not in art.text


def test_kazakh_page_language_and_text() -> None:
    path = "2025/10/24/kazakhstan-azerbaijan-caspian-cargo/"
    art = extract_article(page(path), BASE + "/" + path)
    assert art is not None
    assert art.language == "kk"
    assert "Транскаспий халықаралық көлік бағыты" in art.text


def test_windows_1251_bytes() -> None:
    raw = (FIXTURES / "ru-windows-1251.html").read_bytes()
    art = extract_article(
        raw, "http://ru.test/news/2025/10/kazakhstan-azerbaijan-route.html?utm_medium=x"
    )
    assert art is not None
    assert art.title is not None and art.title.startswith("Казахстан и Азербайджан расширят")
    assert "Транскаспийского международного транспортного маршрута" in art.text
    assert "Поделиться" not in art.text and "Читайте также" not in art.text
    assert "Армения" not in art.text  # the "read also" list is gone
    assert art.language == "ru"
    assert art.url == "http://ru.test/news/2025/10/kazakhstan-azerbaijan-route.html"


def test_pages_without_an_article() -> None:
    assert extract_article(page("about/"), BASE + "/about/") is None
    assert extract_article("", BASE) is None
    assert extract_article(b"\x00\x01\x02binary", BASE) is None


def test_same_body_same_fingerprint_across_outlets() -> None:
    a = extract_article(page(SEED), BASE + "/" + SEED)
    wire = "wire/2025/10/28/kazakh-leader-welcomes-baku-at-washington-summit/"
    b = extract_article(page(wire), BASE + "/" + wire)
    assert a is not None and b is not None
    assert a.title != b.title and a.fingerprint == b.fingerprint


def test_content_wrapper_with_a_furniture_word_in_its_class_survives() -> None:
    from lxml import html as lxml_html

    body = "<p>" + "Real article text. " * 40 + "</p>"
    tree = lxml_html.document_fromstring(
        f'<html><body><div class="content has-comments with-sidebar">{body}'
        '<div class="comments">Nice post!</div></div></body></html>'
    )
    prune(tree)
    text = tree.text_content()
    assert "Real article text." in text and "Nice post!" not in text


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.ORG:80/a/b/?utm_source=x&id=3#top", "http://example.org/a/b/?id=3"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org:443/x?fbclid=1&gclid=2", "https://example.org/x"),
        ("https://example.org:8443/x?page=2", "https://example.org:8443/x?page=2"),
        ("https://example.org/news/Путь", "https://example.org/news/%D0%9F%D1%83%D1%82%D1%8C"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


PAGES = sorted((FIXTURES / "pages").glob("*.json"))


@pytest.mark.parametrize("spec_path", PAGES, ids=lambda p: p.stem)
def test_saved_outlet_pages(spec_path: Path) -> None:
    """Five outlet styles (a Russian portal with JSON-LD and comments, a Kazakh page with a tag
    cloud, a related list and a poll, an Uzbek Latin page with a Telegram box, an Azerbaijani
    page with an ad and "other news", an English app-style page with a newsletter form inside the
    body): the article, its metadata, and none of the furniture."""
    spec = json.loads(spec_path.read_text())
    html = spec_path.with_suffix(".html").read_bytes()
    article = extract_article(html, spec["url"])
    assert article is not None
    for key, value in spec["expected"].items():
        assert getattr(article, key) == value, key
    for text in spec["contains"]:
        assert text in article.text
    for text in spec["absent"]:
        assert text not in article.text and text not in (article.title or ""), text


ARTICLE_BODY = "".join(
    f"<p>Paragraph {i}: the Trans-Caspian route was discussed in Baku and Astana today.</p>"
    for i in range(8)
)


def test_comment_between_a_furniture_heading_and_its_list() -> None:
    # A real page (ScrapingHub benchmark) crashed the pruning pass: an HTML comment after a
    # "Related" heading was taken for the list's first element.
    html = (
        f"<html><body><article><h1>Route talks</h1>{ARTICLE_BODY}"
        "<h3>Related news</h3><!-- list starts --><ul><li><a href='/a'>Other story</a></li></ul>"
        "</article></body></html>"
    )
    for given in (html, html.encode()):
        art = extract_article(given, BASE + "/route/")
        assert art is not None
        assert "Paragraph 7" in art.text and "Other story" not in art.text


def test_xhtml_text_with_an_xml_encoding_declaration() -> None:
    # lxml refuses a str that still declares its encoding; such pages were lost as unparsable.
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title>Route talks</title>'
        f"</head><body><article>{ARTICLE_BODY}</article></body></html>"
    )
    art = extract_article(html, BASE + "/route/")
    assert art is not None and "Paragraph 3" in art.text


def test_an_author_box_is_not_article_text() -> None:
    para = "<p>The ministry of energy of Kazakhstan approved a new tariff for {}.</p>"
    paras = "".join(para.format(m) for m in ("November", "December", "January", "February"))
    html = (
        f"<html><body><article><h1>Tariffs</h1>{paras}"
        "<div class='nnr-ab-author-bio'><p>Ana Petrova is a senior reporter covering energy in "
        "Central Asia. Send tips to ana@outlet.test.</p></div></article></body></html>"
    )
    art = extract_article(html, f"{BASE}/2025/11/01/tariffs/", min_chars=0)
    assert art is not None
    assert "senior reporter" not in art.text and art.text.count("new tariff") == 4
