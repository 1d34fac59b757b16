"""One story across languages: pairwise precision and recall of the story grouping on a labelled
multilingual set, and what it costs per article.

``bench/stories/events.jsonl`` holds 216 title + lead pairs of 65 news events, each reported in
2–5 of en, ru, kk, uz, az by different (invented) outlets, written for this benchmark: the hard
negatives are different events about the same countries and keywords (two Caspian ferry stories
a day apart, a Kazakh and an Uzbek minimum-wage rise, an Almaty earthquake and its aftershock, a
drone strike on an oil terminal and the resumed loadings the next day) — ``follows`` marks the
follow-ups. Every article goes through what the crawl does with it: the title + lead embedding
and evidence of the extraction workers, then ``save_article`` of a real SQLite store, in
publication order. A pair of articles is grouped right when both or neither share a story.

    python bench/stories.py [--no-vectors]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.extract.article import fingerprint  # noqa: E402
from crawler.extract.embedding import story_text, story_vector  # noqa: E402
from crawler.extract.evidence import evidence  # noqa: E402
from crawler.extract.stories import signature  # noqa: E402
from storage import NewArticle  # noqa: E402
from storage.sqlite import SQLiteStore  # noqa: E402

EVENTS = ROOT / "bench" / "stories" / "events.jsonl"


def load() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in EVENTS.read_text(encoding="utf-8").splitlines() if line]
    return sorted(rows, key=lambda r: r["published"])


def pairwise(truth: list[str], found: list[int]) -> tuple[float | None, float, int, int]:
    """Pairwise precision (None when no pair was joined) and recall, wrong joins, misses."""
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(truth)), 2):
        same, grouped = truth[i] == truth[j], found[i] == found[j]
        tp += same and grouped
        fp += grouped and not same
        fn += same and not grouped
    return (tp / (tp + fp) if tp + fp else None), tp / max(1, tp + fn), fp, fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-vectors", action="store_true", help="MinHash only (as before)")
    args = parser.parse_args()
    rows = load()
    t0 = time.perf_counter()
    story_vector("warm-up")  # the model's load, reported apart
    load_s = time.perf_counter() - t0
    embed_cpu = embed_wall = store_wall = 0.0
    stories: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore.open(Path(tmp) / "stories.db")
        try:
            for n, row in enumerate(rows):
                text = row["lead"]
                head = story_text(row["title"], text)
                c, w = time.process_time(), time.perf_counter()
                vector = None if args.no_vectors else story_vector(head)
                keys = evidence(head)
                embed_cpu += time.process_time() - c
                embed_wall += time.perf_counter() - w
                sig = signature(text)
                w = time.perf_counter()
                result = store.save_article(
                    NewArticle(
                        url=f"https://{row['outlet']}.test/{n}/",
                        source=row["outlet"],
                        title=row["title"],
                        text=text,
                        published=row["published"],
                        language=row["lang"],
                        fingerprint=fingerprint(text),
                        minhash=sig.hashvalues if sig else None,
                        bands=sig.bands if sig else (),
                        shingles=sig.size if sig else 0,
                        vector=vector,
                        evidence=keys,
                    )
                )
                store_wall += time.perf_counter() - w
                assert result.story_id is not None
                stories.append(result.story_id)
        finally:
            store.close()
    truth = [r["event"] for r in rows]
    precision, recall, fp, fn = pairwise(truth, stories)
    events = len(set(truth))
    merged = sum(
        1
        for e in set(truth)
        if len({s for s, t in zip(stories, truth, strict=True) if t == e}) == 1
    )
    n = len(rows)
    print(f"{n} articles, {events} events, languages en/ru/kk/uz/az")
    shown = "n/a (no pair joined)" if precision is None else f"{precision:.3f}"
    print(f"grouping: pairwise precision {shown}, recall {recall:.3f}")
    print(f"  wrong pairs joined {fp}, pairs missed {fn}; events in one story: {merged}/{events}")
    print(f"  stories made: {len(set(stories))} (ideal {events})")
    joined: dict[int, set[str]] = {}
    for story, event in zip(stories, truth, strict=True):
        joined.setdefault(story, set()).add(event)
    for found in sorted(sorted(e) for e in joined.values() if len(e) > 1):
        print(f"  events wrongly joined: {' + '.join(found)}")
    print(
        f"cost per article: embedding + evidence {1000 * embed_cpu / n:.1f} ms CPU "
        f"({1000 * embed_wall / n:.1f} ms wall), story decision + store "
        f"{1000 * store_wall / n:.1f} ms wall; model load {load_s:.2f} s once per process"
    )


if __name__ == "__main__":
    main()
