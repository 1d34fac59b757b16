"""Listing (section) pages: which links look like articles, and where the next page is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from crawler.extract.urls import same_site
from spiders.feeds import NON_HTML_SUFFIXES

NOT_ARTICLE_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "category",
        "categories",
        "author",
        "authors",
        "page",
        "search",
        "login",
        "register",
        "about",
        "contact",
        "contacts",
        "feed",
        "rss",
        "privacy",
        "terms",
        "subscribe",
        "advertising",
        "wp-admin",
        "wp-login.php",
        "archive",
        "section",
        "topics",
        "video",
        "photo",
    }
)
# Documents and media (as for feeds), plus the site's own machinery.
NOT_ARTICLE_EXT = (*NON_HTML_SUFFIXES, ".xml", ".css", ".js")
_DATE_IN_PATH = re.compile(r"/(19|20)\d\d[/-]\d{1,2}([/-]\d{1,2})?/")
_PAGINATION = re.compile(r"(/page/\d+/?$)|([?&](page|p|PAGEN_1)=\d+)")


@dataclass(frozen=True)
class ListingLinks:
    articles: list[str]
    next_pages: list[str]


def looks_like_article(url: str) -> bool:
    path = urlsplit(url).path
    if path.lower().endswith(NOT_ARTICLE_EXT):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments or any(
        s.lower() in NOT_ARTICLE_SEGMENTS for s in segments[:-1] + segments[-1:]
    ):
        return False
    last = segments[-1].rsplit(".", 1)[0]
    return bool(
        _DATE_IN_PATH.search(path + "/") or last.count("-") >= 3 or re.search(r"\d{4,}", last)
    )


def listing_links(
    body: str, url: str, article_pattern: re.Pattern[str] | None = None
) -> ListingLinks:
    """Same-site article links and pagination links of a listing page, in page order."""
    if not body.strip():
        return ListingLinks([], [])
    tree = lxml_html.document_fromstring(body)
    base = (tree.xpath("//base/@href") or [url])[0]
    articles: list[str] = []
    pages: list[str] = []
    for rel_next in tree.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href"):
        pages.append(urljoin(base, rel_next))
    for href in tree.xpath("//a/@href"):
        href = str(href).strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        absolute = urljoin(base, href).split("#", 1)[0]
        if not absolute.startswith(("http://", "https://")) or not same_site(absolute, url):
            continue
        if _PAGINATION.search(absolute):
            pages.append(absolute)
            continue
        ok = article_pattern.search(absolute) if article_pattern else looks_like_article(absolute)
        if ok:
            articles.append(absolute)
    dedup = lambda xs: [x for x in dict.fromkeys(xs) if x != url]  # noqa: E731
    return ListingLinks(dedup(articles), dedup(pages))
