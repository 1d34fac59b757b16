"""Nodes sharing one database: source leases, the pace of each channel across processes,
heartbeats."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from storage.rows import Lease, NodeInfo, ScheduleEntry
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

    def add_to_schedule(self, entries: Sequence[ScheduleEntry]) -> None:
        rows = [{**asdict(e), "problems": json.dumps(list(e.problems))} for e in entries]
        if rows:
            with self.transaction():
                self.db.table("schedule").insert_all(rows, pk="source", ignore=True)

    def claim_due(
        self, node: str, sources: Sequence[str], now: float, ttl: float, limit: int
    ) -> list[str]:
        if limit <= 0 or not sources:
            return []
        # one writer at a time in SQLite: look first without the write lock, which is taken
        # only when something is due, then look again under it
        names = json.dumps(list(sources))
        if not self._due(names, now, limit):
            return []
        with self.transaction():
            due = self._due(names, now, limit)
            self.db.conn.executemany(
                "INSERT INTO leases (source, node, expires_at, taken_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(source) DO UPDATE SET node = excluded.node, "
                "expires_at = excluded.expires_at, taken_at = excluded.taken_at",
                [(name, node, now + ttl, now) for name in due],
            )
        return due

    def _due(self, names: str, now: float, limit: int) -> list[str]:
        rows = self.db.execute(
            "SELECT s.source FROM schedule s WHERE s.source IN (SELECT value FROM json_each(?)) "
            "AND s.next_due <= ? AND NOT EXISTS (SELECT 1 FROM leases l "
            "WHERE l.source = s.source AND l.expires_at > ?) ORDER BY s.next_due LIMIT ?",
            [names, now, now, limit],
        ).fetchall()
        return [r[0] for r in rows]

    def release_leases(self, node: str) -> int:
        with self.transaction():
            return self.db.execute("DELETE FROM leases WHERE node = ?", [node]).rowcount

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
