"""The same event in another language joins its story through the story vectors: a close
embedding with agreeing (or no contrary) evidence joins; figures or dates that disagree keep
two events apart however close the wording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from storage import Storage
from storage.sqlite import SQLiteStore
from storage.vectors import DIM
from tests.storage.conftest import article


def unit(seed: int, near: np.ndarray | None = None, cosine: float = 1.0) -> np.ndarray:
    """A random unit vector, or one at the given cosine similarity from ``near``."""
    noise = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    if near is None:
        return noise / np.linalg.norm(noise)
    noise -= near * float(noise @ near)
    noise /= np.linalg.norm(noise)
    return (cosine * near + np.sqrt(1 - cosine**2) * noise).astype(np.float32)


def save(
    store: Storage, n: int, vector: np.ndarray, *evidence: str, published: str | None = None
) -> int:
    result = store.save_article(
        article(
            n, source=f"outlet{n}", vector=vector.tobytes(), evidence=evidence, published=published
        )
    )
    assert result.story_id is not None
    return result.story_id


def test_a_close_copy_with_the_same_figures_joins_the_story(store: Storage) -> None:
    first = unit(1)
    story = save(store, 1, first, "n:13.5", "w:14")
    assert save(store, 2, unit(2, first, 0.88), "n:13.5") == story
    # no figures: a very close one (0.99 to the first, about 0.87 to the second: mean 0.93)
    assert save(store, 3, unit(3, first, 0.99)) == story


def test_an_article_close_to_one_of_a_story_s_reports_only_stays_apart(store: Storage) -> None:
    first = unit(1)
    story = save(store, 1, first)
    assert save(store, 2, unit(2, first, 0.95)) == story
    # 0.89 to the first (enough alone), about 0.85 to the second: another event at the margins
    # of this one
    assert save(store, 3, unit(3, first, 0.89)) != story


def test_different_figures_or_dates_start_another_story(store: Storage) -> None:
    first = unit(1)
    story = save(store, 1, first, "n:4.8", "t:2:47")
    assert save(store, 2, unit(2, first, 0.95), "n:3.9", "t:5:12") != story
    far = save(store, 4, unit(4), "n:4.8")
    assert far != story  # the same figure in an unrelated text


def test_a_story_is_not_joined_if_one_of_its_articles_disagrees(store: Storage) -> None:
    first = unit(1)
    story = save(store, 1, first, "n:30")
    assert save(store, 2, unit(2, first, 0.95)) == story
    # close to the second copy, but its figure contradicts the first article's
    assert save(store, 3, unit(3, first, 0.97), "n:45") != story


def test_a_story_quiet_for_a_day_takes_a_follow_up_only_on_shared_figures(store: Storage) -> None:
    def hours_ago(h: float) -> str:
        return (datetime.now(UTC) - timedelta(hours=h)).isoformat(timespec="seconds")

    first = unit(1)
    story = save(store, 1, first, "p:blk", published=hours_ago(30))
    # the same wording a day later: the follow-up (the agreement signed after the talks)
    assert save(store, 2, unit(2, first, 0.91), "p:blk", published=hours_ago(2)) != story
    # the same closeness within hours of the first: another language's copy
    again = save(store, 3, unit(3), "p:kmb", published=hours_ago(4))
    assert save(store, 4, unit(4, unit(3), 0.91), "p:kmb", published=hours_ago(3)) == again


def test_without_a_vector_only_minhash_decides(store: Storage) -> None:
    a = store.save_article(article(1)).story_id
    b = store.save_article(article(2, source="other")).story_id
    assert a != b


@pytest.mark.sqlite
def test_another_process_sees_the_articles_stored_by_this_one(tmp_path: Path) -> None:
    first, second = SQLiteStore.open(tmp_path / "x.db"), SQLiteStore.open(tmp_path / "x.db")
    try:
        vector = unit(1)
        story = save(first, 1, vector, "n:13.5")
        assert save(second, 2, unit(2, vector, 0.9), "n:13.5") == story
        assert save(first, 3, unit(3, vector, 0.95), "n:13.5") == story  # and back
    finally:
        first.close()
        second.close()
