"""Each Apprise destination's last delivery and last failure (``newsmon status``)."""

from __future__ import annotations

from storage.postgres.connection import PgConnection
from storage.rows import DeliveryState


class PgDeliveries(PgConnection):
    def note_delivery(self, channel: str, now: float, error: str | None = None) -> None:
        if error is None:
            self.run(
                "INSERT INTO delivery_states (channel, last_ok_at) VALUES (%s, %s) "
                "ON CONFLICT (channel) DO UPDATE SET last_ok_at = excluded.last_ok_at",
                [channel, now],
            )
        else:
            self.run(
                "INSERT INTO delivery_states (channel, last_error, last_error_at) "
                "VALUES (%s, %s, %s) ON CONFLICT (channel) DO UPDATE SET "
                "last_error = excluded.last_error, last_error_at = excluded.last_error_at",
                [channel, error[:500], now],
            )

    def delivery_states(self) -> list[DeliveryState]:
        rows = self.all(
            "SELECT channel, last_ok_at, last_error, last_error_at FROM delivery_states "
            "ORDER BY channel"
        )
        return [DeliveryState(*r) for r in rows]
