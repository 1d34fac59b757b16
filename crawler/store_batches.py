"""Articles stored in batches: the articles that reach storage within a short window (or a
batch's worth of them) are written in one transaction, one commit for all (a commit, with its
full-text index update, costs more than the rest of storing an article). Each article keeps
its own outcome: one that fails is rolled back alone and only its page fails.

A batch waits for no more than ``WINDOW_S`` after its first article, so an alert is queued at
most that much later than it would be alone; the timer is armed only while articles wait."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from storage import ArticleSave, SaveResult, Storage, StorageError

WINDOW_S = 0.05
BATCH_MAX = 32


class StoreBatches:
    def __init__(
        self,
        store: Callable[[], Storage],
        *,
        window: float = WINDOW_S,
        size: int = BATCH_MAX,
    ) -> None:
        self.store = store
        self.window = window
        self.size = size
        self._waiting: list[tuple[ArticleSave, asyncio.Future[SaveResult]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self.batches = 0  # written so far (for the crawl's stats)

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

    def flush(self) -> None:
        """Write the waiting articles now (one transaction) and settle their outcomes."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._waiting = self._waiting, []
        if not batch:
            return
        self.batches += 1
        try:
            results = self.store().save_articles([save for save, _ in batch])
        except Exception as exc:  # the commit failed: every article of the batch failed
            for _, done in batch:
                if not done.done():
                    done.set_exception(exc)
            return
        for (_, done), result in zip(batch, results, strict=True):
            if done.done():  # its page was cancelled meanwhile
                continue
            if isinstance(result, StorageError):
                done.set_exception(result)
            else:
                done.set_result(result)
