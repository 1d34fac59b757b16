"""In-body inserts, recognised by their shape in any language, removed before trafilatura runs.

News sites put things inside the article body that are not the article: "read also" paragraphs
(a short label and a link to another article of the same site), related-headline lists and
cards, "follow us on Telegram" lines, photo captions and credits. Their words name other
stories' topics, so they must never reach the rules. What gives them away is structure:

- a block whose text is (almost) all anchor text of links to *other articles of the same site*,
  optionally after a short label: the largest such block around the link goes, with a short
  label line just before it;
- a short block linking to a social network or messenger profile ("follow us" lines);
- captions and credits: ``figcaption``, caption/credit classes, short lines opening with a
  photo-credit word.

Label phrases (``crawler.extract.labels``, every language of the outlets) are a second signal:
a block that opens with one may carry a longer headline or teaser.

A link to another article of the same site that stays inside a running sentence is kept as
text but marked (:mod:`crawler.extract.article_links`): the extraction turns the marks into spans
the rules do not see (``Article.linked``). Tag and section links ("Azerbaijan" →
``/tag/azerbaijan``) are not article links: they keep counting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.etree import XPath, _Element

from crawler.extract.article_links import LINK_CLOSE, LINK_OPEN, Links, mark
from crawler.extract.labels import (
    CREDIT_PREFIXES,
    FOLLOW_WORDS,
    NETWORK_NAMES,
    fold,
    starts_with_label,
)
from crawler.extract.pruning import drop_element
from crawler.extract.teasers import drop_teaser_cards

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "blockquote",
        "aside",
        "section",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "td",
    }
)
_NEVER = frozenset({"html", "body", "main", "article"})
_SKIP_TEXT = frozenset({"script", "style", "noscript", "template"})
# Text beside the links of an insert: a label ("Read also:"), a date, a rubric.
LABEL_CHARS = 40
LABEL_WORDS = 6
LABELLED_CHARS = 160  # after a known label: a headline or teaser that is not linked
FOLLOW_CHARS = 250
CREDIT_CHARS = 160
_CREDIT_WORDS = frozenset(
    {
        "caption",
        "captions",
        "credit",
        "credits",
        "photo-credit",
        "image-credit",
        "wp-caption-text",
        "media-caption",
        "image-caption",
        "img-caption",
        "photo-caption",
        "figcaption",
        "photo-source",
        "copyright",
    }
)
_CLASS_SPLIT = re.compile(r"[\s_]+")
_PUNCT = re.compile(r"[\W\d_]+", re.UNICODE)


def _texts(el: _Element, skip: set[_Element]) -> Iterator[str]:
    if el in skip or not isinstance(el.tag, str) or el.tag in _SKIP_TEXT:
        return
    if el.text:
        yield el.text
    for child in el:
        yield from _texts(child, skip)
        if child.tail:
            yield child.tail


def _residual(el: _Element, skip: set[_Element], limit: int) -> str | None:
    """The element's text outside the ``skip`` elements (collapsed), or None past ``limit``."""
    parts: list[str] = []
    seen = 0
    for text in _texts(el, skip):
        seen += len(text.strip())
        if seen > 2 * limit + 40:
            return None
        parts.append(text)
    residual = " ".join("".join(parts).split())
    return residual if len(residual) <= limit else None


def _is_label(residual: str) -> bool:
    words = _PUNCT.sub(" ", residual).split()
    return len(" ".join(words)) <= LABEL_CHARS and len(words) <= LABEL_WORDS


def _block(el: _Element) -> _Element | None:
    node = el.getparent()
    while node is not None and isinstance(node.tag, str):
        if node.tag in _NEVER:
            return None
        if node.tag in _BLOCKS:
            return node
        node = node.getparent()
    return None


def _climbable(el: _Element) -> bool:
    parent = el.getparent()
    return parent is not None and isinstance(parent.tag, str) and parent.tag not in _NEVER


def _class_words(el: _Element) -> set[str]:
    value = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return {w for w in _CLASS_SPLIT.split(value) if w}


def _label_before(el: _Element) -> _Element | None:
    """A short label line just before an insert ("Related:", "Mavzuga oid")."""
    prev = el.getprevious()
    if prev is None or not isinstance(prev.tag, str) or prev.tag not in _BLOCKS | {"strong", "b"}:
        return None
    if prev.find(".//a") is not None or prev.find(".//img") is not None:
        return None
    text = " ".join(prev.text_content().split())
    if not text or not _is_label(text):
        return None
    if prev.tag in ("h2", "h3", "h4", "h5", "h6") or text.endswith(":") or starts_with_label(text):
        return prev
    return None


def prune_inserts(root: _Element, page_url: str, *aliases: str) -> None:
    """Remove in-body inserts from ``root`` in place; mark in-sentence links to other articles
    (``aliases``: other URLs of the page itself, such as its canonical URL)."""
    links = Links(page_url, *aliases)
    article_links: set[_Element] = set()
    social_links: list[_Element] = []
    for a in root.iter("a"):
        kind = links.kind(a.get("href"))
        if kind == "article":
            article_links.add(a)
        elif kind == "social":
            social_links.append(a)
    _drop_captions(root)
    _drop_follow_lines(root, social_links)
    drop_teaser_cards(root, article_links)
    _drop_link_blocks(article_links)
    if not article_links:
        return
    page_text = root.text_content()
    if LINK_OPEN in page_text or LINK_CLOSE in page_text:
        return
    for a in article_links:
        if a.getparent() is not None and _attached(a):
            mark(a)


def _attached(el: _Element) -> bool:
    node = el
    while node.getparent() is not None:
        node = node.getparent()
    return node.tag == "html" or node.find("body") is not None


def _drop_link_blocks(article_links: set[_Element]) -> None:
    for a in list(article_links):
        if not _attached(a):
            continue
        block = _block(a)
        if block is None:
            continue
        residual = _residual(block, article_links, LABELLED_CHARS)
        if residual is None:
            continue
        if not _is_label(residual) and not starts_with_label(residual):
            continue
        # the largest block around the link that is still only links and a label
        while _climbable(block):
            parent = block.getparent()
            assert parent is not None
            wider = _residual(parent, article_links, LABEL_CHARS * 2)
            if wider is None or not _is_label(wider):
                break
            block = parent
        label = _label_before(block)
        if label is not None:
            drop_element(label)
        drop_element(block)


def _names_one(text: str, names: list[str]) -> bool:
    low = text.casefold()
    return any(n in low for n in names)


_FOLLOW_BLOCKS = frozenset({"p", "div", "li", "h4", "h5", "h6", "blockquote", "aside", "section"})
_SHORT_LINES = XPath(
    ".//*[self::p or self::div or self::span or self::em or self::small or self::i]"
    f"[count(*) <= 3][string-length(normalize-space(.)) <= {CREDIT_CHARS}]"
)
_CREDIT_CLASSES = XPath(
    ".//*["
    + " or ".join(
        f"contains(@{attr}, '{word}')"
        for attr in ("class", "id")
        for word in ("caption", "credit", "copyright", "photo-source")
    )
    + "]"
)


def _drop_follow_lines(root: _Element, social_links: list[_Element]) -> None:
    links = set(social_links)
    for a in social_links:
        if not _attached(a):
            continue
        block = _block(a)
        if block is None:
            continue
        text = _residual(block, set(), FOLLOW_CHARS)
        if text is None:
            continue
        # "Follow us on Telegram", or the links with a label: not a sentence that cites a post
        beside = _residual(block, links, LABEL_CHARS * 2)
        if any(w in fold(text) for w in FOLLOW_WORDS) or (beside is not None and _is_label(beside)):
            drop_element(block)
    # the same lines without a link: short, a network's name and a "follow / subscribe" word
    page = root.text_content().casefold()
    names = [n for n in NETWORK_NAMES if n in page]
    if not names:
        return
    named: list[_Element] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and el.tag not in _SKIP_TEXT and _names_one(el.text, names):
            named.append(el)
        if el.tail and _names_one(el.tail, names) and el.getparent() is not None:
            named.append(el.getparent())  # type: ignore[arg-type]
    for el in named:
        block = el if el.tag in _FOLLOW_BLOCKS else _block(el)
        if block is None or not _attached(block):
            continue
        text = _residual(block, set(), FOLLOW_CHARS)
        if text is not None and any(w in fold(text) for w in FOLLOW_WORDS):
            drop_element(block)


def _drop_captions(root: _Element) -> None:
    for el in list(root.iter("figcaption")):
        drop_element(el)
    for el in _CREDIT_CLASSES(root):
        if el.tag in _NEVER or not _attached(el) or not _class_words(el) & _CREDIT_WORDS:
            continue
        if _residual(el, set(), CREDIT_CHARS * 2) is not None:
            drop_element(el)
    for el in _SHORT_LINES(root):
        if not _attached(el):
            continue
        if fold(el.text_content()).startswith(CREDIT_PREFIXES):
            drop_element(el)
