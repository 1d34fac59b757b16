"""Crawl records: conditional-GET state of entry pages, crawl runs, crawl errors."""

from __future__ import annotations

from storage import CrawlRun, FetchState, FetchUpdate, Storage

FEED = "https://outlet.test/feed.xml"


def test_fetch_state_round_trip(store: Storage) -> None:
    assert store.fetch_state(FEED) is None
    store.save_fetch_states({FEED: FetchUpdate(etag='"v1"', last_modified="Mon", body_hash="h1")})
    state = store.fetch_state(FEED)
    assert isinstance(state, FetchState)
    assert (state.url, state.etag, state.last_modified, state.body_hash) == (
        FEED,
        '"v1"',
        "Mon",
        "h1",
    )
    assert state.checked_at is not None
    assert store.fetch_state("https://outlet.test/other.xml") is None


def test_none_fields_keep_their_recorded_values(store: Storage) -> None:
    store.save_fetch_states({FEED: FetchUpdate(etag='"v1"', last_modified="Mon", body_hash="h1")})
    store.save_fetch_states({FEED: FetchUpdate(etag='"v2"')})
    state = store.fetch_state(FEED)
    assert state is not None
    assert (state.etag, state.last_modified, state.body_hash) == ('"v2"', "Mon", "h1")


def test_full_fetch_at_is_set_only_by_a_full_read(store: Storage) -> None:
    store.save_fetch_states({FEED: FetchUpdate(etag='"v1"')})
    partial = store.fetch_state(FEED)
    assert partial is not None and partial.full_fetch_at is None
    store.save_fetch_states({FEED: FetchUpdate(body_hash="h1", full=True)})
    full = store.fetch_state(FEED)
    assert full is not None and full.full_fetch_at is not None
    store.save_fetch_states({FEED: FetchUpdate()})
    after = store.fetch_state(FEED)
    assert after is not None and after.full_fetch_at == full.full_fetch_at


def test_several_states_in_one_call(store: Storage) -> None:
    store.save_fetch_states({FEED: FetchUpdate(etag="a"), FEED + "?2": FetchUpdate(etag="b")})
    states = [store.fetch_state(u) for u in (FEED, FEED + "?2")]
    assert [s.etag if s else None for s in states] == ["a", "b"]


def test_a_started_run_is_running(store: Storage) -> None:
    assert store.last_run("herald") is None
    run_id = store.start_run("herald")
    run = store.last_run("herald")
    assert isinstance(run, CrawlRun)
    assert (run.id, run.source, run.status, run.reason, dict(run.stats)) == (
        run_id,
        "herald",
        "running",
        None,
        {},
    )
    assert run.started_at and run.finished_at is None


def test_finish_run_records_status_reason_and_stats(store: Storage) -> None:
    run_id = store.start_run("herald")
    stats = {"articles": 12, "requests": 40, "by_status": {"200": 38, "404": 2}}
    store.finish_run(run_id, status="finished", reason="finished", stats=stats)
    run = store.last_run("herald")
    assert run is not None
    assert (run.id, run.status, run.reason, dict(run.stats)) == (
        run_id,
        "finished",
        "finished",
        stats,
    )
    assert run.finished_at is not None


def test_last_run_is_the_latest_of_its_source(store: Storage) -> None:
    store.start_run("herald")
    latest = store.start_run("herald")
    other = store.start_run("wire")
    run = store.last_run("herald")
    assert run is not None and run.id == latest
    wire = store.last_run("wire")
    assert wire is not None and wire.id == other


def test_recorded_errors_are_counted_per_source(store: Storage) -> None:
    run_id = store.start_run("herald")
    store.record_error(run_id, "herald", FEED, "http", "HTTP 500")
    store.record_error(None, "herald", FEED, "timeout", "x" * 5000)
    store.record_error(None, "wire", FEED, "dns", "no such host")
    summaries = store.source_summaries()
    assert summaries["herald"].errors_24h == 2
    assert summaries["wire"].errors_24h == 1
