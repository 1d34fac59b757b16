"""Site-learned boilerplate: per source, in how many articles each short line appeared."""

from __future__ import annotations

from collections.abc import Mapping

from storage.sqlite.connection import Connection, utcnow


class Boilerplate(Connection):
    def boilerplate_keys(self, source: str, min_articles: int) -> set[str]:
        rows = self.db.execute(
            "SELECT line_key FROM boilerplate WHERE source = ? AND articles >= ?",
            [source, min_articles],
        ).fetchall()
        return {str(r[0]) for r in rows}

    def learn_lines(self, source: str, lines: Mapping[str, str], min_articles: int) -> set[str]:
        """Count one more article for each line key; returns the keys that just reached
        ``min_articles`` (now boilerplate for the source)."""
        if not lines:
            return set()
        now = utcnow()
        keys = list(lines)
        with self.transaction():
            self.db.conn.executemany(
                "INSERT INTO boilerplate (source, line_key, articles, sample, first_seen, "
                "last_seen) VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT(source, line_key) DO UPDATE "
                "SET articles = articles + 1, last_seen = excluded.last_seen",
                [(source, key, sample, now, now) for key, sample in lines.items()],
            )
            reached: set[str] = set()
            for start in range(0, len(keys), 500):  # under SQLite's bound-parameter limit
                chunk = keys[start : start + 500]
                rows = self.db.execute(
                    f"SELECT line_key FROM boilerplate WHERE source = ? AND articles = ? "
                    f"AND line_key IN ({','.join('?' * len(chunk))})",
                    [source, min_articles, *chunk],
                ).fetchall()
                reached.update(str(r[0]) for r in rows)
        return reached
