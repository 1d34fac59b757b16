"""Navigation of one Telegram channel during one poll: its public preview page → posts.

Each poll reads the channel's newest page (``{telegram_base_url}/s/<username>``). While every
post on a page is new to the archive — the first poll of a channel, or a gap after an outage —
it walks back with ``?before=<oldest id>``, up to the source's ``history`` posts. A stored post
is not yielded again unless it carries the preview's ``edited`` mark and its text differs from
what this engine last saw of it (then the pipeline compares it with the stored text and revises
it). With ``follow_links`` the article a new post links to (its link preview, else its first
link) is fetched and extracted like any article page.

Failures are explicit: a redirect from ``/s/<username>`` to ``/<username>`` (no preview: a
private, removed or restricted channel) is recorded as ``telegram_unavailable``; a page without
any message block as ``layout_changed``; both as failures of the source's entry page.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler.extract.telegram_posts import post_article
from crawler.extract.telegram_preview import Post, parse_preview, preview_path
from crawler.extract.urls import canonical_url
from crawler.items import PostItem
from crawler.poll import Poll
from crawler.telegram_health import LAYOUT_CHANGED, UNAVAILABLE, UNAVAILABLE_TEXT
from spiders.feeds import is_non_html
from spiders.navigator import SourceNavigator

log = logging.getLogger("newsmon.spiders")

REDIRECTS = [301, 302, 303, 307, 308]
LEDGER_MAX = 100_000  # edited posts remembered by the engine

Record = Callable[[str, str, str, dict[str, Any]], None]
# what this engine last saw of each edited post: (channel, id) → hash of its text
EditLedger = dict[tuple[str, int], str]


class TelegramNavigator(SourceNavigator):
    def __init__(
        self,
        poll: Poll,
        count: Callable[[Poll, str, int], None],
        *,
        base_url: str,
        known: Callable[[str], bool],
        record: Record,
        ledger: EditLedger,
    ) -> None:
        super().__init__(poll, count)
        self.username = self.source.telegram or ""
        self.base_url = base_url.rstrip("/")
        self.known = known
        self.record = record
        self.ledger = ledger
        self.taken = 0  # posts read this poll (at most ``history``)
        self.stored: dict[str, bool] = {}  # permalink → already in the archive

    @property
    def discovers_robots_sitemaps(self) -> bool:
        return False

    @property
    def channel_url(self) -> str:
        return f"{self.base_url}/s/{self.username}"

    def start_requests(self) -> list[scrapy.Request]:
        request = self.page_request(self.channel_url, page=0)
        return [request] if request is not None else []

    def page_request(self, url: str, *, page: int) -> scrapy.Request | None:
        return self.entry_request(
            url,
            "channel",
            self.parse_channel,
            page=page,
            allow_offsite=True,  # the preview host is not the channel's t.me address
            dont_redirect=True,  # a redirect is the answer: no preview for this channel
            handle_httpstatus_list=REDIRECTS,
            autothrottle_dont_adjust_delay=True,  # the pace is the config's telegram_delay
        )

    # --- the channel page ------------------------------------------------------------------------

    def parse_channel(self, response: Response) -> Iterator[Any]:
        page_no = int(response.meta.get("page", 0))
        meta = response.meta
        if response.status in REDIRECTS:
            target = urljoin(response.url, (response.headers.get(b"Location") or b"").decode())
            if not preview_path(target):
                self.unavailable(response.url, target, meta)
                return
            request = self.page_request(target, page=page_no)  # a move within the preview
            if request is not None:
                yield request
            return
        if not isinstance(response, TextResponse) or not preview_path(response.url):
            self.unavailable(response.url, response.url, meta)
            return
        page = parse_preview(response.text, self._known)
        self.count("telegram/pages")
        if page.layout_changed and page_no > 0 and page.channel_page:
            self.count("telegram/history_end")  # walked back past the channel's first post
            return
        if page.layout_changed:
            what = "a channel page" if page.channel_page else "a page"
            self.record(
                response.url,
                LAYOUT_CHANGED,
                f"layout changed: {what} without any message block (tgme_widget_message)",
                meta,
            )
            return
        for key, n in (
            ("service", page.service),
            ("unsupported", page.unsupported),
            ("empty", page.empty),
        ):
            if n:
                self.count(f"telegram/skipped_{key}", n)
        if page.known:  # stored, not edited: not even read
            self.count("links/channel", page.known)
            self.count("discovered", page.known)
            self.count("skipped_seen", page.known)
        yield from self.posts(page.posts, response.url)
        oldest = page.oldest_id
        all_new = page.posts and not page.known and not any(self._stored(p) for p in page.posts)
        if all_new and oldest is not None and oldest > 1 and self.taken < self.source.history:
            older = f"{self.channel_url}?before={oldest}"
            request = self.page_request(older, page=page_no + 1)
            if request is not None:
                yield request

    def unavailable(self, url: str, target: str, meta: dict[str, Any]) -> None:
        path = urlsplit(target).path or "/"
        self.record(
            url,
            UNAVAILABLE,
            f"{UNAVAILABLE_TEXT}: redirected to {path}",
            meta,
        )

    # --- posts -----------------------------------------------------------------------------------

    def _known(self, url: str) -> bool:
        """Whether the post with this permalink (its own URL key) is in the archive."""
        found = self.stored.get(url)
        if found is None:
            found = self.stored[url] = self.known(url)
        return found

    def _stored(self, post: Post) -> bool:
        return self._known(post.url)

    def posts(self, posts: list[Post], via: str) -> Iterator[Any]:
        self.count("links/channel", len(posts))
        for post in reversed(posts):  # newest first: ``history`` keeps the latest
            self.count("discovered")
            if self._stored(post):
                self.count("skipped_seen")
                if post.edited and self._changed(post):
                    self.count("telegram/edited_seen")
                    yield self.item(post, edited=True)
                continue
            if self.taken >= self.source.history:
                self.count("telegram/beyond_history")
                continue
            self.taken += 1
            if post.edited:
                self._changed(post)
            yield self.item(post)
            if self.source.follow_links:
                yield from self.follow(post, via)

    def item(self, post: Post, *, edited: bool = False) -> PostItem:
        return PostItem(
            self.source.name,
            post_article(post),
            edited=edited,
            links_to=post.first_link,
            poll=self.poll,
            token=self.poll.token(),
        )

    def _changed(self, post: Post) -> bool:
        """Whether an edited post's content differs from what this engine last saw of it."""
        key = (post.channel.lower(), post.id)
        seen = (post.text, post.preview, post.forwarded_from, post.media)
        digest = hashlib.sha1(repr(seen).encode("utf-8")).hexdigest()
        if self.ledger.get(key) == digest:
            return False
        if len(self.ledger) >= LEDGER_MAX:
            self.ledger.clear()  # (an edited post then compared with the stored text once more)
        self.ledger[key] = digest
        return True

    def follow(self, post: Post, via: str) -> Iterator[scrapy.Request]:
        link = post.first_link
        if not link or not link.startswith(("http://", "https://")) or is_non_html(link):
            return
        parts = urlsplit(link)
        on_preview = parts.netloc == urlsplit(self.base_url).netloc and preview_path(link)
        if (parts.hostname or "").lower() in ("t.me", "telegram.me") or on_preview:
            return  # another post or channel, not an article
        self.count("telegram/links_followed")
        request = self._request(
            canonical_url(link), self.parse_article, "article", newsmon_via=via, allow_offsite=True
        )
        if request is not None:
            yield request
