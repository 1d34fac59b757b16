"""Counting the mentions of rules and ``@concepts`` added after articles were stored: once per
subject, over every stored article, matched as the crawl matches them (the anchor text of links
to other articles muted). A new rule gets its history at once — its chart is not empty and its
first spike check has a baseline instead of calling everything today a spike. Articles stored
meanwhile are counted by the crawl; a mention is never counted twice (by key)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alerts.rules import ArticleText
from crawler.config import NewsmonConfig
from crawler.matching import Matcher
from storage import Storage

BATCH = 500  # stored articles read and matched per transaction


@dataclass(frozen=True)
class Backfill:
    subjects: tuple[str, ...]  # the rules and @concepts counted over the archive this time
    articles: int  # stored articles matched
    mentions: int  # mentions added
    found: int = 0  # mentions found, counted before (as their articles were crawled) or now

    def __str__(self) -> str:
        what, stored = ", ".join(self.subjects), f"{self.articles} stored article(s)"
        if not self.found:
            return f"{what}: not mentioned in any of {stored}"
        if self.mentions == self.found:
            return f"{what}: counted {self.mentions} mention(s) in {stored}"
        if not self.mentions:
            return (
                f"{what}: {self.found} mention(s) in {stored}, all counted already as the "
                "articles were crawled"
            )
        return (
            f"{what}: counted {self.mentions} more mention(s) ({self.found} in {stored}; the "
            "rest were counted as the articles were crawled)"
        )


def backfill_mentions(
    store: Storage, model: NewsmonConfig, progress: Callable[[int], None] | None = None
) -> Backfill:
    """Count the stored articles' mentions of every configured subject not counted so far."""
    configured = {r.name for r in model.rules} | {f"@{name}" for name in model.concepts}
    todo = configured - store.backfilled_subjects()  # (no rule compiled when nothing is new)
    if not todo:
        return Backfill((), 0, 0)
    matcher = Matcher.of(model, only=todo)
    last, articles, mentions, total = 0, 0, 0, 0
    while texts := store.stored_texts(last, BATCH):
        found = []
        for t in texts:
            seen = ArticleText(t.text, t.title, t.language, t.source, muted=t.linked)
            subjects = matcher.match(seen).mentions
            if subjects:
                found.append((t.id, subjects))
                total += len(subjects)
        mentions += store.backfill_mentions(found)
        articles += len(texts)
        last = texts[-1].id
        if progress is not None:
            progress(articles)
    store.mark_backfilled(sorted(todo))
    return Backfill(tuple(sorted(todo)), articles, mentions, total)
