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
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import html as lxml_html
from lxml.etree import ParserError, XPath, _Element

PERMALINK_BASE = "https://t.me"
TITLE_MAX = 120

# A public username: 5-32 characters, letters, digits and underscores, starting with a letter.
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]$")
_PERMALINK = re.compile(r"^https?://t\.me/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,31})/(\d+)/?$")


_MESSAGES = XPath("//div[@data-post]")
_CHANNEL_CLASSES = {"tgme_channel_info", "tgme_channel_info_header", "tgme_channel_history"}
# media kinds by the class of their element, in the order they are named
_MEDIA = (
    ("album", "tgme_widget_message_grouped_wrap"),
    ("photo", "tgme_widget_message_photo_wrap"),
    ("video", "tgme_widget_message_video_player"),
    ("round video", "tgme_widget_message_roundvideo_player"),
    ("voice", "tgme_widget_message_voice_player"),
    ("document", "tgme_widget_message_document"),
    ("poll", "tgme_widget_message_poll"),
    ("sticker", "tgme_widget_message_sticker_wrap"),
    ("location", "tgme_widget_message_location_wrap"),
)
Index = dict[str, list[_Element]]


def _index(block: _Element) -> Index:
    """The block's elements by class, in document order (one pass over the block)."""
    found: Index = {}
    for el in block.iter():
        classes = el.get("class") if isinstance(el.tag, str) else None
        if classes:
            for name in classes.split():
                found.setdefault(name, []).append(el)
    return found


def _inside(el: _Element, container: _Element) -> bool:
    return any(parent is container for parent in el.iterancestors())


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
    known: int = 0  # posts the caller already has, not edited: not read
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
    """The post's canonical URL; also its URL key (``crawler.extract.urls.url_key``)."""
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


# around a link's URL while the text is put together (URLs hold no white space, so the marks
# stay next to them when spaces are collapsed); taken out again by _tidy
_OPEN, _CLOSE = "\ue000", "\ue001"


def _rich_text(el: _Element) -> tuple[str, tuple[str, ...]]:
    """The text of a message: ``<br>`` as a line break, a link as "anchor (URL)" (its URL
    between marks), emoji images as their alt text."""
    parts: list[str] = []
    links: list[str] = []

    def walk(node: _Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                parts.append("\n")
            elif tag == "a" and child.get("href", "").startswith(("http://", "https://")):
                href = child.get("href", "").strip()
                anchor = child.text_content()
                links.append(href)
                if anchor.strip() and _bare(anchor) != _bare(href):
                    parts.append(f"{anchor} ({_OPEN}{href}{_CLOSE})")
                else:
                    parts.append(f"{_OPEN}{href}{_CLOSE}")
            elif tag == "img" and child.get("alt"):
                parts.append(child.get("alt", ""))
            elif tag:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts), tuple(dict.fromkeys(links))


def _tidy(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Spaces inside each line collapsed, blank lines dropped; the marked URLs' spans."""
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    text = "\n".join(line for line in lines if line.strip(_OPEN + _CLOSE))
    if _OPEN not in text:
        return text, ()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    size = pos = 0
    while (start := text.find(_OPEN, pos)) >= 0:
        end = text.find(_CLOSE, start)
        if end < 0:
            break
        out.append(text[pos:start])
        size += start - pos
        url = text[start + 1 : end]
        out.append(url)
        spans.append((size, size + len(url)))
        size += len(url)
        pos = end + 1
    out.append(text[pos:])
    return "".join(out).replace(_OPEN, "").replace(_CLOSE, ""), tuple(spans)


def _media(idx: Index) -> tuple[str, ...]:
    kinds: list[str] = []
    previews = idx.get("tgme_widget_message_link_preview", [])
    album = bool(idx.get("tgme_widget_message_grouped_wrap"))
    for kind, name in _MEDIA:
        found = idx.get(name)
        if not found:
            continue
        if kind == "album":
            items = len(idx.get("tgme_widget_message_photo_wrap", [])) + len(
                idx.get("tgme_widget_message_video_player", [])
            )
            kinds.append(f"album ({items} items)")
        elif kind in ("photo", "video") and album:
            continue
        elif kind == "photo" and all(_inside(p, pr) for p in found for pr in previews[:1]):
            continue  # the link preview's own picture is not a photo of the post
        elif kind == "document":
            title = _clean(_first(idx.get("tgme_widget_message_document_title", [])))
            kinds.append(f"document: {title}" if title else "document")
        elif kind == "poll":
            question = _clean(_first(idx.get("tgme_widget_message_poll_question", [])))
            kinds.append(f"poll: {question}" if question else "poll")
        else:
            kinds.append(kind)
    return tuple(kinds)


def _text_element(idx: Index) -> _Element | None:
    """The message's own text (not that of the message it replies to)."""
    replies = idx.get("tgme_widget_message_reply", [])
    for el in idx.get("tgme_widget_message_text", []):
        if not any(_inside(el, r) for r in replies):
            return el
    return None


def _preview(idx: Index) -> LinkPreview | None:
    el = _first(idx.get("tgme_widget_message_link_preview", []))
    if el is None or el.tag != "a" or not el.get("href"):
        return None

    def part(name: str) -> str | None:
        return _clean(_first([p for p in idx.get(name, []) if _inside(p, el)]))

    return LinkPreview(
        url=el.get("href", "").strip(),
        site=part("link_preview_site_name"),
        title=part("link_preview_title"),
        description=part("link_preview_description"),
    )


def _post(block: _Element, channel: str, post_id: int, idx: Index) -> Post:
    text_el = _text_element(idx)
    raw, links = _rich_text(text_el) if text_el is not None else ("", ())
    text, spans = _tidy(raw)
    date_link = _first(idx.get("tgme_widget_message_date", []))
    time_el = date_link.find(".//time") if date_link is not None else None
    meta = " ".join(_clean(m) or "" for m in idx.get("tgme_widget_message_meta", []))
    views = _clean(_first(idx.get("tgme_widget_message_views", [])))
    forwarded = _first(idx.get("tgme_widget_message_forwarded_from", []))
    forwarded_name = forwarded_url = None
    if forwarded is not None:
        name_el = _first(idx.get("tgme_widget_message_forwarded_from_name", []))
        forwarded_name = _clean(name_el if name_el is not None else forwarded)
        if forwarded_name and name_el is None:
            forwarded_name = re.sub(r"^Forwarded from\s*", "", forwarded_name) or None
        if name_el is not None and name_el.get("href"):
            forwarded_url = name_el.get("href")
    return Post(
        channel=channel,
        id=post_id,
        text=text,
        links=links,
        link_spans=spans,
        published=time_el.get("datetime") if time_el is not None else None,
        views=parse_views(views) if views else None,
        edited="edited" in meta.lower().split(),
        signature=_clean(_first(idx.get("tgme_widget_message_from_author", []))),
        forwarded_from=forwarded_name,
        forwarded_url=forwarded_url,
        preview=_preview(idx),
        media=_media(idx),
    )


def _edited(block: _Element) -> bool:
    """Whether the message carries the preview's ``edited`` mark (read without the rest)."""
    for el in block.iter("span"):
        if "tgme_widget_message_meta" in (el.get("class") or "").split():
            return "edited" in el.text_content().lower().split()
    return False


def parse_preview(html: str | bytes, known: Callable[[str], bool] | None = None) -> PreviewPage:
    """The posts of one preview page (and what was skipped). ``known(permalink)``: a post the
    caller already has is only read when it is marked edited (counted in ``known`` if not)."""
    page = PreviewPage()
    try:
        tree = lxml_html.document_fromstring(html) if html and html.strip() else None
    except (ParserError, ValueError):
        tree = None
    if tree is None:
        return page
    for el in tree.iter("div", "section"):
        if _CHANNEL_CLASSES & set((el.get("class") or "").split()):
            page.channel_page = True
            break
    for block in _MESSAGES(tree):
        classes = set((block.get("class") or "").split())
        if "tgme_widget_message" not in classes:
            continue
        page.blocks += 1
        channel, _, number = (block.get("data-post") or "").partition("/")
        if not channel or not number.isdigit():
            continue
        page.ids.append(int(number))
        if "service_message" in classes:
            page.service += 1
            continue
        if known is not None and known(permalink(channel, int(number))) and not _edited(block):
            page.known += 1
            continue
        idx = _index(block)
        post = _post(block, channel, int(number), idx)
        if not post.text and post.preview is None and not post.media:
            if idx.get("message_media_not_supported_wrap"):
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
