"""Backend-neutral storage errors: no driver exception (sqlite3, psycopg) crosses the interface.
A backend names its driver's exception and how to translate it, and :func:`guard_public_methods`
wraps every public method of its store with that."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from typing import Any

_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]*@")


class StorageError(Exception):
    """The database could not do what was asked. ``str()`` is the message for the user."""


class QueryError(StorageError):
    """A search query the database cannot run (syntax)."""


class DatabaseBusy(StorageError):
    """Another writer held the database for longer than the busy timeout."""


class DatabaseUnreachable(StorageError):
    """The database server could not be reached, or dropped the connection (a restart, a
    network cut): passing, worth trying again."""


class UnsupportedDatabase(StorageError):
    """A database location no backend serves, or an operation this backend does not offer."""


def redact(text: str) -> str:
    """A text (a database URL, an error message holding one) without its password."""
    return _PASSWORD.sub(r"\1***@", text)


def guard_public_methods(
    cls: type,
    driver_error: type[Exception],
    translate: Callable[[Any], StorageError],
    keep: tuple[str, ...] = ("open", "connect"),
) -> None:
    """Wrap every public method of ``cls`` (but ``keep``) so that a ``driver_error`` leaves it
    as the storage error ``translate`` makes of it."""

    def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.isgeneratorfunction(method):

            @functools.wraps(method)
            def generator(*args: Any, **kwargs: Any) -> Any:
                try:
                    yield from method(*args, **kwargs)
                except driver_error as exc:
                    raise translate(exc) from None

            return generator

        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except driver_error as exc:
                raise translate(exc) from None

        return call

    for name, method in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_") and name not in keep:
            setattr(cls, name, guarded(method))
