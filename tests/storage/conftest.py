"""A fresh SQLite store per test, and small builders of what goes into it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import AlertDraft, NewArticle, SaveResult, Storage, open_store


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database with every migration applied (migrating takes most of an open)."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_store(path).close()
    return path


@pytest.fixture
def store(tmp_path: Path, migrated: Path) -> Iterator[Storage]:
    shutil.copyfile(migrated, tmp_path / "x.db")
    s = open_store(tmp_path / "x.db")
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
