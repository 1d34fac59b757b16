"""The SQLite backend is a complete :class:`storage.Storage`: every method of the protocol,
with the protocol's parameters."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from storage import Storage
from storage.sqlite import SQLiteStore

PROTOCOL_METHODS = sorted(
    name for name, _ in inspect.getmembers(Storage, inspect.isfunction) if not name.startswith("_")
)


def parameters(function: Callable[..., Any]) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def test_the_protocol_has_methods() -> None:
    assert {"save_article", "search", "claim_alert", "browse_target"} <= set(PROTOCOL_METHODS)


@pytest.mark.parametrize("name", PROTOCOL_METHODS)
def test_sqlite_store_has_the_method_with_the_same_parameters(name: str) -> None:
    implementation = getattr(SQLiteStore, name, None)
    assert callable(implementation), f"SQLiteStore lacks {name}"
    assert parameters(implementation) == parameters(getattr(Storage, name))


@pytest.mark.sqlite
def test_an_opened_store_offers_every_protocol_method(store: Storage) -> None:
    offered = {n for n in dir(store) if not n.startswith("_") and callable(getattr(store, n))}
    assert set(PROTOCOL_METHODS) <= offered
    assert type(store) is SQLiteStore
