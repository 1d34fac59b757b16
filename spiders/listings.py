"""Listing (section) pages: which links are articles, and where the section's next pages are.

Pure functions over the page (lxml), no network. ``listing_links(body, url, article_pattern)``
reads a listing page; ``fragment_links(body, content_type, url, article_pattern)`` reads the
response of a "load more" endpoint (JSON or an HTML fragment). Both return ``ListingLinks``:

``articles``
    Same-site links, in page order, without duplicates or ``#fragment``, that match
    ``article_pattern`` or, without one, look like articles: a date in the path
    (``/2025/10/28/``), or a last segment with 3+ hyphens or a 4+ digit number; never
    tag/author/category/search/archive/… pages, date archives (a path ending in
    ``/2024/``, ``/2025/10/`` or ``/2025/10/28/``), documents, media, scripts, nor the pages
    below.

``next_pages``
    Later pages of the same section, followed up to ``listing_depth`` steps. ``next_pages[0]``
    is the page right after the current one when the page says which one it is.

    1. ``<link rel="next">`` / ``<a rel="next">`` on the section's path (see 3).
    2. Pagination blocks, recognised by their shape: links on the same host whose URL is the
       current page's with one number changed (``www.``/``m.`` ignored, tracking parameters
       ignored, ``index.php`` ignored):

       - one query parameter of any name, the path and every other parameter equal:
         ``?page=2``, ``?PAGEN_1=2`` (1C-Bitrix), ``?page=1`` (Drupal, 0-based),
         ``?start=20`` / ``?limitstart=20`` (Joomla offsets), ``?p=2``, ``?sayfa=2``;
       - the end of the path, after the section's path: ``/page/2/``, ``/2/``, ``/p2``,
         ``/страница-2/``, ``/bet/2``, ``/sahifa/2``, ``/sehife/2`` (on page N, the same
         path with another number). The word before a number must not be one of tag,
         author, user, search, archive, year, date, id, news, article, post, node, video,
         photo, category, topic, amp… (``/tag/2``, ``/archive/2024``, ``/node/123`` are
         never pages).

       Such a link counts when its parameter or path word names a page — ``page``, ``p``,
       ``pg``, ``paged``, ``PAGEN_<n>``, ``start``, ``limitstart``, ``offset``, ``from``,
       ``skip``, ``pn``, ``sayfa``, ``sahifa``, ``sahypa``, ``sehife``, ``bet``, ``str``,
       ``страница``… as a parameter; ``page``, ``p``, ``pg``, ``страница``, ``стр``, ``бет``,
       ``bet``, ``sahifa``, ``саҳифа``, ``sehife``, ``səhifə``, ``sayfa``, ``sahypa``, ``էջ``,
       ``გვერდი``… in the path — even alone; otherwise (``/2/``, ``?o=2``…) only when its
       block (the links under one nearest non-inline parent) is a pager: one of them says
       "next" (``rel``, a class with "next", a label below), or the block is inside an
       element whose class/id/aria-label says pagination (``pagination``, ``pager``,
       ``page-numbers``, ``nav-links``, ``modern-page-navigation``…) or inside
       ``<noscript>``, or at least two of its links show page numbers that map onto their URL
       numbers one way (number, number − 1, or (number − 1) × step) with the page next to
       the current one among them. Article-looking links without such a number or signal are
       left out of the block (numeric-id articles).

       Only pages after the current one are returned (never earlier ones nor the first page),
       by ascending number, one URL per number, the last page included. The current page's
       number is in its URL; a page without one is the first page, whose number is read
       from the pager's labels (the link shown as "1": ``?page=0`` in Drupal, ``?start=0``,
       ``?PAGEN_1=1``), else 0 when a link uses 0 or a "next" link uses 1, else 1.
    3. Links labelled "next" or "load more" (a second signal only): followed when on the
       section's path (at most two segments below it, none of them tag/author/category/
       search/archive/…), not article-looking — e.g. cursor pagination ``?before=…``.

    Order: rel=next, then the blocks' pages, then the labelled links; no duplicates, never
    the current page (in any spelling), nothing on another host or outside the section's
    path.

``fragments``
    "Load more" endpoints named in the page: the same site (subdomains included), not the
    page itself, not an article, from ``data-load-more``, ``data-loadmore``,
    ``data-load-more-url``, ``data-next``, ``data-next-url``, ``data-next-page-url``,
    ``data-more-url`` on any element, or ``data-url``, ``data-href``, ``data-ajax-url``,
    ``data-endpoint`` on an element labelled "load more"/"next" or with a class/id saying
    ``load-more``, ``show-more``, ``more``, ``ajax``, ``infinite``, ``next``; never inside a
    share widget (class/id ``share``, ``social``…). A ``<noscript>`` link is an ordinary
    link (rule 2 or 3). The spider requests each endpoint like a next page (one
    ``listing_depth`` step, headers ``X-Requested-With: XMLHttpRequest`` and ``Accept:
    application/json, text/html;q=0.9, */*;q=0.5``) and reads the response with
    ``fragment_links(response.body, Content-Type, response.url, article_pattern)``, which
    reads JSON and HTML alike (so every listing response may go through it); its
    ``next_pages`` and ``fragments`` are followed in turn while the depth allows.

Labels (whole label or its first words; case, ``ё``/``е`` and apostrophes folded; arrows and
punctuation around them ignored; "Read more"/"Подробнее"/"Batafsil"/"Ətraflı"… never count):
"next": next, older posts, далее, дальше, следующая, след., вперед, келесі, әрі қарай,
кийинки, андан ары, keyingi, navbatdagi, кейинги, навбатдаги, баъдӣ, навбатӣ, növbəti,
sonrakı, irəli, sonraki, indiki, nobatdaky, հաջորդ, შემდეგი, or only arrows (» › → >);
"load more": more, load more, show more, еще, показать еще, больше, тағы, көбірек, дагы,
көбүрөөк, yana, ko'proq, яна, кўпроқ, бештар, боз, daha çox, daha fazla, ýene, has köp,
ավելին, მეტი…

``fragment_links`` on JSON (a ``json`` content type, or a body starting with ``{``/``[``):
every string anywhere that is a URL (absolute, ``//host/…``, ``/path``) is an article if it
passes the article test above; a string under ``html``/``content``/``markup``/``items_html``/
``rendered``, or any string with ``href=`` in it, is read as an HTML fragment (its articles,
pages and endpoints are kept); a ``next``/``next_url``/``nextPage``/``next_page_url``/
``load_more_url``/``more_url``/``next_link`` value is the next endpoint (``fragments``) — a
number there replaces the page parameter of the endpoint's own URL — unless
``hasMore``/``has_more``/``hasNext``/``hasNextPage``/``more`` is false or
``isLast``/``last``/``lastPage`` is true (key case, ``_`` and ``-`` ignored). A body in the
charset of the Content-Type. On HTML it is ``listing_links``.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html
from lxml.etree import ParserError

from crawler.extract.urls import same_site
from spiders.feeds import NON_HTML_SUFFIXES
from spiders.page_links import collect_links
from spiders.pagination import PAGE_PARAMS, fragment_endpoints, next_pages

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
# A path ending in a bare date is a date archive (/2024/, /2025/10/, /2025/10/28/).
_DATE_ARCHIVE = re.compile(r"/(19|20)\d\d(/\d{1,2}){0,2}/?$")
# The historical pagination spellings: never articles, whichever section they belong to.
_PAGINATION = re.compile(r"(/page/\d+/?$)|([?&](page|p|PAGEN_1)=\d+)")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# JSON keys (lowercased, without "_", "-"): a next endpoint; HTML; "there is no more".
_JSON_NEXT_KEYS = frozenset(
    {
        "next",
        "nexturl",
        "nextpage",
        "nextpageurl",
        "nextlink",
        "nexthref",
        "loadmoreurl",
        "loadmore",
        "moreurl",
    }
)
_JSON_HTML_KEYS = frozenset({"html", "content", "markup", "itemshtml", "rendered"})
_JSON_HAS_MORE_KEYS = frozenset({"hasmore", "hasnext", "hasnextpage", "more"})
_JSON_LAST_KEYS = frozenset({"islast", "last", "islastpage", "lastpage"})
_URL_STRING = re.compile(r"(https?:)?//[^\s/]+\S*|/(?!/)\S*")


@dataclass(frozen=True)
class ListingLinks:
    articles: list[str]
    next_pages: list[str]
    # "Load more" endpoints (JSON or HTML fragments): read their responses with fragment_links.
    fragments: list[str] = field(default_factory=list)


def looks_like_article(url: str) -> bool:
    path = urlsplit(url).path
    if path.lower().endswith(NOT_ARTICLE_EXT) or _DATE_ARCHIVE.search(path):
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


def _article_test(article_pattern: re.Pattern[str] | None) -> Callable[[str], bool]:
    if article_pattern is None:
        return looks_like_article
    return lambda url: bool(article_pattern.search(url))


def _dedup(urls: list[str], url: str) -> list[str]:
    return [x for x in dict.fromkeys(urls) if x != url]


def _looks_like_json(body: str | bytes) -> bool:
    start = body.lstrip()[:1]
    return start in ("{", "[", b"{", b"[")


def listing_links(
    body: str | bytes, url: str, article_pattern: re.Pattern[str] | None = None
) -> ListingLinks:
    """Same-site article links, the section's later pages and "load more" endpoints of a
    listing page, in page order (see the module docstring). A JSON body is read as
    :func:`fragment_links` reads it."""
    if not body.strip():
        return ListingLinks([], [])
    if _looks_like_json(body):
        return fragment_links(body, "application/json", url, article_pattern)
    if isinstance(body, str):
        body = _XML_DECLARATION.sub("", body, count=1)  # lxml refuses str with one
    try:
        tree = lxml_html.document_fromstring(body)
    except (ParserError, ValueError):
        return ListingLinks([], [])
    base = urljoin(url, str((tree.xpath("//base/@href") or [url])[0]).strip())
    is_article = _article_test(article_pattern)
    links = collect_links(tree, base)
    pages = next_pages(url, links, is_article)
    fragments = [f for f in fragment_endpoints(tree, base, url, is_article) if f not in pages]
    not_articles = {*pages, *fragments}
    articles = [
        link.url
        for link in links
        if link.rel.isdisjoint({"next", "prev"})
        and same_site(link.url, url)
        and link.url not in not_articles
        and not _PAGINATION.search(link.url)
        and is_article(link.url)
    ]
    return ListingLinks(_dedup(articles, url), _dedup(pages, url), _dedup(fragments, url))


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def fragment_links(
    body: str | bytes,
    content_type: str,
    url: str,
    article_pattern: re.Pattern[str] | None = None,
) -> ListingLinks:
    """What a "load more" endpoint's response links to: its articles, further pages and the
    next endpoint. JSON (by content type, or by a body starting with ``{``/``[``) is walked
    for URLs; anything else is read as an HTML listing page (see the module docstring)."""
    kind = content_type.lower()
    if "json" in kind or (not ("html" in kind or "xml" in kind) and _looks_like_json(body)):
        if isinstance(body, bytes):
            charset = _charset(content_type) or "utf-8-sig"
            try:
                text = body.decode(charset, errors="replace")
            except LookupError:
                text = body.decode("utf-8-sig", errors="replace")
        else:
            text = body
        text = text.lstrip("\ufeff \t\r\n")
        if text.startswith(")]}'"):  # anti-JSON-hijacking prefix
            text = text.split("\n", 1)[-1]
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            if text.lstrip().startswith("<"):
                return listing_links(text, url, article_pattern)
            return ListingLinks([], [])
        return _json_links(data, url, article_pattern)
    declared = _charset(content_type)
    if isinstance(body, bytes) and declared:
        # an unknown charset: lxml reads the page's own declaration
        with contextlib.suppress(LookupError):
            body = body.decode(declared, errors="replace")
    return listing_links(body, url, article_pattern)


def _with_page_number(url: str, number: int) -> str | None:
    """``url`` with its page parameter (the only numeric one of :data:`PAGE_PARAMS`, or the
    only numeric one at all) set to ``number``."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    numeric = [i for i, (_, v) in enumerate(query) if v.isdigit()]
    named = [
        i for i in numeric if query[i][0].lower() in PAGE_PARAMS or query[i][0].upper() == "PAGEN_1"
    ]
    chosen = named if named else numeric
    if len(chosen) != 1:
        return None
    key = query[chosen[0]][0]
    query[chosen[0]] = (key, str(number))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _json_links(data: object, url: str, article_pattern: re.Pattern[str] | None) -> ListingLinks:
    is_article = _article_test(article_pattern)
    articles: list[str] = []
    pages: list[str] = []
    fragments: list[str] = []
    nexts: list[str] = []
    no_more = False
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        key, node = stack.pop()
        if isinstance(node, dict):
            items = [(re.sub(r"[-_\s]", "", str(k)).lower(), v) for k, v in node.items()]
            stack.extend(reversed(items))
        elif isinstance(node, list):
            stack.extend((key, v) for v in reversed(node))
        elif isinstance(node, bool):
            if (key in _JSON_HAS_MORE_KEYS and not node) or (key in _JSON_LAST_KEYS and node):
                no_more = True
        elif isinstance(node, int) and key in _JSON_NEXT_KEYS:
            if node > 0 and (next_url := _with_page_number(url, node)):
                nexts.append(next_url)
        elif isinstance(node, str):
            value = node.strip()
            if key in _JSON_NEXT_KEYS:
                if value.isdigit():
                    next_url = _with_page_number(url, int(value))
                    if next_url:
                        nexts.append(next_url)
                elif _URL_STRING.fullmatch(value) or value.startswith("?"):
                    nexts.append(urljoin(url, value).split("#", 1)[0])
            elif "<" in value and (key in _JSON_HTML_KEYS or "href=" in value.lower()):
                inner = listing_links(value, url, article_pattern)
                articles += inner.articles
                pages += inner.next_pages
                fragments += inner.fragments
            elif _URL_STRING.fullmatch(value):
                try:
                    absolute = urljoin(url, value).split("#", 1)[0]
                except ValueError:
                    continue
                if (
                    absolute.startswith(("http://", "https://"))
                    and same_site(absolute, url)
                    and is_article(absolute)
                ):
                    articles.append(absolute)
    for next_url in nexts:
        if not (next_url.startswith(("http://", "https://")) and same_site(next_url, url)):
            continue
        if is_article(next_url):
            articles.append(next_url)
        elif not no_more:
            fragments.append(next_url)
    articles = _dedup(articles, url)
    return ListingLinks(
        articles,
        _dedup([p for p in pages if p not in articles], url),
        _dedup([f for f in fragments if f not in articles and f not in pages], url),
    )
