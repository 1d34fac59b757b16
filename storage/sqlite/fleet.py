"""Nodes sharing one database: source leases, the pace of each channel across processes,
heartbeats."""

from __future__ import annotations

from storage.rows import Lease, NodeInfo
from storage.sqlite.connection import Connection


class Fleet(Connection):
    def claim_source(self, source: str, node: str, now: float, ttl: float) -> bool:
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO leases (source, node, expires_at, taken_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(source) DO UPDATE SET node = excluded.node, "
                "expires_at = excluded.expires_at, taken_at = excluded.taken_at "
                "WHERE leases.expires_at <= ? OR leases.node = excluded.node",
                [source, node, now + ttl, now, now],
            )
            return cur.rowcount == 1

    def release_source(self, source: str, node: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM leases WHERE source = ? AND node = ?", [source, node])

    def reserve_post(self, channel: str, now: float, interval: float) -> float:
        with self.transaction():
            row = self.db.execute(
                "INSERT INTO channel_pace (channel, next_at) VALUES (?, ?) "
                "ON CONFLICT(channel) DO UPDATE SET next_at = max(channel_pace.next_at, ?) + ? "
                "RETURNING next_at",
                [channel, now + interval, now, interval],
            ).fetchone()
        return float(row[0]) - interval

    def heartbeat(self, node: str, host: str, pid: int, started_at: float, now: float) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO nodes (node, host, pid, started_at, heartbeat_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(node) DO UPDATE SET "
                "heartbeat_at = excluded.heartbeat_at",
                [node, host, pid, started_at, now],
            )

    def fleet(self) -> tuple[list[NodeInfo], list[Lease]]:
        nodes = [
            NodeInfo(*r)
            for r in self.db.execute(
                "SELECT node, host, pid, started_at, heartbeat_at FROM nodes "
                "ORDER BY heartbeat_at DESC"
            ).fetchall()
        ]
        leases = [
            Lease(*r)
            for r in self.db.execute(
                "SELECT source, node, expires_at FROM leases ORDER BY source"
            ).fetchall()
        ]
        return nodes, leases
