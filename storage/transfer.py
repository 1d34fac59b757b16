"""Moving up: copy a SQLite database into PostgreSQL (``newsmon migrate --to postgresql://…``).

Every table is copied in id order with its ids kept (so stories, threads and alerts still point
at the right rows), in batches, each batch one transaction that skips what is already there: a
copy that stops half-way is resumed by running it again, and running it twice copies nothing
twice. The sequences are moved past the copied ids at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg

from storage.errors import StorageError, redact
from storage.postgres import PostgresStore
from storage.postgres.articles import SEARCH_VECTOR
from storage.sqlite import SQLiteStore

BATCH = 1000
# table → the columns copied, in dependency order (each row is identified by a key of the
# table in PostgreSQL: a row already there is skipped)
TABLES: dict[str, tuple[str, ...]] = {
    "stories": (
        "id",
        "fingerprint",
        "created_at",
    ),
    "articles": (
        "id",
        "url",
        "source",
        "title",
        "text",
        "author",
        "published",
        "language",
        "description",
        "story_id",
        "fingerprint",
        "fetched_url",
        "fetched_at",
        "linked",
    ),
    "urls": (
        "url",
        "source",
        "status",
        "article_id",
        "seen_at",
    ),
    "story_signatures": (
        "article_id",
        "story_id",
        "created_at",
        "minhash",
        "shingles",
    ),
    "story_bands": (
        "band",
        "article_id",
        "created_at",
    ),
    "story_vectors": (
        "article_id",
        "story_id",
        "created_at",
        "vector",
        "evidence",
    ),
    "fetch_state": (
        "url",
        "etag",
        "last_modified",
        "body_hash",
        "full_fetch_at",
        "checked_at",
    ),
    "crawl_runs": (
        "id",
        "source",
        "started_at",
        "finished_at",
        "status",
        "finish_reason",
        "stats",
    ),
    "crawl_errors": (
        "id",
        "run_id",
        "source",
        "url",
        "kind",
        "message",
        "at",
    ),
    "alerts": (
        "id",
        "article_id",
        "story_id",
        "channel",
        "rules",
        "snippet",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "message_ts",
        "thread_ts",
        "digest_hour",
        "digest",
    ),
    "threads": (
        "story_id",
        "channel",
        "ts",
        "alert_id",
    ),
    "thread_folds": (
        "story_id",
        "channel",
        "ts",
        "outlets",
        "updated_at",
    ),
    "page_templates": (
        "source",
        "key",
        "data",
        "pages",
        "learned_at",
        "replaced",
    ),
    "schedule": (
        "source",
        "interval",
        "next_due",
        "failures",
        "empty_runs",
        "extraction_runs",
        "last_started",
        "last_success",
        "last_new_article",
        "last_error",
        "problems",
        "problems_since",
    ),
    "notices": (
        "id",
        "channel",
        "source",
        "kind",
        "text",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "message_ts",
    ),
    "boilerplate": (
        "source",
        "line_key",
        "articles",
        "sample",
        "first_seen",
        "last_seen",
    ),
    "mentions": (
        "article_id",
        "subject",
        "day",
        "story_id",
        "source",
        "language",
        "at",
        "noted_at",
    ),
    "mention_counts": (
        "subject",
        "day",
        "source",
        "language",
        "articles",
    ),
    "mention_backfills": (
        "subject",
        "done_at",
    ),
    "trend_posts": (
        "id",
        "key",
        "kind",
        "channel",
        "subject",
        "day",
        "volume",
        "text",
        "blocks",
        "filename",
        "file",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "message_ts",
    ),
}
SEQUENCES = (
    "stories",
    "articles",
    "crawl_runs",
    "crawl_errors",
    "alerts",
    "notices",
    "trend_posts",
)


def _batches(conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> Iterator[list[Any]]:
    cur = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
    while rows := cur.fetchmany(BATCH):
        yield rows


def _new_bands(pg: psycopg.Connection, rows: list[Any]) -> list[Any]:
    """The band rows of articles whose bands are not copied yet."""
    ids = sorted({r[1] for r in rows})
    done = {r[0] for r in pg.execute(
        "SELECT DISTINCT article_id FROM story_bands WHERE article_id = ANY(%s)", [ids]
    ).fetchall()}  # fmt: skip
    return [r for r in rows if r[1] not in done]


def copy_sqlite_to_postgres(
    source: Path, url: str, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every newsmon table of the SQLite file ``source`` into the PostgreSQL database at
    ``url`` (migrated first); returns the rows newly copied per table."""
    SQLiteStore.open(source).close()  # the file is a newsmon database, migrated
    PostgresStore.open(url).close()
    copied: dict[str, int] = {}
    lite = sqlite3.connect(source)
    try:
        with psycopg.connect(url) as pg:
            for table, columns in TABLES.items():
                values = ", ".join(["%s"] * len(columns))
                if table == "articles":  # the search vector is built from title and text
                    values += f", {SEARCH_VECTOR}"
                    cols = (*columns, "search")
                else:
                    cols = columns
                sql = (
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) "
                    "ON CONFLICT DO NOTHING"
                )
                title, text = columns.index("title") if table == "articles" else 0, 0
                if table == "articles":
                    text = columns.index("text")
                total = 0
                for rows in _batches(lite, table, columns):
                    if table == "story_bands":  # no key of its own: an article's bands at once
                        rows = _new_bands(pg, rows)
                    params = [
                        (*row, row[title], row[text]) if table == "articles" else tuple(row)
                        for row in rows
                    ]
                    with pg.transaction(), pg.cursor() as cur:
                        cur.executemany(sql, params)
                        total += max(cur.rowcount, 0)
                    if progress:
                        progress(table, total)
                copied[table] = total
            with pg.transaction():
                for table in SEQUENCES:
                    pg.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"greatest((SELECT max(id) FROM {table}), 1))"
                    )
    except psycopg.Error as exc:
        raise StorageError(f"copy to {redact(url)} failed: {redact(str(exc))}") from None
    except sqlite3.Error as exc:
        raise StorageError(f"cannot read {source}: {exc}") from None
    finally:
        lite.close()
    return copied
