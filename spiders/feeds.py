"""Feed parsing (RSS 0.9x/1.0/2.0, Atom) into the article links they announce."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import feedparser


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None = None
    published: str | None = None


class FeedError(ValueError):
    """A response that is not a usable feed."""


def parse_feed(body: bytes, url: str) -> list[FeedEntry]:
    """The entries of a feed, links made absolute against the feed URL, in feed order."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a readable feed: {reason}")
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            for alt in entry.get("links", []):
                if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                    link = alt["href"]
                    break
        if not link:
            continue
        absolute = urljoin(url, link.strip())
        if not absolute.startswith(("http://", "https://")) or absolute in seen:
            continue
        seen.add(absolute)
        entries.append(
            FeedEntry(
                url=absolute,
                title=entry.get("title"),
                published=entry.get("published") or entry.get("updated"),
            )
        )
    return entries
