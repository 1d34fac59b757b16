"""Article extraction: ``extract_article(html, url) -> Article | None``. A pure function.

trafilatura finds the article body; before it runs, page furniture that sits *inside* the article
container is pruned — polls, share bars, "recent news" / "read also" lists, newsletter boxes,
forms, comment sections — because trafilatura alone keeps a poll question or a "RECENT NEWS"
list when a theme nests them in the post body.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import py3langid
import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError, _Element

from crawler.extract.urls import canonical_url, same_site

MIN_TEXT_CHARS = 200

# class/id words that mark page furniture (matched against whole words of class and id).
WIDGET_WORDS = frozenset(
    {
        "poll",
        "polls",
        "wp-polls",
        "survey",
        "vote",
        "voting",
        "share",
        "shares",
        "sharing",
        "sharedaddy",
        "share-buttons",
        "sharethis",
        "addtoany",
        "a2a",
        "social",
        "socials",
        "related",
        "recent",
        "recommended",
        "popular",
        "trending",
        "read-also",
        "readalso",
        "read-more-links",
        "more-news",
        "newsletter",
        "subscribe",
        "subscription",
        "comments",
        "comment-respond",
        "disqus",
        "sidebar",
        "widget",
        "advert",
        "advertisement",
        "ads",
        "promo",
        "breadcrumbs",
        "breadcrumb",
        "tags",
        "tagcloud",
        "post-tags",
        "entry-footer",
        "author-box",
        "yarpp",
        "jp-relatedposts",
        "cookie",
        "modal",
        "popup",
    }
)
_WORD_SPLIT = re.compile(r"[\s_]+")
_COMPOUND_PARTS = re.compile(r"[^a-z0-9]+")

# Headings that introduce furniture rather than article text (compared casefolded, trimmed).
FURNITURE_HEADINGS = frozenset(
    {
        "recent news",
        "recent posts",
        "latest news",
        "latest posts",
        "related news",
        "related posts",
        "related articles",
        "related",
        "read also",
        "read more",
        "see also",
        "more news",
        "more stories",
        "popular",
        "most read",
        "poll",
        "share this post",
        "share this",
        "share",
        "share this article",
        "tags",
        "comments",
        "leave a reply",
        "subscribe",
        "читайте также",
        "читать также",
        "последние новости",
        "похожие новости",
        "похожие материалы",
        "новости по теме",
        "популярное",
        "опрос",
        "поделиться",
        "комментарии",
        "соңғы жаңалықтар",
        "тағы оқыңыз",
        "so'nggi yangiliklar",
        "soʻnggi yangiliklar",
        "son xəbərlər",
        "digər xəbərlər",
        "oxşar xəbərlər",
    }
)
_REMOVE_TAGS = ("form", "button", "input", "select", "textarea", "label", "nav", "aside", "iframe")


@dataclass(frozen=True)
class Article:
    url: str  # canonical
    title: str | None
    text: str
    author: str | None
    published: str | None
    language: str | None
    description: str | None
    fingerprint: str


@functools.lru_cache(maxsize=4096)
def _marks_furniture(value: str) -> bool:
    """Whether a class or id value holds a furniture word (class strings repeat on every page
    of a site, so the answer is cached)."""
    for word in _WORD_SPLIT.split(value.lower()):
        if not word:
            continue
        if word in WIDGET_WORDS:
            return True
        # BEM-style names: "post__share-bar" also counts as "share"
        if any(p in WIDGET_WORDS for p in _COMPOUND_PARTS.split(word)):
            return True
    return False


def _is_furniture(el: _Element) -> bool:
    for attr in ("class", "id"):
        value = el.get(attr)
        if value and _marks_furniture(value):
            return True
    role = el.get("role")
    return bool(role) and role.lower() in ("complementary", "navigation", "dialog")


_LABEL_MAX = 40


def _label(el: _Element) -> str | None:
    """The element's text as a heading label (casefolded, spacing and end punctuation trimmed),
    or None when it is longer than any label — read only as far as needed: a ``div`` may hold
    the whole page."""
    parts: list[str] = []
    visible = 0
    for text in el.itertext():
        visible += len("".join(text.split()))
        if visible > 2 * _LABEL_MAX:
            return None
        parts.append(text)
    label = " ".join("".join(parts).split()).strip(" :：-—").casefold()
    return label if len(label) <= _LABEL_MAX else None


def _link_density(el: _Element) -> float:
    text = "".join(el.itertext())
    if not text.strip():
        return 1.0
    linked = sum(len("".join(a.itertext())) for a in el.iter("a"))
    return linked / max(1, len(text))


def _drop(el: _Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    # keep the tail text (it belongs to the parent's flow)
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def prune(tree: _Element, extra_xpaths: Iterable[str] = ()) -> _Element:
    """Remove page furniture from a parsed page, in place; returns the tree."""
    body = tree.find("body")
    root = body if body is not None else tree
    # Furniture is never most of a page: an element holding over half of the page's text, or
    # 40 % of its paragraph text, is the content wrapper, whatever its class or tag says
    # ("with-sidebar", "has-comments", an ASP.NET page-wide <form> …).
    page_chars = max(1, len(root.text_content()))
    para_chars = sum(len(p.text_content()) for p in root.iter("p"))

    def holds_content(el: _Element) -> bool:
        if len(el.text_content()) * 2 >= page_chars:
            return True
        if para_chars < 400:
            return False
        inside = sum(len(p.text_content()) for p in el.iter("p"))
        return inside * 5 >= para_chars * 2

    for tag in _REMOVE_TAGS:
        for el in list(root.iter(tag)):
            if el.getparent() is not None and not holds_content(el):
                _drop(el)
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tag in ("html", "body", "main", "article"):
            continue
        if _is_furniture(el) and not holds_content(el):
            _drop(el)
    # A furniture heading ("RECENT NEWS", "Share this post:") and the link list after it.
    for el in list(root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong")):
        if el.getparent() is None:
            continue
        label = _label(el)
        if label is None or label not in FURNITURE_HEADINGS:
            continue
        sibling = el.getnext()
        while sibling is not None and (
            not isinstance(sibling.tag, str)  # a comment between the heading and its list
            or sibling.tag in ("ul", "ol")
            or _link_density(sibling) > 0.5
        ):
            nxt = sibling.getnext()
            _drop(sibling)
            sibling = nxt
        _drop(el)
    for xpath in extra_xpaths:
        for el in list(tree.xpath(xpath)):
            if isinstance(el, _Element):
                _drop(el)
    return tree


_META_ATTRS = ("property", "name", "itemprop")


class _Head:
    """The page's ``<meta>`` values and JSON-LD objects, read once per page."""

    def __init__(self, tree: _Element) -> None:
        self.values: dict[tuple[str, str], str] = {}
        for el in tree.iter("meta"):
            content = (el.get("content") or "").strip()
            if not content:
                continue
            for attr in _META_ATTRS:
                key = el.get(attr)
                if key:
                    self.values.setdefault((attr, key), content)
        self.json_ld = _json_ld(tree)

    def meta(self, *names: str) -> str | None:
        """The first non-empty ``content`` of a ``<meta>`` named so (property, name, itemprop)."""
        for name in names:
            for attr in _META_ATTRS:
                value = self.values.get((attr, name))
                if value:
                    return value
        return None


def _json_ld(tree: _Element) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except (ValueError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return out


def _published(tree: _Element, head: _Head) -> str | None:
    value = head.meta("article:published_time", "datePublished", "pubdate", "date")
    if not value:
        for item in head.json_ld:
            if isinstance(item.get("datePublished"), str):
                value = str(item["datePublished"])
                break
    if not value:
        times = tree.xpath("//time[@datetime]/@datetime")
        value = str(times[0]) if times else None
    return value.strip() if value else None


ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "scholarlyarticle",
        "techarticle",
    }
)
NON_ARTICLE_TYPES = frozenset(
    {
        "collectionpage",
        "itemlist",
        "searchresultspage",
        "profilepage",
        "aboutpage",
        "contactpage",
        "person",
        "faqpage",
    }
)
NON_ARTICLE_OG = frozenset({"website", "profile", "video.other", "book", "music.song"})


def _ld_types(head: _Head) -> set[str]:
    types: set[str] = set()
    for item in head.json_ld:
        value = item.get("@type")
        for t in value if isinstance(value, list) else [value]:
            if isinstance(t, str):
                types.add(t.rsplit("/", 1)[-1].casefold())
    return types


def page_types(head: _Head) -> tuple[str, set[str]]:
    """The page's declared ``og:type`` and JSON-LD ``@type`` names (casefolded)."""
    return (head.meta("og:type") or "").casefold(), _ld_types(head)


def not_article_reason(og_type: str, types: set[str], published: str | None) -> str | None:
    """Why a page is not an article (a listing, tag, search, author or about page), or None.

    Article markers win: ``og:type`` article, a JSON-LD article type, or a publication date.
    Without any of them, a page that declares itself something else (``og:type`` website,
    JSON-LD ``CollectionPage``/``ItemList``/``ProfilePage``…) is not an article. Pages that
    say nothing are judged by their text later (length).
    """
    if og_type == "article" or og_type.startswith("article") or types & ARTICLE_TYPES:
        return None
    if published:
        return None
    if types & NON_ARTICLE_TYPES:
        return f"JSON-LD {sorted(types & NON_ARTICLE_TYPES)[0]}"
    if og_type in NON_ARTICLE_OG:
        return f"og:type {og_type}"
    return None


_TITLE_SEPARATORS = re.compile(r"\s+[|–—:·»\-]\s+")


def _headline(tree: _Element, head: _Head) -> tuple[str | None, str | None]:
    """The article's own headline (JSON-LD ``headline``, ``og:title``, the single ``<h1>``) and
    the site's name (``og:site_name``, JSON-LD publisher), before any pruning."""
    site = head.meta("og:site_name", "application-name")
    headline = None
    for item in head.json_ld:
        value = item.get("headline")
        if isinstance(value, str) and value.strip() and headline is None:
            headline = value.strip()
        publisher = item.get("publisher")
        if site is None and isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            site = publisher["name"].strip()
    headline = headline or head.meta("og:title", "twitter:title")
    if not headline:
        h1s = [" ".join("".join(h.itertext()).split()) for h in tree.iter("h1")]
        h1s = [h for h in h1s if h]
        if len(h1s) == 1:
            headline = h1s[0]
    return headline, site


def clean_title(title: str | None, site_name: str | None) -> str | None:
    """The headline without the site's name around it ("Baku talks | Report.az" → "Baku
    talks"): a first or last part that is the site name, or a short part that looks like one."""
    if not title:
        return None
    title = " ".join(title.split())
    seps = list(_TITLE_SEPARATORS.finditer(title))
    if not seps:
        return title
    site = (site_name or "").casefold().strip()

    def is_site(part: str) -> bool:
        low = part.casefold().strip()
        if site and (low == site or low in site or site in low):
            return True
        return bool(re.search(r"\.(az|kz|uz|kg|tj|tm|ru|com|net|org|ge|am|info|news)$", low))

    if is_site(title[seps[-1].end() :]):
        return title[: seps[-1].start()].strip() or title
    if is_site(title[: seps[0].start()]):
        return title[seps[0].end() :].strip() or title
    return title


def _canonical(tree: _Element, head: _Head, fetched_url: str) -> str:
    for candidate in (
        *tree.xpath("//link[@rel='canonical']/@href"),
        head.meta("og:url"),
    ):
        if candidate and isinstance(candidate, str):
            full = urljoin(fetched_url, candidate.strip())
            if full.startswith(("http://", "https://")) and same_site(full, fetched_url):
                return canonical_url(full)
    return canonical_url(fetched_url)


_PARSER = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
_LANG = re.compile(r"^[a-zA-Z]{2,3}")


def detect_language(tree: _Element | None, text: str, head: _Head | None = None) -> str | None:
    """The page's declared language if any (``<html lang>``, og:locale), else detected."""
    if tree is not None:
        head = head or _Head(tree)
        declared = tree.get("lang") or head.meta("og:locale", "language", "content-language")
        if declared and (m := _LANG.match(declared.strip())):
            return m.group().lower()
    if len(text) < 20:
        return None
    lang, _score = py3langid.classify(text[:4000])
    return str(lang)


_FP_WORD = re.compile(r"\w+")


def fingerprint(text: str) -> str:
    """A hash of the article's words: equal for copies that differ only in markup or spacing."""
    words = _FP_WORD.findall(text.casefold())
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def _parse(html: str | bytes) -> _Element | None:
    """The page as an lxml tree without comments and processing instructions (trafilatura's
    loader: it also parses an XHTML page whose text still carries an XML encoding declaration)."""
    tree = trafilatura.utils.load_html(html)
    if tree is not None:
        return tree
    try:
        return lxml_html.document_fromstring(html, parser=_PARSER)
    except (ParserError, ValueError):
        return None


def _bare(tree: _Element, url: str) -> Any:
    # favor_precision: measured on both extraction benchmarks, it raises precision more than
    # it costs recall (bench/extraction.py) — and a stray line of furniture is what alerts wrongly
    return trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        deduplicate=False,
        favor_precision=True,
    )


def extract_article(
    html: str | bytes,
    url: str,
    *,
    prune_xpaths: Iterable[str] = (),
    min_chars: int = MIN_TEXT_CHARS,
) -> Article | None:
    """Extract the article of a page, or None when the page holds no article."""
    result = extract_page(html, url, prune_xpaths=prune_xpaths, min_chars=min_chars)
    return result if isinstance(result, Article) else None


def extract_page(
    html: str | bytes,
    url: str,
    *,
    prune_xpaths: Iterable[str] = (),
    min_chars: int = MIN_TEXT_CHARS,
) -> Article | str:
    """The page's article, or the reason it holds none (for the crawl records)."""
    tree = _parse(html)
    if tree is None:
        return "unparsable HTML"
    head = _Head(tree)
    canonical = _canonical(tree, head, url)
    published_meta = _published(tree, head)
    declared = page_types(head)
    headline, site_name = _headline(tree, head)
    lang = detect_language(tree, "", head)
    prune(tree, prune_xpaths)
    doc = _bare(tree, url)
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        # Pruning left nothing (a tiny page whose article sits in a "widget"): take the page as
        # trafilatura alone sees it rather than lose the article.
        pristine = _parse(html)
        doc = _bare(pristine, url) if pristine is not None else None
    if doc is None:
        return "no main text found"
    published = published_meta or getattr(doc, "date", None) or None
    reason = not_article_reason(*declared, published)
    if reason:
        return reason
    text = (getattr(doc, "text", None) or "").strip()
    if len(text) < min_chars:
        return f"text too short ({len(text)} < {min_chars} characters)"
    title = clean_title(
        headline or getattr(doc, "title", None), site_name or getattr(doc, "sitename", None)
    )
    return Article(
        url=canonical,
        title=title,
        text=text,
        author=getattr(doc, "author", None) or None,
        published=published,
        language=lang or detect_language(None, text),
        description=getattr(doc, "description", None) or None,
        fingerprint=fingerprint(text),
    )
