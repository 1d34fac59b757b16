"""A new outlet's first crawl: its articles wait for each other before any is stored.

Site-learned boilerplate (``crawler.extract.boilerplate``) needs a line to appear under several
articles before it is known as the source's furniture. Stored and matched one by one, the first
articles of a new outlet would keep their repeated blocks — and alert on them — exactly when an
analyst first checks the outlet. So the first crawl of a source that has never been learned
from is gathered: each extracted article waits until the poll has nothing else left to fetch or
extract (or the batch is full), the whole batch's lines are learned at once, and only then do
its articles go on — to be stripped of what the batch repeated, stored and matched. The home
and section pages the poll read count too, for the lines its articles repeat.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from crawler.extract.article import Article
from crawler.poll import Poll

# A batch is let go early when it holds this many articles or this much HTML: Scrapy stops
# downloading while the responses whose items are in the pipelines exceed its scraper limit
# (SCRAPER_SLOT_MAX_ACTIVE_SIZE, 5 MB), and the batch would wait for pages that never come. In
# characters: up to 3 bytes each in UTF-8 (Georgian, Armenian), so 1.5 M stays under 5 MB.
MAX_ARTICLES = 40
MAX_CHARS = 1_500_000
CHECK_EVERY_S = 0.05

# (source, the batch's articles, the line keys of each home or section page the poll read)
Learn = Callable[[str, Sequence[Article], Sequence[set[str]]], None]


@dataclass
class _Batch:
    poll: Poll
    articles: list[Article] = field(default_factory=list)
    listings: list[set[str]] = field(default_factory=list)
    size: int = 0
    closed: bool = False

    def complete(self) -> bool:
        """Nothing of the poll is open but the articles held here (or the batch is full)."""
        return (
            self.poll.done
            or self.poll.open_count <= len(self.articles)
            or len(self.articles) >= MAX_ARTICLES
            or self.size >= MAX_CHARS
        )


class FirstBatches:
    """The first-crawl batches of new sources, one per poll; ``learn`` sees each whole batch."""

    def __init__(self, learn: Learn) -> None:
        self.learn = learn
        self._open: dict[int, _Batch] = {}

    def _batch(self, poll: Poll) -> _Batch:
        batch = self._open.get(poll.id)
        if batch is None:
            batch = self._open[poll.id] = _Batch(poll)
            poll.add_done_callback(self._forget)
        return batch

    def _forget(self, poll: Poll) -> None:
        self._open.pop(poll.id, None)

    def note_listing(self, poll: Poll, line_keys: set[str]) -> None:
        """A home or section page of the poll: its lines count where the articles repeat them."""
        self._batch(poll).listings.append(line_keys)

    async def gather(self, poll: Poll, article: Article, size: int) -> None:
        """Hold the article (``size``: its page's HTML, in characters) until its poll's batch is
        complete and learned from."""
        batch = self._batch(poll)
        batch.articles.append(article)
        batch.size += size
        while not batch.closed:
            if batch.complete():
                self._close(batch)
                break
            await asyncio.sleep(CHECK_EVERY_S)

    def _close(self, batch: _Batch) -> None:
        batch.closed = True
        self._open.pop(batch.poll.id, None)
        self.learn(batch.poll.source.name, batch.articles, batch.listings)
