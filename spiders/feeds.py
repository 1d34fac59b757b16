"""Feeds: RSS 0.9x/1.0/2.0 and Atom (via feedparser), JSON Feed 1.0/1.1, and feed
autodiscovery from a homepage's ``<link rel="alternate">``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import html as lxml_html
from lxml.etree import ParserError

# Links that are never article pages: documents, images, audio, video, archives.
NON_HTML_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".svg",
    ".mp3",
    ".mp4",
    ".m4a",
    ".ogg",
    ".webm",
    ".avi",
    ".mov",
    ".zip",
    ".rar",
    ".7z",
    ".gz",
    ".exe",
    ".apk",
)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None = None
    published: str | None = None


class FeedError(ValueError):
    """A response that is not a usable feed."""


def is_non_html(url: str) -> bool:
    """True for links to documents, media and archives (judged by the path's extension)."""
    return urlsplit(url).path.lower().endswith(NON_HTML_SUFFIXES)


def _looks_like_json(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _json_feed(body: bytes) -> list[tuple[str, str | None, str | None]]:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError(f"not a readable JSON Feed: {exc}") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedError("JSON document is not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed without an items list")
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if isinstance(link, str):
            title = item.get("title")
            date = item.get("date_published") or item.get("date_modified")
            out.append(
                (
                    link,
                    title if isinstance(title, str) else None,
                    date if isinstance(date, str) else None,
                )
            )
    return out


def _xml_feed(body: bytes, url: str) -> list[tuple[str, str | None, str | None]]:
    # only links, titles and dates are read: the entries' HTML is neither sanitized nor has
    # its links resolved (a third of feedparser's time on a feed of summaries)
    parsed = feedparser.parse(
        body,
        response_headers={"content-location": url},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a readable feed: {reason}")
    if not parsed.entries and not parsed.get("version"):
        raise FeedError("not a feed (no RSS, Atom or JSON Feed document)")
    out = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            for alt in entry.get("links", []):
                if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                    link = alt["href"]
                    break
        if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
            link = entry["id"]  # some RSS feeds only carry a permalink guid
        out.append((link, entry.get("title"), entry.get("published") or entry.get("updated")))
    return out


def parse_feed(body: bytes, url: str) -> list[FeedEntry]:
    """The entries of a feed, links made absolute against the feed URL, in feed order.

    Entries that point at documents or media (PDF, images, audio) are left out: they are not
    article pages.
    """
    raw = _json_feed(body) if _looks_like_json(body) else _xml_feed(body, url)
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for link, title, published in raw:
        if not link:
            continue
        absolute = urljoin(url, link.strip())
        if not absolute.startswith(("http://", "https://")) or absolute in seen:
            continue
        if is_non_html(absolute):
            continue
        seen.add(absolute)
        entries.append(FeedEntry(url=absolute, title=title, published=published))
    return entries


def discover_feeds(html: str, base_url: str) -> list[str]:
    """Feed URLs a page announces with ``<link rel="alternate" type="…rss/atom/json…">``.

    Comment feeds are left out. Relative URLs are resolved against the page (and its
    ``<base href>``).
    """
    try:
        tree = lxml_html.document_fromstring(html)
    except (ParserError, ValueError):
        return []
    base = tree.xpath("//base/@href")
    page = urljoin(base_url, str(base[0]).strip()) if base else base_url
    feeds: list[str] = []
    for link in tree.xpath("//link[@href and @type]"):
        rel = (link.get("rel") or "").lower().split()
        ctype = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or ctype not in FEED_TYPES:
            continue
        href = urljoin(page, link.get("href").strip())
        title = (link.get("title") or "").lower()
        if "comment" in href.lower() or "comment" in title or "коммент" in title:
            continue
        if href.startswith(("http://", "https://")) and href not in feeds:
            feeds.append(href)
    return feeds
