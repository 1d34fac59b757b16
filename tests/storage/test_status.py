"""What ``newsmon status`` reads: the alert queue by state, dead alerts, per-source summaries."""

from __future__ import annotations

from storage import AlertCounts, FailedAlert, SourceSummary, Storage
from tests.storage.conftest import add, article

NOW = 1_000_000.0


def test_alert_counts_per_status(store: Storage) -> None:
    assert store.alert_counts() == AlertCounts()
    ids = [add(store, n).alert_ids[0] for n in range(7)]
    store.claim_alert(ids[0], now=NOW, lease=60)
    store.mark_dead(ids[1], "gone")
    store.hold_alert(ids[2], "2026-03-01T10")
    store.hold_alert(ids[3], "2026-03-01T10")
    store.claim_digest("#news", "2026-03-01T10", NOW, lease=60)
    store.hold_alert(ids[4], "2026-03-01T11")
    [sent] = [a for a in store.due_alerts(NOW) if a.id == ids[5]]
    store.mark_sent(sent, "1.0", None)
    counts = store.alert_counts()
    assert counts == AlertCounts(pending=1, sending=1, held=1, digest_sending=2, sent=1, dead=1)
    assert counts.queued == 2


def test_failed_alerts_newest_first(store: Storage) -> None:
    ids = [add(store, n, "#a", rules=("r1", "r2")).alert_ids[0] for n in range(3)]
    store.mark_dead(ids[0], "channel_not_found")
    store.mark_dead(ids[2], "E" * 1000)
    failed = store.failed_alerts()
    assert [f.id for f in failed] == [ids[2], ids[0]]
    assert isinstance(failed[1], FailedAlert)
    assert (failed[1].channel, failed[1].rules, failed[1].last_error) == (
        "#a",
        ("r1", "r2"),
        "channel_not_found",
    )
    assert failed[1].created_at
    assert [f.id for f in store.failed_alerts(limit=1)] == [ids[2]]


def test_source_summaries_combine_articles_runs_and_errors(store: Storage) -> None:
    for n in range(3):
        store.save_article(article(n))
    store.start_run("herald")
    latest = store.start_run("herald")
    store.finish_run(latest, status="finished", reason="finished", stats={"articles": 3})
    store.record_error(latest, "herald", "https://outlet.test/x", "http", "HTTP 500")
    store.start_run("wire")  # a source with a run only
    store.record_error(None, "quiet", "https://quiet.test/", "dns", "no host")  # errors only

    summaries = store.source_summaries()
    assert set(summaries) == {"herald", "wire", "quiet"}
    herald = summaries["herald"]
    assert (herald.articles, herald.errors_24h) == (3, 1)
    assert herald.last_article is not None
    assert herald.last_run is not None and herald.last_run.id == latest
    assert dict(herald.last_run.stats) == {"articles": 3}
    wire = summaries["wire"]
    assert (wire.articles, wire.last_article, wire.errors_24h) == (0, None, 0)
    assert wire.last_run is not None and wire.last_run.status == "running"
    assert summaries["quiet"] == SourceSummary("quiet", errors_24h=1)


def test_source_summaries_of_an_empty_database(store: Storage) -> None:
    assert store.source_summaries() == {}
