"""A new outlet's first crawl: its articles wait for each other before any is stored.

Site-learned boilerplate (``crawler.extract.boilerplate``) needs a line to appear under several
articles before it is known as the source's furniture. Stored and matched one by one, the first
articles of a new outlet would keep their repeated blocks — and alert on them — exactly when an
analyst first checks the outlet. So the first crawl of a source that has never been learned
from is gathered: each extracted article waits until the poll has nothing else left to fetch or
extract (or the batch is full), the whole batch's lines are learned at once, and only then do
its articles go on — to be stripped of what the batch repeated, stored and matched. The home
and section pages the poll read count too, for the lines its articles repeat.

How an article waits. The extract pipeline hands it to :meth:`FirstBatches.hold` and drops the
page's item: the page leaves Scrapy's scraper at once. (While an item is in the pipelines, its
response counts against the scraper's limit, ``SCRAPER_SLOT_MAX_ACTIVE_SIZE``, and past that
limit Scrapy stops downloading: held pages there would stop the very downloads their batches
wait for.) What is held is a :class:`Held` record — the extracted article and the item's fields
without the page's HTML — and it keeps the item's token of open work, so the poll stays open.
Whether a batch is complete is decided when something happens, never on a timer: when an
article is added, when a piece of the poll's open work ends, when the poll is cut off. A
complete batch is learned from and each of its records goes back into the item pipelines, where
the extract pipeline takes it up after extraction.

Bounds. All batches together hold at most ``max_bytes`` of articles (an estimate of their
memory); past it the oldest batches are let go early with what they have. A poll that is cut
off (its deadline) lets its batch go with what it has, and its later articles go on one by one.
A crawl that stops leaves the held articles to the next crawl: they are not stored, their URLs
are not remembered, and their poll saves no conditional-GET state, so the next crawl reads the
feeds in full and fetches them again. They are counted (``first_batch_left``) and logged.
"""

from __future__ import annotations

import logging
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro

from crawler.extract.article import Article
from crawler.items import PageItem
from crawler.poll import POLL_META, SHUTDOWN, Poll, count

log = logging.getLogger("newsmon.first_batch")

# A batch this large is learned from without waiting for the rest of the poll.
MAX_ARTICLES = 40
# All batches together hold at most this much (estimated): ~10,000 articles of ~3,000 characters.
MAX_BYTES = 64 * 2**20
# Memory of a held record besides what its fields hold: the record, the article, the item.
RECORD_OVERHEAD = 512
SAMPLE = 16  # a longer list or tuple in a held record is estimated from this many of its items


@dataclass
class Held:
    """An article waiting for its outlet's first batch: the article, and the item it came in
    without its page (its URLs, its poll, its token of open work). Whatever else a batch learns
    from each page goes here too, as a field of its own (counted in ``size``, the estimate of
    the record's memory that the global bound adds up)."""

    article: Article = field(repr=False)
    page: PageItem  # html dropped
    size: int = 0

    def __post_init__(self) -> None:
        if not self.size:
            self.size = RECORD_OVERHEAD + sum(
                footprint(getattr(self, f.name)) for f in fields(self) if f.name != "size"
            )

    # the item's own attributes, as the poll keeper reads them when an item leaves the pipelines
    @property
    def poll(self) -> Poll | None:
        return self.page.poll

    @property
    def token(self) -> int | None:
        return self.page.token

    @property
    def source(self) -> str:
        return self.page.source


def footprint(value: Any) -> int:
    """Bytes ``value`` keeps alive, estimated: strings as CPython stores them, containers and
    dataclasses by their parts (a long container by a sample of them), anything else at twice
    its pickled size."""
    if value is None or isinstance(value, (bool, int, float, Poll)):
        return 0
    if isinstance(value, (str, bytes)):
        return sys.getsizeof(value)
    if isinstance(value, (tuple, list)):
        if len(value) <= SAMPLE:
            return sys.getsizeof(value) + sum(footprint(v) for v in value)
        sample = value[:: len(value) // SAMPLE][:SAMPLE]  # long: its parts by a sample
        return sys.getsizeof(value) + sum(footprint(v) for v in sample) * len(value) // SAMPLE
    if is_dataclass(value) and not isinstance(value, type):
        return 64 + sum(footprint(getattr(value, f.name)) for f in fields(value))
    try:
        return 2 * len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # not picklable: a guess
        return RECORD_OVERHEAD


# (source, the batch's held records, the line keys of each home or section page the poll read)
Learn = Callable[[str, Sequence[Held], Sequence[set[str]]], None]
# puts a held record back into the item pipelines; False if the crawl no longer takes items
Resubmit = Callable[[Held], bool]


@dataclass
class _Batch:
    poll: Poll
    held: list[Held] = field(default_factory=list)
    listings: list[set[str]] = field(default_factory=list)
    size: int = 0
    tokens: int = 0  # of the poll's open work, how much is held here

    def complete(self) -> bool:
        """Nothing of the poll is open but the articles held here (or the batch is full)."""
        return bool(self.held) and (
            self.poll.reason is not None
            or self.poll.open_count <= self.tokens
            or len(self.held) >= MAX_ARTICLES
        )


class FirstBatches:
    """The first-crawl batches of new sources, one per poll; ``learn`` sees each whole batch,
    then its records go back into the pipelines through ``resubmit`` (see :meth:`attach`)."""

    def __init__(
        self, learn: Learn, *, max_bytes: int = MAX_BYTES, resubmit: Resubmit | None = None
    ) -> None:
        self.learn = learn
        self.max_bytes = max_bytes
        self.resubmit = resubmit
        self.stats: Any = None
        self.held_bytes = 0
        self.held_count = 0
        self.left = 0  # articles left to the next crawl (not stored)
        self._open: dict[int, _Batch] = {}  # by poll id, oldest first

    def attach(self, crawler: Crawler) -> None:
        """Wire to the crawl: let-go records go back into its item pipelines; an idle crawl
        lets every batch go; the crawl's end reports what it left to the next crawl."""
        self.stats = crawler.stats
        self.resubmit = _Resubmitter(crawler)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    # --- what the extract pipeline asks ----------------------------------------------------------

    def note_listing(self, poll: Poll, line_keys: set[str]) -> None:
        """A home or section page of the poll: its lines count where the articles repeat them."""
        if poll.reason is None:
            self._batch(poll).listings.append(line_keys)

    def hold(self, item: PageItem, article: Article) -> str | None:
        """Take the item's extracted article out of the pipelines until its poll's batch is
        complete and learned from: it comes back as a :class:`Held` record (the item takes its
        token along). Returns why the item leaves the pipelines now — held, or left to the next
        crawl because the crawl is stopping — or None: its poll was cut off, the article goes
        on at once, learned from on its own."""
        poll = item.poll
        assert poll is not None
        if poll.reason == SHUTDOWN or not self._takes_items():
            item.token = None  # kept open: the poll ends as shut down, never as finished
            self._count_left(poll, 1)
            return f"left to the next crawl (the crawl is stopping): {item.url}"
        if poll.reason is not None:
            return None
        held = Held(article, replace(item, html=None))
        item.token = None  # the record holds it now: the poll stays open
        batch = self._batch(poll)
        batch.held.append(held)
        batch.size += held.size
        batch.tokens += held.token is not None
        self.held_bytes += held.size
        self.held_count += 1
        if batch.complete():
            self._let_go(batch)
        self._bound()
        return f"held for its outlet's first batch: {item.url}"

    # --- batches ---------------------------------------------------------------------------------

    def _batch(self, poll: Poll) -> _Batch:
        batch = self._open.get(poll.id)
        if batch is None:
            batch = self._open[poll.id] = _Batch(poll)
            poll.add_release_callback(self._changed)
            poll.add_done_callback(self._forget)
        return batch

    def _changed(self, poll: Poll) -> None:
        """A piece of the poll's open work ended, or the poll was cut off."""
        batch = self._open.get(poll.id)
        if batch is not None and batch.complete():
            self._let_go(batch)

    def _forget(self, poll: Poll) -> None:
        batch = self._open.get(poll.id)
        if batch is not None:
            if batch.held:  # (cannot happen: held records keep the poll open, or it was cut off)
                self._let_go(batch)
            else:
                self._remove(batch)

    def _remove(self, batch: _Batch) -> None:
        self._open.pop(batch.poll.id, None)
        batch.poll.remove_release_callback(self._changed)
        self.held_bytes -= batch.size
        self.held_count -= len(batch.held)

    def _bound(self) -> None:
        """Past ``max_bytes`` held in all, the oldest batches go early with what they have."""
        while self.held_bytes > self.max_bytes:
            oldest = next((b for b in self._open.values() if b.held), None)
            if oldest is None:
                return
            count(self.stats, {POLL_META: oldest.poll}, "first_batch_early")
            self._let_go(oldest)

    def _let_go(self, batch: _Batch) -> None:
        """Learn from the batch and put its articles back into the pipelines — or, when the
        crawl is stopping (or learning failed), leave them to the next crawl."""
        self._remove(batch)
        if not batch.held:
            return
        if batch.poll.reason == SHUTDOWN or not self._takes_items():
            self._leave(batch)
            return
        try:
            self.learn(batch.poll.source.name, batch.held, batch.listings)
        except Exception:  # a database outage: the articles wait for the next crawl
            log.exception("first batch of %s: could not learn from it", batch.poll.name)
            self._leave(batch)
            return
        for n, held in enumerate(batch.held):
            if self.resubmit is None or not self.resubmit(held):
                self._leave(replace(batch, held=batch.held[n:]))
                return

    def _leave(self, batch: _Batch) -> None:
        """The batch's articles are not stored now: the next crawl finds them again. Their
        poll saves no conditional-GET state (the feeds are read in full next time), and their
        tokens stay open: the poll ends as cut off or shut down, never as finished."""
        self._count_left(batch.poll, len(batch.held))

    def _count_left(self, poll: Poll, n: int) -> None:
        poll.fetch_updates.clear()
        if not self.left:
            log.warning(
                "articles of new sources' first crawls are left unstored (the crawl is "
                "stopping): the next crawl fetches them again"
            )
        self.left += n
        count(self.stats, {POLL_META: poll}, "first_batch_left", n)
        log.debug("%s: %d article(s) of its first crawl left to the next crawl", poll.name, n)

    def _takes_items(self) -> bool:
        taker = self.resubmit
        return taker is None or getattr(taker, "open", True)

    # --- signals ---------------------------------------------------------------------------------

    def spider_idle(self) -> None:
        """Nothing left to do in the crawl, yet articles held (their poll cannot finish): they
        go on with what their batches have."""
        if self.held_count:
            for batch in [b for b in self._open.values() if b.held]:
                self._let_go(batch)
            raise DontCloseSpider

    def spider_closed(self, reason: str) -> None:
        for batch in list(self._open.values()):
            if batch.held:
                self._remove(batch)
                self._leave(batch)
            else:
                self._remove(batch)
        if self.left:
            log.info("%d article(s) of new sources' first crawls left to the next crawl", self.left)


class _Resubmitter:
    """Puts held records back into the crawl's item pipelines, each on its own (no response:
    nothing counts against the scraper's download throttle). The scraper counts each as being
    processed from the moment it is handed over, so the crawl is never idle in between."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @property
    def open(self) -> bool:
        engine = self.crawler.engine
        if engine is None or not engine.running:
            return False
        slot = engine.scraper.slot
        return slot is not None and slot.closing is None

    def __call__(self, held: Held) -> bool:
        if not self.open:
            return False
        assert self.crawler.engine is not None
        scraper = self.crawler.engine.scraper
        slot = scraper.slot
        assert slot is not None
        slot.itemproc_size += 1

        async def process() -> None:
            slot.itemproc_size -= 1  # start_itemproc_async counts it from here
            try:
                await scraper.start_itemproc_async(held, response=None)
            finally:
                # the scraper only checks whether it may close when a response is done
                spider = self.crawler.spider
                closing = slot.closing
                if closing is not None and not closing.called and slot.is_idle() and spider:
                    closing.callback(spider)

        deferred_from_coro(process())
        return True
