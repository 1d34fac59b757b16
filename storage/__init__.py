"""Storage: the only code that writes SQL. One interface (:class:`Storage`), typed rows,
backend-neutral errors; :func:`open_store` picks the backend for a database location."""

from __future__ import annotations

from pathlib import Path

from storage.errors import (
    DatabaseBusy,
    DatabaseUnreachable,
    QueryError,
    StorageError,
    UnsupportedDatabase,
    redact,
)
from storage.interface import SEARCH_WINDOW, Storage
from storage.rows import (
    AlertCounts,
    AlertDraft,
    ArticleRecord,
    ArticleSave,
    BrowseTarget,
    CrawlRun,
    DailyMentions,
    DeliveryState,
    FailedAlert,
    FetchState,
    FetchUpdate,
    FoldedCopy,
    Lease,
    MentionCount,
    NewArticle,
    NodeInfo,
    Notice,
    OutboxAlert,
    PageTemplate,
    PostDraft,
    SaveResult,
    ScheduleEntry,
    SearchHit,
    SearchResults,
    SourceSummary,
    StorySummary,
    ThreadFold,
    TrendPost,
)
from storage.story_joins import ThreadJoin


def open_store(database: str | Path, *, migrate: bool = True) -> Storage:
    """Open (and migrate) the database at ``database``: a SQLite file path, or a
    ``postgresql://`` URL."""
    text = str(database)
    if text.startswith(("postgresql://", "postgres://")):
        from storage.postgres import PostgresStore

        return PostgresStore.open(text, migrate=migrate)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise UnsupportedDatabase(f"no storage backend for {scheme}:// databases")
    from storage.sqlite import SQLiteStore

    return SQLiteStore.open(database, migrate=migrate)


__all__ = [
    "SEARCH_WINDOW",
    "AlertCounts",
    "AlertDraft",
    "ArticleRecord",
    "ArticleSave",
    "BrowseTarget",
    "CrawlRun",
    "DailyMentions",
    "DeliveryState",
    "DatabaseBusy",
    "DatabaseUnreachable",
    "FailedAlert",
    "FetchState",
    "FetchUpdate",
    "FoldedCopy",
    "Lease",
    "MentionCount",
    "NewArticle",
    "NodeInfo",
    "Notice",
    "OutboxAlert",
    "PageTemplate",
    "PostDraft",
    "QueryError",
    "SaveResult",
    "ScheduleEntry",
    "SearchHit",
    "SearchResults",
    "SourceSummary",
    "StorySummary",
    "Storage",
    "ThreadFold",
    "ThreadJoin",
    "TrendPost",
    "StorageError",
    "UnsupportedDatabase",
    "open_store",
    "redact",
]
