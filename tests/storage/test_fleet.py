"""Nodes sharing one database: source leases, the channel pace across processes, heartbeats."""

from __future__ import annotations

from storage import Storage


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
