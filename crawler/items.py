"""Items passed from the spider through the pipelines. Plain dataclasses, no Response inside."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.extract.article import Article
from crawler.matching import Matched
from crawler.poll import Poll


@dataclass
class PageItem:
    """A fetched page that may hold an article (``html`` None: not an HTML page)."""

    source: str
    url: str  # the URL the response came from (after redirects)
    requested_url: str  # the canonical URL we asked for
    html: str | None = field(repr=False)  # never dumped into a log line
    poll: Poll | None = field(default=None, repr=False, compare=False)  # the crawl it is part of
    token: int | None = field(default=None, repr=False, compare=False)  # its open work there
    rendered: bool = False  # fetched through the browser (``render`` sources)


@dataclass
class ListingItem:
    """A home or section page a poll read for links: a new source learns its repeated blocks
    from it too (``crawler.first_batch``); otherwise it is dropped at once."""

    source: str
    url: str
    html: str = field(repr=False)
    poll: Poll | None = field(default=None, repr=False, compare=False)
    token: int | None = field(default=None, repr=False, compare=False)


@dataclass
class ArticleItem:
    """An extracted article, ready to be deduplicated, stored and matched."""

    source: str
    article: Article = field(repr=False)
    fetched_url: str
    requested_url: str
    poll: Poll | None = field(default=None, repr=False, compare=False)
    token: int | None = field(default=None, repr=False, compare=False)
    edited: bool = False  # a stored Telegram post seen edited: revised, not stored again
    links_to: str | None = None  # a post's linked article: the two share a story
    # what its text matched (rules and concepts), when already known
    matched: Matched | None = field(default=None, repr=False, compare=False)


@dataclass
class PostItem:
    """A Telegram channel post read from the channel's preview page, as an article (``edited``:
    already stored and marked edited since, so its stored text is compared and revised)."""

    source: str
    article: Article = field(repr=False)
    edited: bool = False
    links_to: str | None = None  # the article it links to (link preview, else first link)
    poll: Poll | None = field(default=None, repr=False, compare=False)
    token: int | None = field(default=None, repr=False, compare=False)
