"""Each Apprise destination's last delivery and last failure (``newsmon status``)."""

from __future__ import annotations

from storage.rows import DeliveryState
from storage.sqlite.connection import Connection


class Deliveries(Connection):
    def note_delivery(self, channel: str, now: float, error: str | None = None) -> None:
        with self.transaction():
            if error is None:
                self.db.execute(
                    "INSERT INTO delivery_states (channel, last_ok_at) VALUES (?, ?) "
                    "ON CONFLICT(channel) DO UPDATE SET last_ok_at = excluded.last_ok_at",
                    [channel, now],
                )
            else:
                self.db.execute(
                    "INSERT INTO delivery_states (channel, last_error, last_error_at) "
                    "VALUES (?, ?, ?) ON CONFLICT(channel) DO UPDATE SET "
                    "last_error = excluded.last_error, last_error_at = excluded.last_error_at",
                    [channel, error[:500], now],
                )

    def delivery_states(self) -> list[DeliveryState]:
        rows = self.db.execute(
            "SELECT channel, last_ok_at, last_error, last_error_at FROM delivery_states "
            "ORDER BY channel"
        ).fetchall()
        return [DeliveryState(*r) for r in rows]
