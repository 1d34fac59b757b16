"""The links of an article page: which go to another article of the same site (not to a tag,
section or file, not to the page itself), which to a social network or messenger profile — and
the marks put around an in-sentence link to another article, which the extraction turns into
spans the rules do not see (``Article.linked``)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml.etree import _Element

# Marks around the text of an in-sentence link to another article: printable (trafilatura drops
# unprintable characters) and rare; a page that itself uses them is not marked.
LINK_OPEN = "\u2e28"  # ⸨
LINK_CLOSE = "\u2e29"  # ⸩

# Path segments of listing pages rather than articles.
TAG_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "topic",
        "topics",
        "theme",
        "themes",
        "tema",
        "temy",
        "category",
        "categories",
        "cat",
        "section",
        "sections",
        "rubric",
        "rubrics",
        "rubrika",
        "rubriki",
        "author",
        "authors",
        "person",
        "persons",
        "people",
        "keyword",
        "keywords",
        "label",
        "labels",
        "search",
        "country",
        "region",
        "regions",
        "geo",
        "page",
        "z",
    }
)
SOCIAL_HOSTS = (
    "t.me",
    "telegram.me",
    "telegram.org",
    "facebook.com",
    "fb.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "youtube.com",
    "vk.com",
    "ok.ru",
    "tiktok.com",
    "whatsapp.com",
    "wa.me",
    "linkedin.com",
    "dzen.ru",
    "threads.net",
    "viber.com",
    "invite.viber.com",
)
_FILE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|mp[34]|zip)$", re.I)
_HAS_NUMBER = re.compile(r"\d{3,}")


def _host(netloc: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    for prefix in ("www.", "m.", "mobile.", "amp."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def _same_site(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)


class Links:
    """Classifies a page's links: to another article of the same site, to a social profile."""

    def __init__(self, page_url: str, *aliases: str) -> None:
        parts = urlsplit(page_url)
        self.base = page_url
        self.host = _host(parts.netloc)
        # the page's own site: its address's, and the site its canonical URL names (a page
        # served from a mirror or another host of the outlet links to the outlet's own host)
        self.hosts = {self.host} | {h for u in aliases if (h := _host(urlsplit(u).netloc))}
        self.own = {urlsplit(u).path.rstrip("/") for u in (page_url, *aliases)}

    def kind(self, href: str | None) -> str | None:
        """``"article"``, ``"social"`` or None (anything else)."""
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            return None
        href = href.strip()
        if href.startswith("/") and not href.startswith("//"):  # most links: no URL parsing
            path, _, query = href.partition("#")[0].partition("?")
            return self._same_site_kind(path, query)
        try:
            parts = urlsplit(urljoin(self.base, href))
        except ValueError:
            return None
        host = _host(parts.netloc)
        if not host:
            return None
        if not any(_same_site(host, own) for own in self.hosts):
            return "social" if self._social(host, parts.path) else None
        return self._same_site_kind(parts.path, parts.query)

    def _same_site_kind(self, path: str, query: str) -> str | None:
        path = path.rstrip("/")
        if path in self.own or _FILE_EXT.search(path):
            return None
        segments = [s for s in path.split("/") if s]
        if any(s.lower() in TAG_SEGMENTS for s in segments[:2]):
            return None
        if len(segments) >= 2 or _HAS_NUMBER.search(path) or _HAS_NUMBER.search(query):
            return "article"
        if segments and segments[-1].count("-") >= 2:
            return "article"
        return None

    @staticmethod
    def _social(host: str, path: str) -> bool:
        if not any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS):
            return False
        segments = [s for s in path.split("/") if s]
        # a profile or channel ("follow us"), not a post or a video (/user/status/123, /watch)
        return (
            len(segments) <= 2
            and "status" not in segments
            and "p" not in segments
            and not (segments and segments[0] in ("watch", "embed", "shorts", "reel", "video"))
        )


def mark(a: _Element) -> None:
    """Put the link marks around the anchor's text (left in place: it is part of a sentence)."""
    if not "".join(a.itertext()).strip():
        return
    a.text = LINK_OPEN + (a.text or "")
    if len(a):
        last = a[-1]
        last.tail = (last.tail or "") + LINK_CLOSE
    else:
        a.text += LINK_CLOSE


def linked_spans(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text without link marks, and the spans the marks enclosed."""
    if LINK_OPEN not in text and LINK_CLOSE not in text:
        return text, ()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for ch in text:
        if ch == LINK_OPEN:
            start = length
        elif ch == LINK_CLOSE:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            if ch == "\n" and start is not None:  # a mark the extraction cut short
                if length > start:
                    spans.append((start, length))
                start = None
            out.append(ch)
            length += 1
    if start is not None and length > start:
        spans.append((start, length))
    return "".join(out), tuple(spans)


def strip_marks(text: str | None) -> str | None:
    if text is None:
        return None
    return text.replace(LINK_OPEN, "").replace(LINK_CLOSE, "")
