"""Sitemaps: sitemap indexes, url sets and Google News sitemaps, plain or gzipped.

Parsed with entity resolution and network access off, so an entity-expansion ("billion laughs")
document cannot blow up memory.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.gz import gunzip

MAX_UNZIPPED = 50 * 1024 * 1024  # the sitemap protocol's own size limit


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    date: datetime | None  # news:publication_date, else lastmod


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    entries: list[SitemapEntry]


class SitemapError(ValueError):
    pass


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _unzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return gunzip(body, max_size=MAX_UNZIPPED)
    except (OSError, EOFError, struct.error) as exc:
        raise SitemapError(f"broken gzip: {exc}") from None
    except ValueError:  # Scrapy's "decompressed past max_size"
        raise SitemapError("sitemap larger than 50 MB once unzipped") from None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, url: str) -> Sitemap:
    """Entries newest first (undated ones last, in document order)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(_unzip(body), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from None
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        raise SitemapError("not a sitemap (no <urlset> or <sitemapindex>)")
    entries = []
    for item in root:
        if _local(item.tag) not in ("url", "sitemap"):
            continue
        loc, lastmod, published = None, None, None
        for child in item.iter():
            name = _local(child.tag)
            if name == "loc" and child.text and loc is None:
                loc = child.text.strip()
            elif name == "lastmod":
                lastmod = child.text
            elif name == "publication_date":
                published = child.text
        if loc:
            entries.append(
                SitemapEntry(urljoin(url, loc), parse_date(published) or parse_date(lastmod))
            )
    oldest = datetime.min.replace(tzinfo=UTC)
    entries.sort(key=lambda e: e.date or oldest, reverse=True)
    return Sitemap(_local(root.tag) == "sitemapindex", entries)
