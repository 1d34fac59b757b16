"""Pruning: remove page furniture from a parsed page before trafilatura runs.

trafilatura finds the article body, but alone it keeps a poll question or a "RECENT NEWS" list
when a theme nests them in the post body. So furniture that sits *inside* the article container
is removed first — polls, share bars, "recent news" / "read also" lists, newsletter boxes, forms,
comment sections: elements whose class or id holds a furniture word, form and navigation tags,
and a furniture heading ("RECENT NEWS", "Share this post:") with the link list after it. An
element that holds most of the page's text is the content wrapper and is always kept.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from lxml.etree import _Element

from crawler.extract.labels import is_furniture_heading

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
# An author's box ("author-bio", "nnr-ab-author-bio", "about-the-author", "contributor-info"):
# a name part and a box part in one class word. The byline's own name is kept in metadata.
AUTHOR_PARTS = frozenset({"author", "authors", "contributor", "writer"})
AUTHOR_BOX_PARTS = frozenset({"bio", "bios", "biography", "box", "info", "about", "description"})
_WORD_SPLIT = re.compile(r"[\s_]+")
_COMPOUND_PARTS = re.compile(r"[^a-z0-9]+")

_REMOVE_TAGS = ("form", "button", "input", "select", "textarea", "label", "nav", "aside", "iframe")


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
        parts = set(_COMPOUND_PARTS.split(word))
        if parts & WIDGET_WORDS or (parts & AUTHOR_PARTS and parts & AUTHOR_BOX_PARTS):
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


def drop_element(el: _Element) -> None:
    """Remove an element from its tree, keeping its tail text in the parent's flow."""
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
                drop_element(el)
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tag in ("html", "body", "main", "article"):
            continue
        if _is_furniture(el) and not holds_content(el):
            drop_element(el)
    # A furniture heading ("RECENT NEWS", "Share this post:") and the link list after it.
    for el in list(root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong")):
        if el.getparent() is None:
            continue
        label = _label(el)
        if label is None or not is_furniture_heading(label):
            continue
        sibling = el.getnext()
        while sibling is not None and (
            not isinstance(sibling.tag, str)  # a comment between the heading and its list
            or sibling.tag in ("ul", "ol")
            or _link_density(sibling) > 0.5
        ):
            nxt = sibling.getnext()
            drop_element(sibling)
            sibling = nxt
        drop_element(el)
    for xpath in extra_xpaths:
        for el in list(tree.xpath(xpath)):
            if isinstance(el, _Element):
                drop_element(el)
    return tree
