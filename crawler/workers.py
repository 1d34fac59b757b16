"""Article extraction beside the crawl: a pool of worker processes (started with the first
page) so that extraction uses every core while the crawl's own process downloads; in-process
with 0 workers. With story vectors on, the workers also embed the title and lead of the
articles a rule or concept matches (``embed``; the model is loaded once per worker process).

The workers end with the process they extract for, however it ends; multiprocessing's fork
server, which forks them, then ends too (once every process holding its pipe is gone)."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import TypeVar

from crawler.extract.article import Article, extract_page
from crawler.extract.embedding import story_text, story_vector
from crawler.extract.evidence import evidence
from crawler.extract.stories import signature
from crawler.extract.template import Template
from crawler.lifeline import Owner, die_with_owner


def extract_for_story(
    html: str,
    url: str,
    *,
    min_chars: int,
    prune_xpaths: tuple[str, ...] = (),
    templates: tuple[Template, ...] = (),
    with_layout: bool = False,
) -> Article | str:
    """The page's article with what story grouping reads of it: the evidence in its title and
    lead (the figures, dates and times it names) and its near-duplicate signature; or why it
    is not one."""
    found = extract_page(
        html,
        url,
        min_chars=min_chars,
        prune_xpaths=prune_xpaths,
        templates=templates,
        with_layout=with_layout,
    )
    if not isinstance(found, Article):
        return found
    head = story_text(found.title, found.text, found.description)
    return replace(
        found, evidence=evidence(head), signed=(found.fingerprint, signature(found.text))
    )


def embed_head(title: str | None, text: str, description: str | None) -> bytes | None:
    """The story vector of an article's title and lead (see ``crawler.extract.embedding``)."""
    return story_vector(story_text(title, text, description))


T = TypeVar("T")


class ExtractionWorkers:
    def __init__(self, workers: int, min_chars: int, *, vectors: bool = True) -> None:
        self.workers = workers
        self.min_chars = min_chars
        self.vectors = vectors
        self._pool: ProcessPoolExecutor | None = None

    async def extract(
        self,
        html: str,
        url: str,
        prune: tuple[str, ...] = (),
        *,
        templates: tuple[Template, ...] = (),
        with_layout: bool = False,
    ) -> Article | str:
        """The page's article, or why it is not one (read by the first of the outlet's ``templates``
        the page fits; ``with_layout``: with the page's layout, to learn a template from)."""
        job = functools.partial(
            extract_for_story,
            html,
            url,
            min_chars=self.min_chars,
            prune_xpaths=prune,
            templates=templates,
            with_layout=with_layout,
        )
        return await self._run(job)

    async def embed(self, article: Article) -> bytes | None:
        """The article's story vector (None with story vectors off): the title and lead
        embedded in a worker process."""
        if not self.vectors:
            return None
        job = functools.partial(embed_head, article.title, article.text, article.description)
        return await self._run(job)

    async def _run(self, job: functools.partial[T]) -> T:
        if self.workers <= 0:
            return job()
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=die_with_owner,
                initargs=(Owner.this_process(),),
            )
        try:
            return await asyncio.wrap_future(self._pool.submit(job))
        except BrokenProcessPool:
            self._pool = None  # a worker died (out of memory?): this page in-process
            return job()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
