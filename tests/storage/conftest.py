"""A fresh store per test on each backend (SQLite, and PostgreSQL on a throwaway server), so
the two cannot drift; and small builders of what goes into it. Tests marked ``sqlite`` look at
the SQLite file from outside and run on that backend only."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from storage import AlertDraft, NewArticle, SaveResult, Storage, open_store
from tests.pgserver import PostgresServer


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database with every migration applied (migrating takes most of an open)."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_store(path).close()
    return path


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" in metafunc.fixturenames:
        sqlite_only = metafunc.definition.get_closest_marker("sqlite") is not None
        metafunc.parametrize("backend", ["sqlite"] if sqlite_only else ["sqlite", "postgresql"])


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> tuple[PostgresServer, str]:
    """The session's PostgreSQL server and a migrated database to copy per test."""
    open_store(pg_server.create_database("newsmon_template")).close()
    return pg_server, "newsmon_template"


_dbs = itertools.count(1)


@pytest.fixture
def store_location(
    backend: str, tmp_path: Path, migrated: Path, request: pytest.FixtureRequest
) -> Path | str:
    """A fresh migrated database of the backend: its file, or its URL."""
    if backend == "postgresql":
        server, template = request.getfixturevalue("pg_template")
        name = f"t{next(_dbs)}"
        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return server.url(name)
    shutil.copyfile(migrated, tmp_path / "x.db")
    return tmp_path / "x.db"


@pytest.fixture
def store(store_location: Path | str) -> Iterator[Storage]:
    s = open_store(store_location)
    yield s
    s.close()


def article(n: int, source: str = "herald", **fields: object) -> NewArticle:
    values: dict[str, object] = {
        "url": f"https://outlet.test/{source}/{n}",
        "source": source,
        "title": f"Title {n}",
        "text": f"Text of article {n}",
        "fingerprint": f"fp-{source}-{n}",
    }
    values.update(fields)
    return NewArticle(**values)  # type: ignore[arg-type]


def add(
    store: Storage,
    n: int,
    *channels: str,
    rules: tuple[str, ...] = ("rule-a",),
    fingerprint: str | None = None,
) -> SaveResult:
    """Store article ``n`` with one alert per channel (default: ``#news``)."""
    drafts = [AlertDraft(c, rules, f"snippet {n}") for c in channels or ("#news",)]
    return store.save_article(article(n, fingerprint=fingerprint or f"fp-{n}"), alerts=drafts)
