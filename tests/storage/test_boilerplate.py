"""Site-learned boilerplate: a line becomes boilerplate of a source after enough articles."""

from __future__ import annotations

from storage import Storage

LINES = {"k-follow": "Follow us on Telegram", "k-share": "Share this article"}


def test_keys_are_returned_exactly_when_they_reach_the_threshold(store: Storage) -> None:
    assert store.learn_lines("herald", LINES, min_articles=3) == set()
    assert store.learn_lines("herald", {"k-follow": "Follow us"}, min_articles=3) == set()
    assert store.learn_lines("herald", LINES, min_articles=3) == {"k-follow"}
    assert store.learn_lines("herald", LINES, min_articles=3) == {"k-share"}
    assert store.learn_lines("herald", LINES, min_articles=3) == set()


def test_boilerplate_keys_are_those_at_or_over_the_threshold(store: Storage) -> None:
    assert store.boilerplate_keys("herald", 2) == set()
    store.learn_lines("herald", LINES, 2)
    store.learn_lines("herald", {"k-follow": "Follow us"}, 2)
    store.learn_lines("herald", {"k-follow": "Follow us"}, 2)
    assert store.boilerplate_keys("herald", 2) == {"k-follow"}
    assert store.boilerplate_keys("herald", 1) == {"k-follow", "k-share"}
    assert store.boilerplate_keys("herald", 4) == set()


def test_counts_are_per_source(store: Storage) -> None:
    store.learn_lines("herald", LINES, 2)
    assert store.learn_lines("wire", LINES, 2) == set()
    assert store.boilerplate_keys("wire", 2) == set()
    assert store.learn_lines("herald", LINES, 2) == set(LINES)


def test_no_lines_learn_nothing(store: Storage) -> None:
    assert store.learn_lines("herald", {}, 1) == set()
    assert store.boilerplate_keys("herald", 1) == set()


def test_more_keys_than_one_query_can_bind(store: Storage) -> None:
    lines = {f"k{i:04d}": f"line {i}" for i in range(1234)}
    assert store.learn_lines("herald", lines, 2) == set()
    assert store.learn_lines("herald", lines, 2) == set(lines)
    assert store.boilerplate_keys("herald", 2) == set(lines)
