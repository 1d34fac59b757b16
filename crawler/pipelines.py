"""Item pipelines: Extract → Store + Match (alerts enqueued in the article's transaction)."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from alerts.rules import ArticleText, Match, RuleSet
from alerts.snippets import snippet
from crawler.extract.article import Article, fingerprint, with_body
from crawler.extract.boilerplate import learnable, page_lines, strip_learned
from crawler.extract.stories import Signature, signature
from crawler.extract.urls import url_key
from crawler.first_batch import FirstBatches, Held
from crawler.items import ArticleItem, ListingItem, PageItem, PostItem
from crawler.matching import Matched, Matcher
from crawler.middlewares.failures import FailureLog
from crawler.poll import POLL_META, count
from crawler.post_revision import LINKED_KEY, revise_post
from crawler.rendering import looks_like_js_shell
from crawler.resources import CrawlResources, resources_for
from crawler.templates import TemplateBook
from crawler.workers import ExtractionWorkers
from storage import AlertDraft, ArticleSave, NewArticle
from storage.rows import URL_NOT_ARTICLE

# Stored articles of a source cleaned again when it learns a new boilerplate line.
REVISE_RECENT = 200


class ExtractPipeline:
    """PageItem → ArticleItem with clean text; pages that hold no article are remembered (so
    they are not fetched again) and dropped. The source's own ``prune`` selectors apply, and the
    lines it has repeated across articles (site-learned boilerplate) are dropped and learned."""

    def __init__(
        self,
        resources: CrawlResources,
        stats: StatsCollector,
        failures: FailureLog,
        workers: ExtractionWorkers,
        *,
        min_chars: int,
        min_articles: int,
        prune: tuple[str, ...] = (),
        matcher: Matcher | None = None,
    ) -> None:
        self.resources = resources
        self.matcher = matcher if matcher is not None else Matcher(RuleSet([]))
        self.stats = stats
        self.failures = failures
        self.workers = workers
        self.min_chars = min_chars
        self.min_articles = min_articles
        self.prune = prune
        self.known: dict[str, set[str]] = {}  # learned boilerplate line keys, per source
        self._prunes: dict[str, tuple[str, ...]] = {}
        self._learned_from: dict[str, bool] = {}  # whether a source has any learned line
        self.first_batches = FirstBatches(self._learn_batch)
        self.templates = TemplateBook(
            lambda: self.resources.store, lambda name, n: count(self.stats, None, name, n)
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        assert crawler.stats is not None
        settings = crawler.settings
        workers = settings.get("NEWSMON_EXTRACT_WORKERS")
        min_chars = settings.getint("NEWSMON_MIN_TEXT_CHARS", 200)
        source = getattr(crawler.spider, "source", None)
        resources = resources_for(crawler)
        pipeline = cls(
            resources,
            crawler.stats,
            FailureLog.of(crawler),
            ExtractionWorkers(
                int(workers) if workers not in (None, "") else (os.cpu_count() or 1),
                min_chars,
                vectors=settings.getbool("NEWSMON_STORY_VECTORS", True),
            ),
            min_chars=min_chars,
            min_articles=settings.getint("NEWSMON_BOILERPLATE_MIN_ARTICLES", 3),
            prune=source.prune_xpaths if source is not None else (),
            matcher=Matcher.of(resources.config.model),
        )
        pipeline.templates.enabled = settings.getbool("NEWSMON_TEMPLATES", True)
        pipeline.first_batches.attach(crawler)
        return pipeline

    def close_spider(self) -> None:
        self.workers.close()

    def _prune(self, item: PageItem) -> tuple[str, ...]:
        """The ``prune`` selectors of the item's source (as XPaths, translated once)."""
        if item.poll is None:
            return self.prune
        source = item.poll.source
        cached = self._prunes.get(source.name)
        if cached is None:
            cached = self._prunes[source.name] = source.prune_xpaths
        return cached

    async def process_item(self, item: PageItem | ListingItem | PostItem | Held) -> ArticleItem:
        if isinstance(item, PostItem):  # read from its channel page: nothing to extract
            count(self.stats, {POLL_META: item.poll}, "telegram/posts")
            matched = self._match(item.article, item.source)
            vector = await self._story_vector(item.article, item, matched)
            post = replace(item.article, story_vector=vector)
            return ArticleItem(
                source=item.source,
                article=post,
                fetched_url=post.url,
                requested_url=post.url,
                poll=item.poll,
                token=item.token,
                edited=item.edited,
                links_to=item.links_to,
                matched=matched,
            )
        held = item if isinstance(item, Held) else None  # back from its learned first batch
        if isinstance(item, Held):
            item = item.page
        meta = {POLL_META: item.poll}
        if isinstance(item, ListingItem):
            if item.poll is not None and self._is_new(item.source):
                self.first_batches.note_listing(item.poll, set(page_lines(item.html)))
            raise DropItem(f"listing page read: {item.url}", log_level="DEBUG")
        # an article a Telegram post links to (follow_links) may be on any site: read
        # generically, never learned from as the channel's template or boilerplate
        linked = item.poll is not None and item.poll.source.telegram is not None
        try:
            found = (
                held.article
                if held is not None
                else await self.workers.extract(
                    item.html,
                    item.url,
                    self._prune(item),
                    templates=() if linked else self.templates.templates_for(item.source),
                    with_layout=not linked and self.templates.wants_layout(item.source),
                )
                if item.html
                else "not an HTML page"
            )
        except Exception as exc:  # a page that breaks the extractor is recorded, not lost silently
            why = f"{type(exc).__name__}: {exc}"
            self.failures.record(item.url, "extraction_error", why, source=item.source, meta=meta)
            raise DropItem(f"extraction failed ({type(exc).__name__}): {item.url}") from exc
        if isinstance(found, Article) and not linked:
            learn = held is None  # a held article's batch was learned from as a whole
            if held is None:
                if item.poll is not None and self._is_new(item.source):
                    # the article waits for its batch out of the pipelines (or the next crawl);
                    # the batch teaches the source's template as a whole
                    waits = self.first_batches.hold(item, found)
                    if waits is not None:
                        raise DropItem(waits, log_level="DEBUG")
                self.templates.note(item.source, found)
            else:
                found = self._read_by_template(item.source, found)
            if isinstance(found, Article):
                found = await self._boilerplate(item.source, found, meta, learn=learn)
        if not isinstance(found, Article):
            if item.html and not item.rendered and looks_like_js_shell(item.html):
                # a page whose text only JavaScript fills in: flagged, and not remembered as
                # "not an article" (with ``render: true`` it is fetched again)
                count(self.stats, meta, "needs_render")
                raise DropItem(
                    f"no article text without JavaScript (set render: true): {item.url}",
                    log_level="WARNING",
                )
            count(self.stats, meta, "not_article")
            store = self.resources.store
            for key in {url_key(item.url), url_key(item.requested_url)}:
                store.remember_url(key, item.source, URL_NOT_ARTICLE)
            raise DropItem(f"not an article ({found}): {item.url}", log_level="INFO")
        count(self.stats, meta, "extracted")
        matched = self._match(found, item.source)
        vector = await self._story_vector(found, item, matched)
        found = replace(found, layout=None, story_vector=vector)
        return ArticleItem(
            source=item.source,
            article=found,
            fetched_url=item.url,
            requested_url=item.requested_url,
            poll=item.poll,
            token=item.token,
            matched=matched,
        )

    def _match(self, article: Article, source: str) -> Matched:
        """What the article's text matches (rules see the title and the body only)."""
        seen = ArticleText(
            article.text, article.title, article.language, source, muted=article.linked
        )
        return self.matcher.match(seen)

    async def _story_vector(
        self, article: Article, item: PageItem | PostItem, matched: Matched
    ) -> bytes | None:
        """The article's story vector — only for an article a rule or concept matches: the
        vector groups the copies of one event across languages for its alert's thread and the
        trends, and embedding costs more than extracting (an article no rule matches is
        grouped with its near copies by MinHash alone)."""
        if not matched.alerts and not matched.mentions:
            return None
        count(self.stats, {POLL_META: item.poll}, "story_vectors")
        return await self.workers.embed(article)

    def _is_new(self, source: str) -> bool:
        """Whether no article of the source was ever learned from (its first crawl)."""
        learned = self._learned_from.get(source)
        if learned is None:
            learned = self._learned_from[source] = bool(
                self.known.get(source) or self.resources.store.boilerplate_keys(source, 1)
            )
        return not learned

    def _learn_batch(
        self, source: str, batch: Sequence[Held], listings: Sequence[set[str]]
    ) -> None:
        """A new source's first batch: every article's lines counted before any is stored;
        a line that two of its articles share counts once more for each home or section page
        that prints it too."""
        articles = [held.article for held in batch]
        self.templates.learn_batch(source, articles)
        # the lines counted are those of the articles as they will be stored (read again by
        # the template the batch just taught)
        reread = [self._read_by_template(source, article) for article in articles]
        store = self.resources.store
        reached: set[str] = set()
        lines = [learnable(a.text if isinstance(a, Article) else "") for a in reread]
        for article_lines in lines:
            reached |= store.learn_lines(source, article_lines, self.min_articles)
        shared = Counter(key for article_lines in lines for key in article_lines)
        samples = {key: line for article_lines in lines for key, line in article_lines.items()}
        for page in listings:
            echoed = {key: samples[key] for key in page if shared[key] >= 2}
            if echoed:
                reached |= store.learn_lines(source, echoed, self.min_articles)
        self.known.setdefault(source, set()).update(reached)
        self._learned_from[source] = True
        if reached:
            count(self.stats, None, "boilerplate_learned", len(reached))

    def _read_by_template(self, source: str, article: Article) -> Article | str:
        """A first-batch article read again by the template its batch taught (it was
        extracted before there was one)."""
        if article.by_template or article.layout is None:
            return article
        for template in self.templates.templates_for(source):
            text = template.text_of(article.layout)
            if text is not None:
                body = with_body(article, text, self.min_chars, template.key)
                return body or "text too short in its container"
        return article

    async def _boilerplate(
        self, source: str, article: Article, meta: dict[str, Any], *, learn: bool = True
    ) -> Article:
        """Learn the article's lines; drop those the source repeats across its articles."""
        store = self.resources.store
        known = self.known.get(source)
        if known is None:
            known = self.known[source] = store.boilerplate_keys(source, self.min_articles)
        reached = (
            await self.resources.writer.learn_lines(
                source, learnable(article.text), self.min_articles
            )
            if learn
            else set()
        )
        if reached:
            known |= reached
            count(self.stats, meta, "boilerplate_learned", len(reached))
            self._revise_recent(source, known, meta)
        text, dropped, linked = strip_learned(article.text, known, article.linked)
        if not dropped or len(text) < self.min_chars:
            return article
        count(self.stats, meta, "boilerplate_lines_dropped", dropped)
        return replace(article, text=text, fingerprint=fingerprint(text), linked=linked)

    def _revise_recent(self, source: str, known: set[str], meta: dict[str, Any]) -> None:
        """Lines just learned leave the source's latest stored articles too; those are matched
        again: alerts not sent yet follow the cleaned text, nothing new is enqueued."""
        store = self.resources.store
        for stored in store.recent_texts(source, REVISE_RECENT):
            text, dropped, linked = strip_learned(stored.text, known, stored.linked)
            if not dropped or len(text) < self.min_chars:
                continue
            seen = ArticleText(text, stored.title, stored.language, source, muted=linked)
            matched = self.matcher.match(seen)
            withdrawn = store.revise_article(
                stored.id,
                text=text,
                fingerprint=fingerprint(text),
                linked=linked,
                alerts=alert_drafts(seen.combined, matched.alerts),
                mentions=matched.mentions,
                looked_for=self.matcher.subjects,
            )
            count(self.stats, meta, "boilerplate_articles_revised")
            if withdrawn:
                count(self.stats, meta, "alerts_withdrawn", withdrawn)


def alert_drafts(text: str, matches: list[Match]) -> tuple[AlertDraft, ...]:
    """One draft per channel, naming every rule that matched for that channel."""
    by_channel: dict[str, list[Match]] = defaultdict(list)
    for m in matches:
        for channel in m.channels or (m.channel,):
            by_channel[channel].append(m)
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

    def __init__(
        self,
        resources: CrawlResources,
        stats: StatsCollector,
        matcher: Matcher,
    ) -> None:
        self.resources = resources
        self.stats = stats
        self.matcher = matcher

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        assert crawler.stats is not None
        resources = resources_for(crawler)
        return cls(resources, crawler.stats, Matcher.of(resources.config.model))

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        art = item.article
        # Rules see the title and the extracted body only, never the page around them.
        seen = ArticleText(art.text, art.title, art.language, item.source, muted=art.linked)
        matched = item.matched if item.matched is not None else self.matcher.match(seen)
        drafts = alert_drafts(seen.combined, matched.alerts)
        meta = {POLL_META: item.poll}
        if item.edited:
            outcome = revise_post(self.resources.store, self.matcher, item, drafts, matched)
            count(self.stats, meta, f"telegram/{outcome}")
            raise DropItem(f"post {outcome}: {art.url}", log_level="INFO")
        url_keys = {url_key(u) for u in (art.url, item.requested_url, item.fetched_url)}
        # a post and the article it links to share a story, whichever is stored first
        story_keys = tuple(LINKED_KEY + key for key in sorted(url_keys))
        if item.links_to:
            url_keys.add(LINKED_KEY + url_key(item.links_to))
            story_keys = (url_key(item.links_to), *story_keys)
        sig = signed(art)
        save = ArticleSave(
            NewArticle(
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
                vector=art.story_vector,
                evidence=art.evidence,
                linked=art.linked,
                story_keys=story_keys,
            ),
            url_keys=tuple(url_keys),
            alerts=drafts,
            mentions=matched.mentions,
        )
        result = await self.resources.writer.save(save)
        if not result.is_new:
            count(self.stats, meta, "duplicates")
            raise DropItem(f"already stored: {art.url}", log_level="INFO")
        count(self.stats, meta, "stored")
        count(self.stats, meta, "alerts_enqueued", len(result.alert_ids))
        return item


def signed(article: Article) -> Signature | None:
    """The article's near-duplicate signature: the one made beside its extraction, unless its
    text has changed since (learned boilerplate dropped, read again by a template)."""
    if article.signed is not None and article.signed[0] == article.fingerprint:
        return article.signed[1]
    return signature(article.text)
