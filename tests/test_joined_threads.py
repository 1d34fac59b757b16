"""A story joined into an earlier one after both were posted: the later top-level message is
updated to point to the kept thread (not deleted), its copy is replied there once — also when
the update has to be retried — and later copies of either go into the kept thread."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmon.demo.slack_standin import Fault, SlackStandIn
from storage.sqlite import SQLiteStore
from tests.test_dispatcher import add, dispatcher


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore.open(tmp_path / "alerts.db")
    yield s
    s.close()


def test_a_joined_story_s_message_points_to_the_kept_thread(
    store: SQLiteStore, slack: SlackStandIn
) -> None:
    add(store, 1, fingerprint="first")
    add(store, 2, fingerprint="later")
    d = dispatcher(store, slack)
    d.drain(10)
    kept, moved = slack.top_level("#caucasus")
    first_story, later_story = (store.article(n).story_id for n in (1, 2))  # type: ignore[union-attr]
    assert store.join_stories(later_story, first_story)
    slack.fail(Fault(status=500, method="chat.update"))
    d.drain(10)
    assert len(store.thread_joins()) == 1 and moved.edits == 0  # tried again on the next run
    d.drain(10)
    assert store.thread_joins() == []
    assert [m.ts for m in slack.top_level("#caucasus")] == [kept.ts, moved.ts]  # not deleted
    assert moved.edits == 1 and "joined the thread of Story 1" in moved.text
    assert "https://outlet.test/1/" in json.dumps(moved.blocks)  # linked to the kept story
    add(store, 3, fingerprint="later")  # a later copy of the joined story
    d.drain(10)
    replies = [m.text.split(" — ")[0] for m in slack.replies(kept.ts)]
    assert replies == ["Story 2", "Story 3"]  # the moved copy once, then the later one
    assert slack.replies(moved.ts) == []
