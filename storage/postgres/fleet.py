"""Nodes sharing one database: source leases, the pace of each channel across the fleet,
heartbeats (PostgreSQL: each is one atomic statement)."""

from __future__ import annotations

from storage.postgres.connection import PgConnection
from storage.rows import Lease, NodeInfo


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
