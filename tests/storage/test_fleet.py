"""Nodes sharing one database: source leases, the channel pace across processes, heartbeats."""

from __future__ import annotations

import threading
from pathlib import Path

from storage import ScheduleEntry, Storage, open_store


def test_a_source_lease_is_held_by_one_node_until_it_expires(store: Storage) -> None:
    assert store.claim_source("herald", "node-a", 100.0, 60.0)
    assert not store.claim_source("herald", "node-b", 130.0, 60.0)  # node-a still holds it
    assert store.claim_source("herald", "node-a", 130.0, 60.0)  # its holder renews it
    assert store.claim_source("herald", "node-b", 191.0, 60.0)  # expired: another takes over
    _, leases = store.fleet()
    assert [(lease.source, lease.node, lease.expires_at) for lease in leases] == [
        ("herald", "node-b", 251.0)
    ]


def test_a_released_lease_is_free_at_once(store: Storage) -> None:
    assert store.claim_source("herald", "node-a", 100.0, 60.0)
    store.release_source("herald", "node-b")  # not its lease: nothing happens
    assert not store.claim_source("herald", "node-b", 101.0, 60.0)
    store.release_source("herald", "node-a")
    assert store.claim_source("herald", "node-b", 101.0, 60.0)


def test_channel_pace_is_shared_by_every_dispatcher(store: Storage) -> None:
    # three dispatchers ask at the same moment: their posts go out a second apart
    slots = [store.reserve_post("#news", 1000.0, 1.0) for _ in range(3)]
    assert slots == [1000.0, 1001.0, 1002.0]
    assert store.reserve_post("#other", 1000.0, 1.0) == 1000.0  # each channel on its own
    assert store.reserve_post("#news", 1010.0, 1.0) == 1010.0  # idle: no wait


def test_heartbeats(store: Storage) -> None:
    store.heartbeat("node-a", "host-1", 11, 50.0, 100.0)
    store.heartbeat("node-b", "host-2", 22, 60.0, 120.0)
    store.heartbeat("node-a", "host-1", 11, 50.0, 130.0)
    nodes, _ = store.fleet()
    assert [(n.node, n.heartbeat_at) for n in nodes] == [("node-a", 130.0), ("node-b", 120.0)]


def plan(store: Storage, **due: float) -> None:
    store.add_to_schedule([ScheduleEntry(name, 60.0, at) for name, at in due.items()])


def test_due_sources_are_claimed_earliest_first_up_to_the_limit(store: Storage) -> None:
    plan(store, herald=100.0, wire=90.0, later=500.0)
    assert store.claim_due("node-a", ["herald", "wire", "later"], 200.0, 60.0, 1) == ["wire"]
    assert store.claim_due("node-b", ["herald", "wire", "later"], 200.0, 60.0, 5) == ["herald"]
    assert store.claim_due("node-c", ["herald", "wire", "later"], 200.0, 60.0, 5) == []
    _, leases = store.fleet()
    assert {(lease.source, lease.node) for lease in leases} == {
        ("wire", "node-a"),
        ("herald", "node-b"),
    }


def test_only_the_nodes_own_sources_are_claimed(store: Storage) -> None:
    plan(store, herald=100.0, wire=100.0)
    assert store.claim_due("node-a", ["wire", "unplanned"], 200.0, 60.0, 5) == ["wire"]
    assert store.claim_due("node-a", [], 200.0, 60.0, 5) == []
    assert store.claim_due("node-a", ["herald"], 200.0, 60.0, 0) == []


def test_a_dead_nodes_due_sources_are_claimed_once_its_lease_runs_out(store: Storage) -> None:
    plan(store, herald=100.0)
    assert store.claim_due("node-a", ["herald"], 100.0, 60.0, 5) == ["herald"]
    assert store.claim_due("node-b", ["herald"], 159.0, 60.0, 5) == []
    assert store.claim_due("node-b", ["herald"], 161.0, 60.0, 5) == ["herald"]


def test_a_planned_source_keeps_its_plan(store: Storage) -> None:
    plan(store, herald=100.0)
    plan(store, herald=5.0, wire=7.0)
    saved = store.schedule()
    assert (saved["herald"].next_due, saved["wire"].next_due) == (100.0, 7.0)


def test_a_restarted_node_drops_its_old_leases(store: Storage) -> None:
    plan(store, herald=100.0, wire=100.0)
    assert len(store.claim_due("node-a", ["herald", "wire"], 100.0, 60.0, 5)) == 2
    assert store.claim_source("other", "node-b", 100.0, 60.0)
    assert store.release_leases("node-a") == 2
    _, leases = store.fleet()
    assert [lease.node for lease in leases] == ["node-b"]


def test_nodes_claiming_at_once_never_share_a_source(
    store: Storage, store_location: Path | str
) -> None:
    """Four threads, each with its own connection, claim from 200 due sources at once."""
    names = [f"outlet-{i:03d}" for i in range(200)]
    plan(store, **dict.fromkeys(names, 100.0))
    claimed: dict[str, list[str]] = {}

    def node(n: int) -> None:
        mine = open_store(store_location)
        got: list[str] = []
        try:
            while batch := mine.claim_due(f"node-{n}", names, 200.0, 60.0, 7):
                got += batch
        finally:
            mine.close()
        claimed[f"node-{n}"] = got

    threads = [threading.Thread(target=node, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [name for got in claimed.values() for name in got]
    assert sorted(everything) == names  # each exactly once


def test_a_destinations_last_delivery_and_last_error(store: Storage) -> None:
    assert store.delivery_states() == []
    store.note_delivery("desk", 100.0)
    store.note_delivery("desk", 110.0, "JSON: error=500")
    store.note_delivery("mail", 120.0, "x" * 600)
    store.note_delivery("desk", 130.0)
    desk, mail = store.delivery_states()
    assert (desk.channel, desk.last_ok_at, desk.last_error, desk.last_error_at) == (
        "desk",
        130.0,
        "JSON: error=500",
        110.0,
    )
    assert mail.last_ok_at is None and len(mail.last_error or "") == 500
