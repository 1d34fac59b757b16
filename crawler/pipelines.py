"""Item pipelines: Extract → Dedupe + Store + Match (alerts enqueued in the same transaction)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from alerts.rules import ArticleText, Match, RuleSet
from alerts.snippets import snippet
from crawler.extract.boilerplate import learnable, strip_learned
from crawler.extract.article import Article, extract_page, fingerprint
from crawler.items import ArticleItem, PageItem
from crawler.middlewares import record_failure
from crawler.resources import config_for, store_for
from crawler.extract.stories import signature
from crawler.extract.urls import url_key
from storage import AlertDraft, StoredArticle


class ExtractPipeline:
    """PageItem → ArticleItem with clean text; pages that hold no article are remembered (so
    they are not fetched again) and dropped. The source's own ``prune`` selectors apply, and the
    lines it has repeated across articles (site-learned boilerplate) are dropped and learned."""

    def __init__(
        self, crawler: Crawler, min_chars: int, min_articles: int, workers: int = 0
    ) -> None:
        self.crawler = crawler
        self.min_chars = min_chars
        self.min_articles = min_articles
        self.workers = workers
        self.known: set[str] = set()
        self.prune: tuple[str, ...] = ()
        self._pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        workers = crawler.settings.get("NEWSMON_EXTRACT_WORKERS")
        return cls(
            crawler,
            crawler.settings.getint("NEWSMON_MIN_TEXT_CHARS", 200),
            crawler.settings.getint("NEWSMON_BOILERPLATE_MIN_ARTICLES", 3),
            int(workers) if workers not in (None, "") else (os.cpu_count() or 1),
        )

    def close_spider(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def _extract(self, html: str, url: str) -> Article | str:
        """Extraction in a pool of worker processes (started with the first page), so that it
        uses every core while this process downloads; in-process with 0 workers."""
        if self.workers <= 0:
            return extract_page(html, url, min_chars=self.min_chars, prune_xpaths=self.prune)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("forkserver")
            )
        try:
            future = self._pool.submit(
                extract_page, html, url, min_chars=self.min_chars, prune_xpaths=self.prune
            )
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._pool = None  # a worker died (out of memory?): this page in-process
            return extract_page(html, url, min_chars=self.min_chars, prune_xpaths=self.prune)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        source = getattr(spider, "source", None)
        if source is not None:
            self.prune = source.prune_xpaths
            self.known = store_for(self.crawler).boilerplate_keys(source.name, self.min_articles)

    async def process_item(self, item: PageItem) -> ArticleItem:
        assert self.crawler.stats is not None
        try:
            article = await self._extract(item.html, item.url) if item.html else "not an HTML page"
        except Exception as exc:  # a page that breaks the extractor is recorded, not lost silently
            why = f"{type(exc).__name__}: {exc}"
            record_failure(self.crawler, item.url, "extraction_error", why, source=item.source)
            raise DropItem(f"extraction failed ({type(exc).__name__}): {item.url}") from exc
        if isinstance(article, Article):
            article = self._boilerplate(item.source, article)
        if not isinstance(article, Article):
            self.crawler.stats.inc_value("newsmon/not_article")
            store = store_for(self.crawler)
            for key in {url_key(item.url), url_key(item.requested_url)}:
                store.remember_url(key, item.source, "not_article")
            raise DropItem(f"not an article ({article}): {item.url}", log_level="INFO")
        self.crawler.stats.inc_value("newsmon/extracted")
        return ArticleItem(
            source=item.source,
            article=article,
            fetched_url=item.url,
            requested_url=item.requested_url,
        )

    def _boilerplate(self, source: str, article: Article) -> Article:
        """Learn the article's lines; drop those the source repeats across its articles."""
        assert self.crawler.stats is not None
        reached = store_for(self.crawler).learn_lines(
            source, learnable(article.text), self.min_articles
        )
        if reached:
            self.known |= reached
            self.crawler.stats.inc_value("newsmon/boilerplate_learned", len(reached))
        text, dropped = strip_learned(article.text, self.known)
        if not dropped or len(text) < self.min_chars:
            return article
        self.crawler.stats.inc_value("newsmon/boilerplate_lines_dropped", dropped)
        return replace(article, text=text, fingerprint=fingerprint(text))


def alert_drafts(text: str, matches: list[Match]) -> tuple[AlertDraft, ...]:
    """One draft per channel, naming every rule that matched for that channel."""
    by_channel: dict[str, list[Match]] = defaultdict(list)
    for m in matches:
        by_channel[m.channel].append(m)
    return tuple(
        AlertDraft(
            channel=channel,
            rules=tuple(dict.fromkeys(m.rule for m in ms)),
            snippet=snippet(text, ms),
        )
        for channel, ms in by_channel.items()
    )


class StorePipeline:
    """Stores each article once (keyed by canonical URL) and enqueues its alerts with it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.rules: RuleSet | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        config = config_for(self.crawler)
        self.rules = config.model.ruleset()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.rules is not None and self.crawler.stats is not None
        art = item.article
        # Rules see the title and the extracted body only, never the page around them.
        seen = ArticleText(art.text, art.title, art.language, item.source)
        drafts = alert_drafts(seen.combined, self.rules.match(seen))
        sig = signature(art.text)
        result = store_for(self.crawler).save_article(
            StoredArticle(
                url=art.url,
                source=item.source,
                title=art.title,
                text=art.text,
                author=art.author,
                published=art.published,
                language=art.language,
                description=art.description,
                fingerprint=art.fingerprint,
                fetched_url=item.fetched_url,
                minhash=sig.hashvalues if sig else None,
                bands=sig.bands if sig else (),
                shingles=sig.size if sig else 0,
            ),
            url_keys=tuple({url_key(u) for u in (art.url, item.requested_url, item.fetched_url)}),
            alerts=drafts,
        )
        if not result.is_new:
            self.crawler.stats.inc_value("newsmon/duplicates")
            raise DropItem(f"already stored: {art.url}", log_level="INFO")
        self.crawler.stats.inc_value("newsmon/stored")
        self.crawler.stats.inc_value("newsmon/alerts_enqueued", len(result.alert_ids))
        return item
