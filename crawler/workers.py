"""Article extraction beside the crawl: a pool of worker processes (started with the first
page) so that extraction uses every core while the crawl's own process downloads; in-process
with 0 workers."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.extract.article import Article, extract_page


class ExtractionWorkers:
    def __init__(self, workers: int, min_chars: int) -> None:
        self.workers = workers
        self.min_chars = min_chars
        self._pool: ProcessPoolExecutor | None = None

    async def extract(self, html: str, url: str, prune: tuple[str, ...] = ()) -> Article | str:
        """The page's article, or why it is not one."""
        if self.workers <= 0:
            return extract_page(html, url, min_chars=self.min_chars, prune_xpaths=prune)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("forkserver")
            )
        try:
            future = self._pool.submit(
                extract_page, html, url, min_chars=self.min_chars, prune_xpaths=prune
            )
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._pool = None  # a worker died (out of memory?): this page in-process
            return extract_page(html, url, min_chars=self.min_chars, prune_xpaths=prune)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
