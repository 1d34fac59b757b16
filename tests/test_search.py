"""Full-text search over stored articles: ranking, filters, and the newest-matches window."""

from __future__ import annotations

from pathlib import Path

from storage import NewArticle
from storage.sqlite import SQLiteStore


def _store(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore.open(tmp_path / "search.db")
    for i in range(40):
        # the oldest articles say "ferry" most often: they rank best when all matches are ranked
        ferries = " ".join(["ferry"] * (12 if i < 5 else 1))
        store.save_article(
            NewArticle(
                url=f"https://outlet.test/{i}/",
                source="even" if i % 2 == 0 else "odd",
                title=f"Report {i}",
                text=f"Report number {i} from the Caspian port. {ferries} cargo customs.",
                fingerprint=f"{i:032x}",
                published=f"2026-11-{1 + i % 28:02d}T10:00:00+00:00",
                language="en",
            )
        )
    return store


def test_ranking_matches_fts5_and_snippets_mark_terms(tmp_path: Path) -> None:
    store = _store(tmp_path)
    hits = store.search("ferry", limit=10, window=None)
    expected = [
        r[0]
        for r in store.db.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'ferry' ORDER BY rank LIMIT 10"
        )
    ]
    assert [h.id for h in hits] == expected and not hits.windowed
    assert {h.title for h in hits[:5]} == {f"Report {i}" for i in range(5)}
    assert all("[ferry]" in h.snippet for h in hits)
    assert not store.search("zanzibar") and not store.search("zanz*")
    store.close()


def test_broad_query_is_ranked_among_its_newest_matches(tmp_path: Path) -> None:
    store = _store(tmp_path)
    hits = store.search("ferry", limit=10, window=20)
    assert hits.windowed
    assert {h.id for h in hits} <= set(range(21, 41))  # the newest 20 of 40 (ids from 1)
    narrow = store.search("ferry", limit=10, window=50)
    assert not narrow.windowed and narrow[0].title == "Report 0"
    # filters apply within the window while it holds enough of the wanted articles …
    odd = store.search("ferry", limit=5, window=20, source="odd")
    assert odd.windowed and len(odd) == 5 and {h.source for h in odd} == {"odd"}
    assert {h.id for h in odd} <= {i + 1 for i in range(20, 40) if i % 2 == 1}
    # … and rank every match when it does not
    few = store.search("ferry", limit=15, window=20, source="odd")
    assert not few.windowed and len(few) == 15
    assert {h.title for h in few[:2]} == {"Report 1", "Report 3"}
    # a prefix query takes the same path
    prefixed = store.search("ferr*", limit=5, window=20)
    assert prefixed.windowed and all("[ferry]" in h.snippet for h in prefixed)
    store.close()
