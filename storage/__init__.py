"""Storage: the only code that writes SQL. SQLite through sqlite-utils, behind :class:`Store`."""

from storage.sqlite.store import AlertDraft, Store, StoredArticle

__all__ = ["AlertDraft", "Store", "StoredArticle"]
