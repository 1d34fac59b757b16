"""Article extraction: ``extract_article(html, url) -> Article | None``. A pure function.

The page is parsed, its metadata read (``crawler.extract.metadata``), its furniture pruned
(``crawler.extract.pruning``), and trafilatura finds the article body in what is left.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html
from lxml.etree import ParserError, _Element
from trafilatura.metadata import extract_metadata

from crawler.extract.article_links import linked_spans, strip_marks
from crawler.extract.inserts import prune_inserts
from crawler.extract.metadata import (
    PageHead,
    byline_author,
    canonical_page_url,
    clean_title,
    declared_author,
    declared_page_urls,
    detect_language,
    headline_and_site,
    not_article_reason,
    page_author,
    page_description,
    page_types,
    published_date,
)
from crawler.extract.pruning import prune
from crawler.extract.stories import Signature
from crawler.extract.template import Layout, Template, find, layout
from crawler.extract.template_fields import read_author, read_date, read_title

MIN_TEXT_CHARS = 200


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
    story_vector: bytes | None = field(default=None, repr=False)  # see extract/embedding.py
    evidence: tuple[str, ...] = ()  # figures, dates, times of title + lead (extract/evidence.py)
    # spans of ``text`` that are the anchor text of links to other articles of the same site,
    # inside running sentences: kept for reading, never seen by the rules
    linked: tuple[tuple[int, int], ...] = ()
    # the page's lines with their places (``crawler.extract.template``), when asked for: what
    # the outlet's page template is learned from; not stored
    layout: Layout | None = field(default=None, repr=False, compare=False)
    by_template: bool = False  # read from the outlet's learned container, not generically
    template_key: str | None = None  # which of the outlet's templates read it
    # the near-duplicate signature of ``text``, made beside the extraction, with the
    # fingerprint of the text it was made of (a text changed since is signed again)
    signed: tuple[str, Signature | None] | None = field(default=None, repr=False, compare=False)


_PARSER = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
_FP_WORD = re.compile(r"\w+")


def fingerprint(text: str) -> str:
    """A hash of the article's words: equal for copies that differ only in markup or spacing."""
    words = _FP_WORD.findall(text.casefold())
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Light:
    date: str | None
    title: str | None
    sitename: None = None
    author: None = None
    description: None = None


def _around(el: _Element, levels: int = 2) -> _Element:
    """The element's surroundings: its ancestor ``levels`` up (the headline, date and byline
    printed beside an article's body)."""
    for _ in range(levels):
        parent = el.getparent()
        if parent is None:
            break
        el = parent
    return el


def _light_metadata(tree: _Element, url: str, *, date: bool = True, title: bool = True) -> _Light:
    """The date and title of a page whose metadata lacks them (htmldate's quick search, the
    first ``<h1>`` or the ``<title>``): only those asked for."""
    found_date = None
    if date:
        try:
            found_date = find_date(tree, extensive_search=False, url=url, original_date=True)
        except (ValueError, TypeError):
            found_date = None
    return _Light(found_date, _first_heading(tree) if title else None)


def _first_heading(tree: _Element) -> str | None:
    return _tag_text(tree, "h1") or _tag_text(tree, "title")


def _tag_text(tree: _Element, tag: str) -> str | None:
    """The text of the page's first element ``tag``, spaces folded."""
    first = next(tree.iter(tag), None)
    if first is None:
        return None
    return " ".join(first.text_content().split()) or None


def parse_page(html: str | bytes, *, quick: bool = False) -> _Element | None:
    """The page as an lxml tree without comments and processing instructions (trafilatura's
    loader: it also parses an XHTML page whose text still carries an XML encoding declaration).
    ``quick``: lxml's parser straight away (a page of an outlet with a learned template: its
    pages parse), trafilatura's loader, which first repairs the whole text, only when that fails."""
    if quick and isinstance(html, str):
        try:
            tree = lxml_html.document_fromstring(html, parser=trafilatura.utils.HTML_PARSER)
        except (ParserError, ValueError):  # control characters, an XML encoding declaration
            tree = None
        if tree is not None and len(tree) >= 1:
            return tree
    tree = trafilatura.utils.load_html(html)
    if tree is not None:
        return tree
    try:
        return lxml_html.document_fromstring(html, parser=_PARSER)
    except (ParserError, ValueError):
        return None


def _bare(tree: _Element, url: str) -> Any:
    # trafilatura's balanced mode: newsmon's own pruning and insert recognition take the
    # furniture out before it runs. favor_precision cost recall (link-holding paragraphs, whole
    # articles when it settled on a reprint notice) for a precision the pruning now gives
    # (measured, docs/performance.md).
    return trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
        deduplicate=False,
        favor_precision=False,
    )


def _text_of(doc: Any) -> str:
    return (getattr(doc, "text", None) or "").strip() if doc is not None else ""


_LINE_KEY = re.compile(r"\W+")


def _line_key(line: str) -> str:
    return _LINE_KEY.sub(" ", strip_marks(line) or "").strip().casefold()


def _body_lines(text: str, titles: Iterable[str | None], urls: Iterable[str]) -> str:
    """The extracted text without blank lines, without the headline repeated as its first lines
    (the title is stored and matched on its own) and without lines that are the page's URL."""
    heads = {_line_key(t) for t in titles if t}
    own = {u.rstrip("/") for u in urls}
    lines = [line for line in text.split("\n") if line.strip()]
    while lines and _line_key(lines[0]) in heads:
        lines.pop(0)
    return "\n".join(line for line in lines if line.strip().rstrip("/") not in own)


def with_body(
    article: Article, raw: str, min_chars: int = MIN_TEXT_CHARS, template_key: str | None = None
) -> Article | None:
    """The article with another body (its lines read by a template learned after it was
    extracted), cleaned as an extraction cleans it; None when too little is left."""
    body_lines = _body_lines(raw, (article.title,), (article.url,))
    text, linked = linked_spans(body_lines)
    if len(text) < min_chars:
        return None
    return replace(
        article,
        text=text,
        fingerprint=fingerprint(text),
        linked=linked,
        by_template=True,
        template_key=template_key,
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
    templates: Sequence[Template] = (),
    with_layout: bool = False,
) -> Article | str:
    """The page's article, or the reason it holds none (for the crawl records). With the
    outlet's learned ``template``, the article is read from its container when the page fits
    it (else generically); ``with_layout`` keeps the page's layout on the article (to learn a
    template from)."""
    prune_xpaths = tuple(prune_xpaths)
    tree = parse_page(html, quick=bool(templates))
    if tree is None:
        return "unparsable HTML"
    head = PageHead(tree)
    own_urls = declared_page_urls(tree, head, url)
    canonical = canonical_page_url(tree, head, url, own_urls)
    aliases = (canonical, *own_urls)  # the page's own addresses
    published_meta = published_date(tree, head)
    declared = page_types(head)
    headline, site_name = headline_and_site(tree, head)
    lang = detect_language(tree, "", head)
    # With the outlet's templates, only the article container of the first one the page fits
    # is pruned and read (a few milliseconds); a page that fits none is read generically.
    page: Layout | None = None
    by_template: str | None = None
    read_by: Template | None = None
    for template in templates:
        container = find(tree, template.container)
        if container is None:
            continue
        prune(container, prune_xpaths)
        prune_inserts(container, url, *aliases)
        by_template = template.text_of(layout(container, template.container))
        if by_template is not None:
            read_by = template
            break
    author = None
    if read_by is not None:
        # what the page's metadata lacks, from where the outlet prints it (learned with the
        # template); the byline, else, looked for around the article only
        author = (
            declared_author(head)
            or read_author(tree, read_by.author_at)
            or byline_author(tree, _around(container))
        )
        headline = headline or read_title(tree, read_by.title_at)
        if published_meta is None and read_by.date_at is not None:
            # a date in words is read in the page's language (declared, else its text's)
            text_so_far = by_template or ""
            published_meta = read_date(
                tree, read_by.date_at, lambda: lang or detect_language(None, text_so_far)
            )
    # trafilatura's own metadata (htmldate, bylines) costs as much as finding the article: read
    # only for a page that declares no date or headline (on the pruned tree); a page read by
    # its template needs only a date and a title: htmldate and its <h1>/<title> give them
    lacking = published_meta is None or headline is None
    fallback: Any = (
        _light_metadata(tree, url, date=published_meta is None, title=headline is None)
        if lacking and by_template
        else None
    )
    if by_template is None:
        author = page_author(tree, head)
        prune(tree, prune_xpaths)
        fallback = extract_metadata(tree, url) if lacking else None
        body = tree.find("body")
        prune_inserts(body if body is not None else tree, url, *aliases)
        page = layout(tree) if templates or with_layout else None
    if by_template is not None:
        raw = by_template
    else:
        doc = _bare(tree, url)
        if not _text_of(doc):
            # Pruning left nothing (a tiny page whose article sits in a "widget"): take the
            # page as trafilatura alone sees it rather than lose the article.
            pristine = parse_page(html)
            doc = _bare(pristine, url) if pristine is not None else None
        if doc is None:
            return "no main text found"
        raw = _text_of(doc)
    published = published_meta or getattr(fallback, "date", None) or None
    reason = not_article_reason(*declared, published)
    if reason:
        return reason
    title = clean_title(
        headline or getattr(fallback, "title", None),
        site_name or getattr(fallback, "sitename", None),
    )
    # composed characters (NFC), as trafilatura's own output: "geprüft" written with a
    # combining diaeresis matches a rule's "geprüft"
    raw = unicodedata.normalize("NFC", raw)
    body_lines = _body_lines(raw, (headline, title), (url, *aliases))
    text, linked = linked_spans(body_lines)
    if len(text) < min_chars:
        return f"text too short ({len(text)} < {min_chars} characters)"
    author = author or getattr(fallback, "author", None) or None
    language = lang or detect_language(None, text)
    if page is not None:  # what the page says it is, to learn where the outlet prints it
        known_title = headline or _tag_text(tree, "title")
        page = replace(
            page, title=known_title, published=published, author=author, language=language
        )
    return Article(
        url=canonical,
        title=title,
        text=text,
        author=author,
        published=published,
        language=language,
        description=page_description(head) or getattr(fallback, "description", None) or None,
        fingerprint=fingerprint(text),
        linked=linked,
        # a page that does not fit its template brings its layout too: the layout may have changed
        layout=page,
        by_template=by_template is not None,
        template_key=read_by.key if read_by is not None else None,
    )
