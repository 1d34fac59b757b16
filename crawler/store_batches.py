"""The crawl's article writes, in batches, in a thread of their own.

The articles that reach storage within a short window (or a batch's worth of them) are written
in one transaction, one commit for all (a commit, with its full-text index update, costs more
than the rest of storing an article). Each article keeps its own outcome: one that fails is
rolled back alone and only its page fails. A batch waits for no more than ``WINDOW_S`` after
its first article, so an alert is queued at most that much later than it would be alone; the
timer is armed only while articles wait.

The writes run in one thread beside the crawl's own (SQLite does its work with the
interpreter released): the crawl goes on downloading and reading pages meanwhile. The thread
has its own connection where the store is one connection per thread (SQLite) and shares the
pool otherwise; it also counts the lines each article repeats (site-learned boilerplate), in
the order they come.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Mapping
from typing import TypeVar

from storage import ArticleSave, SaveResult, Storage, StorageError

WINDOW_S = 0.05
BATCH_MAX = 32

T = TypeVar("T")


class StoreBatches:
    def __init__(
        self,
        crawl_store: Callable[[], Storage],
        open_store: Callable[[], Storage],
        *,
        window: float = WINDOW_S,
        size: int = BATCH_MAX,
    ) -> None:
        """``crawl_store``: the crawl's store, used by the writer too when it may serve several
        threads; else ``open_store`` opens the writer's own (in the writer thread)."""
        self.crawl_store = crawl_store
        self.open_store = open_store
        self.window = window
        self.size = size
        self._store: Storage | None = None
        self._owned = False  # opened here: closed here
        self._thread: concurrent.futures.ThreadPoolExecutor | None = None
        self._waiting: list[tuple[ArticleSave, asyncio.Future[SaveResult]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self.batches = 0  # written so far

    # --- from the crawl's thread --------------------------------------------------------------

    async def save(self, save: ArticleSave) -> SaveResult:
        """The article stored with the others of its batch; its own storage error raised."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[SaveResult] = loop.create_future()
        self._waiting.append((save, done))
        if len(self._waiting) >= self.size:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.window, self.flush)
        return await done

    async def learn_lines(
        self, source: str, lines: Mapping[str, str], min_articles: int
    ) -> set[str]:
        """``Storage.learn_lines`` in the writer thread (after the writes queued before it)."""
        if not lines:
            return set()
        return await self._run(lambda store: store.learn_lines(source, lines, min_articles))

    def flush(self) -> None:
        """Hand the waiting articles to the writer now (one transaction); each article's
        outcome settles when it is written."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._waiting = self._waiting, []
        if not batch:
            return
        self.batches += 1
        saves = [save for save, _ in batch]
        written = asyncio.ensure_future(self._run(lambda store: store.save_articles(saves)))
        written.add_done_callback(lambda w: _settle(batch, w))

    def close(self) -> None:
        """Wait for the writer, write what still waits, close the writer's connection."""
        batch, self._waiting = self._waiting, []
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._thread is not None:
            self._thread.shutdown(wait=True)
            self._thread = None
        if batch:  # the crawl ended before their window did: written here, now
            try:
                results = self._write(lambda store: store.save_articles([s for s, _ in batch]))
            except Exception as exc:
                results = [exc] * len(batch)  # type: ignore[list-item]
            for (_, done), result in zip(batch, results, strict=True):
                _resolve(done, result)
        if self._store is not None and self._owned:
            self._store.close()
        self._store = None

    async def _run(self, write: Callable[[Storage], T]) -> T:
        if self._thread is None:
            self._thread = concurrent.futures.ThreadPoolExecutor(1, "newsmon-store")
        return await asyncio.wrap_future(self._thread.submit(self._write, write))

    # --- in the writer thread -----------------------------------------------------------------

    def _write(self, write: Callable[[Storage], T]) -> T:
        if self._store is None:
            crawl_store = self.crawl_store()
            if crawl_store.threadsafe:
                self._store, self._owned = crawl_store, False
            else:
                self._store, self._owned = self.open_store(), True
        return write(self._store)


def _settle(
    batch: list[tuple[ArticleSave, asyncio.Future[SaveResult]]],
    written: asyncio.Future[list[SaveResult | StorageError]],
) -> None:
    if written.cancelled():
        results: list[SaveResult | BaseException] = [
            StorageError("the batch was not written")
        ] * len(batch)
    elif written.exception() is not None:  # the commit failed: every article of the batch
        results = [written.exception()] * len(batch)  # type: ignore[list-item]
    else:
        results = list(written.result())
    for (_, done), result in zip(batch, results, strict=True):
        _resolve(done, result)


def _resolve(done: asyncio.Future[SaveResult], result: SaveResult | BaseException) -> None:
    if done.done():  # its page was cancelled meanwhile
        return
    if isinstance(result, BaseException):
        done.set_exception(result)
    else:
        done.set_result(result)
