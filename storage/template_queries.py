"""Each source's learned page templates (the places of its article container and of the noise
inside it), written once for both backends: each backend gives :class:`TemplateQueries` its way
to run a statement (``?`` placeholders). A template is the crawler's data: stored as its JSON,
never read here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from storage.rows import PageTemplate

_COLUMNS = "source, key, data, pages, learned_at, replaced"


def _template(row: Sequence[Any]) -> PageTemplate:
    return PageTemplate(row[0], row[1], row[2], int(row[3] or 0), row[4], int(row[5] or 0))


class TemplateQueries:
    def _select(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _change(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def page_templates(self, source: str | None = None) -> list[PageTemplate]:
        where, args = ("WHERE source = ?", [source]) if source is not None else ("", [])
        rows = self._select(
            f"SELECT {_COLUMNS} FROM page_templates {where} ORDER BY source, learned_at DESC",
            args,
        )
        return [_template(r) for r in rows]

    def delete_page_template(self, source: str, key: str) -> None:
        self._change("DELETE FROM page_templates WHERE source = ? AND key = ?", [source, key])

    def save_page_template(self, template: PageTemplate, *, replaces: bool = False) -> None:
        when = template.learned_at or datetime.now(UTC).isoformat(timespec="seconds")
        if replaces:  # the source's layout changed: its earlier templates no longer hold
            self._change("DELETE FROM page_templates WHERE source = ?", [template.source])
        self._change(
            f"INSERT INTO page_templates ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (source, key) DO UPDATE SET data = excluded.data, "
            "pages = excluded.pages, learned_at = excluded.learned_at, "
            "replaced = excluded.replaced",
            [
                template.source,
                template.key,
                template.data,
                template.pages,
                when,
                template.replaced,
            ],
        )
