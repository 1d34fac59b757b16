"""Nodes sharing one database: source leases, the pace of each channel across the fleet,
heartbeats (PostgreSQL: each is one atomic statement)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from storage.postgres.connection import PgConnection
from storage.rows import Lease, NodeInfo, ScheduleEntry

# The due sources no node holds, earliest first; a row another node is claiming at this moment
# is skipped (not waited for), so nodes claiming together each get different sources.
_CLAIM_DUE = """
WITH due AS (
    SELECT s.source FROM schedule s
    WHERE s.source = ANY(%(sources)s) AND s.next_due <= %(now)s
      AND NOT EXISTS (
          SELECT 1 FROM leases l WHERE l.source = s.source AND l.expires_at > %(now)s)
    ORDER BY s.next_due
    LIMIT %(limit)s
    FOR UPDATE OF s SKIP LOCKED
)
INSERT INTO leases (source, node, expires_at, taken_at)
SELECT source, %(node)s, %(expires)s, %(now)s FROM due
ON CONFLICT (source) DO UPDATE SET node = excluded.node, expires_at = excluded.expires_at,
    taken_at = excluded.taken_at
WHERE leases.expires_at <= %(now)s
RETURNING source
"""


class PgFleet(PgConnection):
    def claim_source(self, source: str, node: str, now: float, ttl: float) -> bool:
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO leases (source, node, expires_at, taken_at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (source) DO UPDATE SET node = excluded.node, "
                "expires_at = excluded.expires_at, taken_at = excluded.taken_at "
                "WHERE leases.expires_at <= %s OR leases.node = excluded.node RETURNING source",
                [source, node, now + ttl, now, now],
            ).fetchone()
        return row is not None

    def release_source(self, source: str, node: str) -> None:
        self.run("DELETE FROM leases WHERE source = %s AND node = %s", [source, node])

    def add_to_schedule(self, entries: Sequence[ScheduleEntry]) -> None:
        if not entries:
            return
        cols = list(asdict(entries[0]))
        rows = [
            [json.dumps(list(e.problems)) if c == "problems" else getattr(e, c) for c in cols]
            for e in entries
        ]
        with self.transaction() as conn, conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO schedule ({', '.join(cols)}) "
                f"VALUES ({', '.join(['%s'] * len(cols))}) ON CONFLICT (source) DO NOTHING",
                rows,
            )

    def claim_due(
        self, node: str, sources: Sequence[str], now: float, ttl: float, limit: int
    ) -> list[str]:
        if limit <= 0 or not sources:
            return []
        args = {
            "sources": list(sources),
            "now": now,
            "limit": limit,
            "node": node,
            "expires": now + ttl,
        }
        with self.transaction() as conn:
            rows = conn.execute(_CLAIM_DUE, args).fetchall()
        return [r[0] for r in rows]

    def release_leases(self, node: str) -> int:
        return self.run("DELETE FROM leases WHERE node = %s", [node])

    def reserve_post(self, channel: str, now: float, interval: float) -> float:
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO channel_pace (channel, next_at) VALUES (%s, %s) "
                "ON CONFLICT (channel) DO UPDATE SET "
                "next_at = greatest(channel_pace.next_at, %s) + %s RETURNING next_at",
                [channel, now + interval, now, interval],
            ).fetchone()
        assert row is not None
        return float(row[0]) - interval

    def heartbeat(self, node: str, host: str, pid: int, started_at: float, now: float) -> None:
        self.run(
            "INSERT INTO nodes (node, host, pid, started_at, heartbeat_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (node) DO UPDATE SET "
            "heartbeat_at = excluded.heartbeat_at",
            [node, host, pid, started_at, now],
        )

    def fleet(self) -> tuple[list[NodeInfo], list[Lease]]:
        nodes = [
            NodeInfo(*r)
            for r in self.all(
                "SELECT node, host, pid, started_at, heartbeat_at FROM nodes "
                "ORDER BY heartbeat_at DESC"
            )
        ]
        leases = [
            Lease(*r)
            for r in self.all("SELECT source, node, expires_at FROM leases ORDER BY source")
        ]
        return nodes, leases
