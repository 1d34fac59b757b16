"""A read-only view of PostgreSQL for the desk (``newsmon browse``): Datasette reads SQLite, so
the tables the desk shows are copied into a new SQLite file — a snapshot as of the copy.

The story-matching state (signatures, bands, vectors), the seen URLs and the conditional-GET
state are left out: the desk never shows them. The copy goes to a temporary file renamed into
place at the end, so a half-made snapshot is never browsed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg

from storage.errors import StorageError, redact
from storage.sqlite import SQLiteStore
from storage.transfer import BATCH, TABLES

LEFT_OUT = frozenset({"urls", "story_signatures", "story_bands", "story_vectors", "fetch_state"})


def snapshot_postgres(
    url: str, path: Path, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy the desk's tables of the PostgreSQL database at ``url`` into a new SQLite database
    at ``path`` (replaced if it exists); returns the rows copied per table."""
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    SQLiteStore.open(partial).close()  # the schema, the search index and its triggers
    copied: dict[str, int] = {}
    lite = sqlite3.connect(partial)
    try:
        with psycopg.connect(url) as pg:
            for table, columns in TABLES.items():
                if table in LEFT_OUT:
                    continue
                names = ", ".join(columns)
                insert = (
                    f"INSERT OR IGNORE INTO {table} ({names}) "
                    f"VALUES ({', '.join('?' * len(columns))})"
                )
                total = 0
                with pg.cursor(name=f"snapshot_{table}") as cur:
                    cur.execute(f"SELECT {names} FROM {table}")
                    while rows := cur.fetchmany(BATCH):
                        with lite:
                            lite.executemany(insert, rows)
                        total += len(rows)
                        if progress:
                            progress(table, total)
                copied[table] = total
        lite.close()
        os.replace(partial, path)
    except psycopg.Error as exc:
        raise StorageError(f"snapshot of {redact(url)} failed: {redact(str(exc))}") from None
    except sqlite3.Error as exc:
        raise StorageError(f"cannot write the snapshot {path}: {exc}") from None
    finally:
        lite.close()
        partial.unlink(missing_ok=True)
    return copied
