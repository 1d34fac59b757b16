"""What ``newsmon status`` shows: per-source summaries and the state of the alert queue."""

from __future__ import annotations

from dataclasses import replace

from storage.rows import AlertCounts, FailedAlert, SourceSummary
from storage.sqlite.connection import Connection, rules_of
from storage.sqlite.crawls import crawl_run


class Status(Connection):
    def alert_counts(self) -> AlertCounts:
        counts = {
            str(status): int(n)
            for status, n in self.db.execute("SELECT status, count(*) FROM alerts GROUP BY status")
        }
        known = AlertCounts.__dataclass_fields__
        return AlertCounts(**{k: v for k, v in counts.items() if k in known})

    def failed_alerts(self, limit: int = 10) -> list[FailedAlert]:
        rows = self.db.execute(
            "SELECT id, channel, rules, last_error, created_at FROM alerts WHERE status = 'dead' "
            "ORDER BY id DESC LIMIT ?",
            [limit],
        ).fetchall()
        return [FailedAlert(r[0], r[1], rules_of(r[2]), r[3], r[4] or "") for r in rows]

    def source_summaries(self) -> dict[str, SourceSummary]:
        out: dict[str, SourceSummary] = {}

        def summary(source: str) -> SourceSummary:
            return out.setdefault(source, SourceSummary(source))

        for source, n, last in self.db.execute(
            "SELECT source, count(*), max(fetched_at) FROM articles GROUP BY source"
        ):
            out[source] = replace(summary(source), articles=int(n), last_article=last)
        for row in self.rows(
            "SELECT * FROM crawl_runs WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY source)"
        ):
            run = crawl_run(row)
            out[run.source] = replace(summary(run.source), last_run=run)
        for source, n in self.db.execute(
            "SELECT source, count(*) FROM crawl_errors "
            "WHERE at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-1 day') GROUP BY source"
        ):
            out[source] = replace(summary(source), errors_24h=int(n))
        return out
