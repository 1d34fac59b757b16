"""Storage upgrades: a database made by an older newsmon is migrated in place on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from storage.sqlite import SQLiteStore
from storage.sqlite.schema import migrations


def test_old_database_is_upgraded_once_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m003_slashless_url_keys")  # a database from before m003
    old.execute(
        "INSERT INTO urls (url, source, status, seen_at) VALUES "
        "('https://outlet.test/news/a/', 's', 'article', '2026-01-01'), "
        "('https://outlet.test/', 's', 'not_article', '2026-01-01')"
    )
    old.conn.commit()
    old.close()

    store = SQLiteStore.open(path)
    keys = sorted(r[0] for r in store.db.execute("SELECT url FROM urls"))
    # a trailing slash is dropped from article keys, never from a site's root
    assert keys == ["https://outlet.test/", "https://outlet.test/news/a"]
    assert store.is_known("https://outlet.test/news/a")
    assert {m.name for m in migrations.pending(store.db)} == set()
    store.close()

    SQLiteStore.open(path).close()  # opening again applies nothing twice
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY name")]
    assert len(names) == len(set(names)) == 16
    assert names[0] == "m001_initial" and names[-1] == "m017_story_joins"
