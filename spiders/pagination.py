"""Pagination of listing pages, recognised by its structure, and "load more" endpoints.

What is recognised is described in :mod:`spiders.listings` (the module users read); this
module is the machinery: pure functions over an lxml tree, no network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.urls import TRACKING_PARAMS, TRACKING_PREFIXES, same_site, site_of
from spiders.page_links import Link, class_id, says_more, says_next
from spiders.pagination_words import (
    _DIGITS,
    _MORE_HINT,
    _NOT_PAGE_SUFFIXES,
    _NUMBER,
    _PAGEN,
    _SEG_MARKER,
    _SHARE_HINT,
    _URL_LIKE,
    _WORD,
    FRAGMENT_ATTRS_STRONG,
    FRAGMENT_ATTRS_WEAK,
    NOT_MARKER_WORDS,
    NOT_SECTION_WORDS,
    PAGE_PARAMS,
    PAGE_WORDS,
)

IsArticle = Callable[[str], bool]


@dataclass(frozen=True)
class _Parts:
    origin: tuple[str, int | None]
    segs: tuple[str, ...]
    query: dict[str, str]


def _parts(url: str) -> _Parts | None:
    try:
        sp = urlsplit(url)
        port = sp.port
    except ValueError:
        return None
    if port == {"http": 80, "https": 443}.get(sp.scheme):
        port = None
    segs = [unquote(s) for s in sp.path.split("/") if s]
    if segs and segs[-1].lower() in ("index.php", "index.html", "index.htm"):
        segs.pop()
    query: dict[str, str] = {}
    for k, v in parse_qsl(sp.query, keep_blank_values=True):
        low = k.lower()
        if low not in TRACKING_PARAMS and not low.startswith(TRACKING_PREFIXES):
            query.setdefault(k, v)
    return _Parts((site_of(sp.hostname or ""), port), tuple(segs), query)


Template = tuple[str, ...]
Slot = tuple[object, ...]


def _marker(extra: tuple[str, ...]) -> tuple[Template, int] | None:
    """A page marker after a section's path: ``7``, ``page/7``, ``p7``, ``страница-7``,
    ``page-7.html``."""
    if len(extra) == 1:
        m = _SEG_MARKER.fullmatch(extra[0])
        if m and (m.group(1) is None or m.group(1).lower() not in NOT_MARKER_WORDS):
            return (_NUMBER.sub("#", extra[0]),), int(m.group(2))
    elif len(extra) == 2 and _WORD.fullmatch(extra[0]):
        m = _SEG_MARKER.fullmatch(extra[1])
        if m and m.group(1) is None and extra[0].lower() not in NOT_MARKER_WORDS:
            return (extra[0], _NUMBER.sub("#", extra[1])), int(m.group(2))
    return None


def _split_page(segs: tuple[str, ...]) -> tuple[tuple[str, ...], Template, int] | None:
    """A path read as section + page marker (``/news/politics/page/3`` → ``/news/politics``)."""
    if len(segs) >= 2:
        found = _marker(segs[-2:])
        if found and found[0][0].lower() in PAGE_WORDS:
            return segs[:-2], found[0], found[1]
    if segs:
        found = _marker(segs[-1:])
        if found:
            return segs[:-1], found[0], found[1]
    return None


def _known(slot: Slot) -> bool:
    """A slot whose parameter or path word names a page (``?page=``, ``/page/N/``, ``/p2``)."""
    if slot[0] == "q":
        key = str(slot[1]).lower()
        return key in PAGE_PARAMS or bool(_PAGEN.fullmatch(key))
    template = slot[2]
    assert isinstance(template, tuple)
    if len(template) == 2:
        return str(template[0]).lower() in PAGE_WORDS
    m = re.fullmatch(r"([^\W\d_]+)[-_]?#(?:\.\w+)?", str(template[0]))
    return bool(m and m.group(1).lower() in PAGE_WORDS)


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _relate(u: _Parts, c: _Parts) -> tuple[Slot, int | None, int | None] | None:
    """How link ``c`` differs from the current page ``u`` by one page number, if it does:
    (slot, the link's number, the current page's number); None stands for "no number" (the
    section's first page as usually linked)."""
    if u.origin != c.origin:
        return None
    if u.segs == c.segs:
        diff = [
            k for k in sorted(u.query.keys() | c.query.keys()) if u.query.get(k) != c.query.get(k)
        ]
        if len(diff) != 1:
            return None
        cv, uv = c.query.get(diff[0]), u.query.get(diff[0])
        if not all(v is None or _DIGITS.fullmatch(v) for v in (cv, uv)):
            return None
        return ("q", diff[0]), _int(cv), _int(uv)
    if u.query != c.query:
        return None
    n, m = len(u.segs), len(c.segs)
    if n == m:
        su, sc = _split_page(u.segs), _split_page(c.segs)
        if su and sc and su[:2] == sc[:2] and su[2] != sc[2]:
            return ("path", su[0], su[1]), sc[2], su[2]
    elif m > n and c.segs[:n] == u.segs:
        found = _marker(c.segs[n:])
        if found:
            return ("path", u.segs, found[0]), found[1], None
    elif n > m and u.segs[:m] == c.segs:
        found = _marker(u.segs[m:])
        if found:
            return ("path", c.segs, found[0]), None, found[1]
    return None


def section_of(u: _Parts) -> tuple[str, ...]:
    """The section's path: the current page's path without a page marker at its end."""
    split = _split_page(u.segs)
    if split and (
        _known(("path", split[0], split[1])) or (split[1] == ("#",) and split[2] < 10000)
    ):
        return split[0]
    return u.segs


def _in_section(c: _Parts, u: _Parts, section: tuple[str, ...]) -> bool:
    if c.origin != u.origin or c.segs[: len(section)] != section:
        return False
    rest = c.segs[len(section) :]
    return len(rest) <= 2 and not any(s.lower() in NOT_SECTION_WORDS for s in rest)


@dataclass(frozen=True)
class _Mapping:
    """Shown page number → URL number: ``value = a * number + b`` (b = 0: 1-based, -1:
    0-based, -a: offsets)."""

    a: int
    b: int
    pairs: int


def _mapping(members: Sequence[tuple[Link, int | None]]) -> _Mapping | None:
    pairs = sorted(
        {(link.number, v) for link, v in members if link.number is not None and v is not None}
    )
    shown = {t for t, _ in pairs}
    if not pairs or len(shown) != len(pairs):
        return None
    (t1, v1) = pairs[0]
    if len(pairs) >= 2:
        (t2, v2) = pairs[1]
        if (v2 - v1) % (t2 - t1):
            return None
        a = (v2 - v1) // (t2 - t1)
        b = v1 - a * t1
    elif v1 == t1 or v1 == t1 - 1:
        a, b = 1, v1 - t1
    elif t1 > 1 and v1 % (t1 - 1) == 0:
        a = v1 // (t1 - 1)
        b = -a
    else:
        return None
    if a < 1 or any(v != a * t + b for t, v in pairs):
        return None
    return _Mapping(a, b, len(pairs))


def _structural(members: Sequence[tuple[Link, int | None]], current: int | None) -> bool:
    """A block of numbered links that reads as a pager: at least two numbered links, their
    numbers and URLs in one consistent mapping, and the page next to the current one among
    them."""
    mapping = _mapping(members)
    if mapping is None or mapping.pairs < 2:
        return False
    if current is None:
        shown_current = 1
    elif (current - mapping.b) % mapping.a == 0:
        shown_current = (current - mapping.b) // mapping.a
    else:
        return False
    shown = {link.number for link, _ in members}
    return bool(shown & {shown_current - 1, shown_current + 1} - {0})


def next_pages(url: str, links: Sequence[Link], is_article: IsArticle) -> list[str]:
    """The section's later pages linked from the page at ``url`` (see :mod:`spiders.listings`)."""
    u = _parts(url)
    if u is None:
        return []
    section = section_of(u)
    rel_next: list[str] = []
    keyword: list[str] = []
    groups: dict[Slot, dict[str, list[tuple[Link, int | None]]]] = {}
    current: dict[Slot, int | None] = {}
    for link in links:
        c = _parts(link.url)
        if c is None or c.origin != u.origin or (c.segs, c.query) == (u.segs, u.query):
            continue
        if "next" in link.rel and _in_section(c, u, section):
            rel_next.append(link.url)
        if urlsplit(link.url).path.lower().endswith(_NOT_PAGE_SUFFIXES):
            continue
        related = _relate(u, c)
        if related is not None:
            slot, value, current[slot] = related
            groups.setdefault(slot, {}).setdefault(link.block, []).append((link, value))
        elif (
            (link.next_signal or link.more_signal)
            and _in_section(c, u, section)
            and not is_article(link.url)
        ):
            keyword.append(link.url)
    structured: list[str] = []
    for slot, blocks in groups.items():
        known = _known(slot)
        accepted: list[tuple[Link, int | None]] = []
        for members in blocks.values():
            signal = any(
                link.next_signal or link.more_signal or link.in_pager or link.in_noscript
                for link, _ in members
            )
            if known:
                accepted += members
            elif signal or _structural(members, current[slot]):
                accepted += [
                    (link, v)
                    for link, v in members
                    if link.number is not None
                    or link.next_signal
                    or link.in_pager
                    or not is_article(link.url)
                ]
        structured += _later(accepted, current[slot])
    return list(dict.fromkeys([*rel_next, *structured, *keyword]))


def _later(members: Sequence[tuple[Link, int | None]], current: int | None) -> list[str]:
    """The members after the current page, by ascending number (one URL per number)."""
    if not members:
        return []
    if current is None:
        mapping = _mapping(members)
        if mapping is not None:
            current = mapping.a + mapping.b
        elif any(v == 0 or (v == 1 and link.next_signal) for link, v in members):
            current = 0
        else:
            current = 1
    by_number: dict[int, str] = {}
    for link, v in sorted(
        ((link, v) for link, v in members if v is not None), key=lambda m: (m[1], m[0].order)
    ):
        if v > current:
            by_number.setdefault(v, link.url)
    return list(by_number.values())


def _element_labels(el: HtmlElement) -> list[str]:
    return [el.text_content(), el.get("aria-label", ""), el.get("title", ""), el.get("value", "")]


def _ancestors(el: HtmlElement, levels: int) -> Iterator[HtmlElement]:
    node: HtmlElement | None = el
    for _ in range(levels + 1):
        if node is None:
            return
        yield node
        node = node.getparent()


def fragment_endpoints(tree: HtmlElement, base: str, url: str, is_article: IsArticle) -> list[str]:
    """Same-site endpoints named by a "load more" element's ``data-*`` attribute, in page order."""
    u = _parts(url)
    out: list[str] = []
    for el in tree.iter(etree.Element):
        for name in (*FRAGMENT_ATTRS_STRONG, *FRAGMENT_ATTRS_WEAK):
            value = (el.get(name) or "").strip()
            if not value or not _URL_LIKE.fullmatch(value):
                continue
            if any(_SHARE_HINT.search(class_id(node)) for node in _ancestors(el, 3)):
                continue
            if name in FRAGMENT_ATTRS_WEAK and not (
                any(says_more(t) or says_next(t) for t in _element_labels(el))
                or _MORE_HINT.search(class_id(el))
            ):
                continue
            try:
                absolute = urljoin(base, value).split("#", 1)[0]
            except ValueError:
                continue
            c = _parts(absolute)
            if (
                c is None
                or not absolute.startswith(("http://", "https://"))
                or not same_site(absolute, url)
                or (u is not None and (c.origin, c.segs, c.query) == (u.origin, u.segs, u.query))
                or urlsplit(absolute).path.lower().endswith(_NOT_PAGE_SUFFIXES)
                or is_article(absolute)
            ):
                continue
            out.append(absolute)
    return list(dict.fromkeys(out))
