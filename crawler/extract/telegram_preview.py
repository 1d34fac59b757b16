"""A Telegram channel's public web preview (``https://t.me/s/<channel>``) read into posts.

The preview page lists a channel's latest messages (about twenty), oldest first, each a
``div.tgme_widget_message`` with ``data-post="<channel>/<id>"``; ``?before=<id>`` gives the page
of messages older than ``<id>``. Each message block gives a :class:`Post`: its permalink, its text
(line breaks kept, links kept with their URL), date, views, the ``edited`` mark, the author's
signature, the forwarded-from header, the link preview and the kinds of media it carries
(noted, never downloaded). Service messages ("channel photo updated", "pinned") and posts whose
only content is media the preview cannot show are skipped and counted.

The markup read is the one the public preview has served for years (the same selectors
RSS-Bridge's and RSSHub's Telegram readers use); a page that is recognizably a channel page but
holds no message block at all is reported (``PreviewPage.layout_changed``), never read as an
empty success.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import html as lxml_html
from lxml.etree import ParserError, XPath, _Element

PERMALINK_BASE = "https://t.me"
TITLE_MAX = 120

# A public username: 5-32 characters, letters, digits and underscores, starting with a letter.
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]$")
_PERMALINK = re.compile(r"^https?://t\.me/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,31})/(\d+)/?$")


def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_MESSAGES = XPath(f"//div[{_cls('tgme_widget_message')} and @data-post]")
_CHANNEL_HEADER = XPath(
    f"//div[{_cls('tgme_channel_info')} or {_cls('tgme_channel_info_header')}]"
    f" | //section[{_cls('tgme_channel_history')}]"
)
_TEXT = XPath(
    f".//div[{_cls('tgme_widget_message_text')} and "
    f"not(ancestor::a[{_cls('tgme_widget_message_reply')}])]"
)
_DATE = XPath(f".//a[{_cls('tgme_widget_message_date')}]//time/@datetime")
_META = XPath(f".//span[{_cls('tgme_widget_message_meta')}]")
_VIEWS = XPath(f".//span[{_cls('tgme_widget_message_views')}]")
_SIGNATURE = XPath(f".//span[{_cls('tgme_widget_message_from_author')}]")
_FORWARDED = XPath(f".//*[{_cls('tgme_widget_message_forwarded_from')}]")
_FORWARDED_NAME = XPath(f".//*[{_cls('tgme_widget_message_forwarded_from_name')}]")
_PREVIEW = XPath(f".//a[{_cls('tgme_widget_message_link_preview')}]")
_PREVIEW_PART = {
    part: XPath(f".//*[{_cls('link_preview_' + part)}]")
    for part in ("site_name", "title", "description")
}
_NOT_SUPPORTED = XPath(f".//*[{_cls('message_media_not_supported_wrap')}]")
_POLL_QUESTION = XPath(f".//*[{_cls('tgme_widget_message_poll_question')}]")
_DOCUMENT_TITLE = XPath(f".//*[{_cls('tgme_widget_message_document_title')}]")
_MEDIA = (
    ("album", XPath(f".//*[{_cls('tgme_widget_message_grouped_wrap')}]")),
    ("photo", XPath(f".//a[{_cls('tgme_widget_message_photo_wrap')}]")),
    ("video", XPath(f".//*[{_cls('tgme_widget_message_video_player')}]")),
    ("round video", XPath(f".//*[{_cls('tgme_widget_message_roundvideo_player')}]")),
    ("voice", XPath(f".//*[{_cls('tgme_widget_message_voice_player')}]")),
    ("document", XPath(f".//*[{_cls('tgme_widget_message_document')}]")),
    ("poll", XPath(f".//*[{_cls('tgme_widget_message_poll')}]")),
    ("sticker", XPath(f".//*[{_cls('tgme_widget_message_sticker_wrap')}]")),
    ("location", XPath(f".//*[{_cls('tgme_widget_message_location_wrap')}]")),
)
_URL_IN_TEXT = re.compile(r"\s*\(?https?://\S+\)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


@dataclass(frozen=True)
class LinkPreview:
    url: str
    site: str | None = None
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Post:
    channel: str  # the username as the preview spells it
    id: int
    text: str  # line breaks kept; a link as "anchor (URL)" unless its anchor is the URL
    links: tuple[str, ...] = ()  # the URLs linked in the text, in order
    # spans of ``text`` that are URLs of links: kept for reading, never seen by the rules
    link_spans: tuple[tuple[int, int], ...] = ()
    published: str | None = None  # ISO 8601, from time[datetime]
    views: int | None = None
    edited: bool = False
    signature: str | None = None  # the author's signature under the post
    forwarded_from: str | None = None  # the original channel or site named in the header
    forwarded_url: str | None = None
    preview: LinkPreview | None = None
    media: tuple[str, ...] = ()  # photo, album (n photos), video, document, poll, …

    @property
    def url(self) -> str:
        """The post's permalink, its canonical URL."""
        return permalink(self.channel, self.id)

    @property
    def first_link(self) -> str | None:
        """The linked article: the link preview's URL, else the text's first link."""
        if self.preview is not None:
            return self.preview.url
        return self.links[0] if self.links else None

    @property
    def poll_question(self) -> str | None:
        for kind in self.media:
            if kind.startswith("poll: "):
                return kind.removeprefix("poll: ")
        return None

    @property
    def title(self) -> str | None:
        """The first line or sentence of the text (at most 120 characters), else the link
        preview's title, else the media it holds."""
        for line in self.text.split("\n"):
            line = " ".join(_URL_IN_TEXT.sub(" ", line).split())
            if line:
                return short_title(line)
        for other in (self.poll_question, self.preview.title if self.preview else None):
            if other:
                return short_title(other)
        return None


@dataclass
class PreviewPage:
    """What one preview page holds."""

    posts: list[Post] = field(default_factory=list)  # oldest first, as the page lists them
    blocks: int = 0  # message blocks found (posts + skipped)
    ids: list[int] = field(default_factory=list)  # every block's message id
    service: int = 0  # service messages skipped
    unsupported: int = 0  # "media not supported" posts with nothing else, skipped
    empty: int = 0  # posts with neither text nor link preview, skipped
    channel_page: bool = False  # the page has a channel header or message history

    @property
    def layout_changed(self) -> bool:
        """No message block on the page: the markup changed, or the page is not a preview."""
        return self.blocks == 0

    @property
    def oldest_id(self) -> int | None:
        """The oldest message id on the page (posts and skipped blocks): ``?before=`` it gives
        the page before this one."""
        return min(self.ids) if self.ids else None


def permalink(channel: str, post_id: int) -> str:
    return f"{PERMALINK_BASE}/{channel}/{post_id}"


def parse_permalink(url: str) -> tuple[str, int] | None:
    """``https://t.me/<channel>/<id>`` → (channel, id); None for any other URL."""
    m = _PERMALINK.match(url.strip())
    return (m.group(1), int(m.group(2))) if m else None


def article_kind(url: str) -> str:
    """``telegram`` for a post's permalink, else ``web``."""
    return "telegram" if parse_permalink(url) else "web"


def short_title(line: str) -> str:
    """The first sentence of a line, cut at a word to at most 120 characters."""
    first = _SENTENCE_END.split(line, maxsplit=1)[0].strip()
    if len(first) <= TITLE_MAX:
        return first
    cut = first[: TITLE_MAX - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def parse_views(text: str) -> int | None:
    """``"12.3K"`` → 12300, ``"1.2M"`` → 1200000, ``"987"`` → 987."""
    m = re.match(r"^\s*([\d.,]+)\s*([KkMm]?)\s*$", text or "")
    if not m:
        return None
    try:
        value = float(m.group(1).replace(",", "."))
    except ValueError:
        return None
    scale = {"k": 1_000, "m": 1_000_000}.get(m.group(2).lower(), 1)
    return int(round(value * scale))


def _clean(el: _Element | None) -> str | None:
    if el is None:
        return None
    text = " ".join(el.text_content().split())
    return text or None


def _first(found: list[_Element]) -> _Element | None:
    return found[0] if found else None


def _bare(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").lower()


def _rich_text(el: _Element) -> tuple[str, tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The text of a message: ``<br>`` as a line break, a link as "anchor (URL)" (its URL
    span returned apart), emoji images as their alt text."""
    parts: list[str] = []
    links: list[str] = []
    spans: list[tuple[int, int]] = []
    size = 0

    def add(text: str) -> None:
        nonlocal size
        parts.append(text)
        size += len(text)

    def walk(node: _Element) -> None:
        if node.text:
            add(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                add("\n")
            elif tag == "a" and child.get("href", "").startswith(("http://", "https://")):
                href = child.get("href", "").strip()
                anchor = child.text_content()
                links.append(href)
                if anchor.strip() and _bare(anchor) != _bare(href):
                    add(anchor)
                    add(" (")
                    spans.append((size, size + len(href)))
                    add(href)
                    add(")")
                else:
                    spans.append((size, size + len(href)))
                    add(href)
            elif tag == "img" and child.get("alt"):
                add(child.get("alt", ""))
            elif tag:
                walk(child)
            if child.tail:
                add(child.tail)

    walk(el)
    raw = "".join(parts)
    return raw, tuple(dict.fromkeys(links)), tuple(spans)


def _tidy(raw: str, spans: tuple[tuple[int, int], ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Spaces inside each line collapsed, blank lines dropped, the URL spans moved along."""
    out: list[str] = []
    new_spans: list[tuple[int, int]] = []
    pos = 0  # position in raw
    size = 0  # length of the output so far
    for line in raw.split("\n"):
        start = pos
        pos += len(line) + 1
        words = list(re.finditer(r"\S+", line))
        if not words:
            continue
        if out:
            out.append("\n")
            size += 1
        mapping: dict[int, int] = {}
        pieces: list[str] = []
        for i, w in enumerate(words):
            if i:
                pieces.append(" ")
                size += 1
            for k in range(w.start(), w.end() + 1):
                mapping[start + k] = size + (k - w.start())
            pieces.append(w.group())
            size += len(w.group())
        out.append("".join(pieces))
        for a, b in spans:
            if a in mapping and b in mapping:
                new_spans.append((mapping[a], mapping[b]))
    return "".join(out), tuple(new_spans)


def _media(block: _Element) -> tuple[str, ...]:
    kinds: list[str] = []
    for kind, path in _MEDIA:
        found = path(block)
        if not found:
            continue
        if kind == "album":
            photos = len(block.xpath(f".//a[{_cls('tgme_widget_message_photo_wrap')}]"))
            videos = len(block.xpath(f".//a[{_cls('tgme_widget_message_video_player')}]"))
            kinds.append(f"album ({photos + videos} items)")
            continue
        if kind in ("photo", "video") and any(k.startswith("album") for k in kinds):
            continue
        if kind == "photo" and _PREVIEW(block):
            # the link preview's own picture is not a photo of the post
            outside = [
                p
                for p in found
                if not p.xpath(f"ancestor::a[{_cls('tgme_widget_message_link_preview')}]")
            ]
            if not outside:
                continue
        if kind == "document":
            title = _clean(_first(_DOCUMENT_TITLE(block)))
            kinds.append(f"document: {title}" if title else "document")
            continue
        if kind == "poll":
            question = _clean(_first(_POLL_QUESTION(block)))
            kinds.append(f"poll: {question}" if question else "poll")
            continue
        kinds.append(kind)
    return tuple(kinds)


def _post(block: _Element, channel: str, post_id: int) -> Post:
    text_el = _first(_TEXT(block))
    raw, links, spans = _rich_text(text_el) if text_el is not None else ("", (), ())
    text, spans = _tidy(raw, spans)
    dates = _DATE(block)
    meta = " ".join(_clean(m) or "" for m in _META(block))
    views = _clean(_first(_VIEWS(block)))
    forwarded = _first(_FORWARDED(block))
    forwarded_name = forwarded_url = None
    if forwarded is not None:
        name_el = _first(_FORWARDED_NAME(forwarded))
        forwarded_name = _clean(name_el if name_el is not None else forwarded)
        if forwarded_name and name_el is None:
            forwarded_name = re.sub(r"^Forwarded from\s*", "", forwarded_name) or None
        if name_el is not None and name_el.get("href"):
            forwarded_url = name_el.get("href")
    preview = None
    preview_el = _first(_PREVIEW(block))
    if preview_el is not None and preview_el.get("href"):
        preview = LinkPreview(
            url=preview_el.get("href", "").strip(),
            site=_clean(_first(_PREVIEW_PART["site_name"](preview_el))),
            title=_clean(_first(_PREVIEW_PART["title"](preview_el))),
            description=_clean(_first(_PREVIEW_PART["description"](preview_el))),
        )
    return Post(
        channel=channel,
        id=post_id,
        text=text,
        links=links,
        link_spans=spans,
        published=str(dates[0]) if dates else None,
        views=parse_views(views) if views else None,
        edited="edited" in meta.lower().split(),
        signature=_clean(_first(_SIGNATURE(block))),
        forwarded_from=forwarded_name,
        forwarded_url=forwarded_url,
        preview=preview,
        media=_media(block),
    )


def parse_preview(html: str | bytes) -> PreviewPage:
    """The posts of one preview page (and what was skipped)."""
    page = PreviewPage()
    try:
        tree = lxml_html.document_fromstring(html) if html and html.strip() else None
    except (ParserError, ValueError):
        tree = None
    if tree is None:
        return page
    page.channel_page = bool(_CHANNEL_HEADER(tree))
    for block in _MESSAGES(tree):
        page.blocks += 1
        channel, _, number = (block.get("data-post") or "").partition("/")
        if not channel or not number.isdigit():
            continue
        page.ids.append(int(number))
        classes = set((block.get("class") or "").split())
        if "service_message" in classes:
            page.service += 1
            continue
        post = _post(block, channel, int(number))
        if not post.text and post.preview is None and not post.media:
            if _NOT_SUPPORTED(block):
                page.unsupported += 1
            else:
                page.empty += 1
            continue
        if not post.text and post.preview is None and not post.poll_question:
            page.empty += 1  # media without a caption: nothing to read or match
            continue
        page.posts.append(post)
    return page


def preview_path(url: str) -> bool:
    """Whether a URL is a preview page (``/s/<channel>``), not a channel's landing page."""
    return urlsplit(url).path.startswith("/s/")
