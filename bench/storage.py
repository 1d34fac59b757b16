"""Storage at scale: N synthetic articles through ``SQLiteStore.save_article`` (the crawler's own path:
one transaction per article with its URL keys and story), then the seen-URL check and FTS queries.

    python bench/storage.py [--articles 1000000]

Reports the insert rate, the seen-URL lookup time (goal ≤ 1 ms), the full-text query time
(goal ≤ 100 ms) and the database size.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import NewArticle  # noqa: E402
from storage.sqlite import SQLiteStore  # noqa: E402

REGION = [
    "azerbaijan", "kazakhstan", "uzbekistan", "turkmenistan", "kyrgyzstan", "tajikistan",
    "georgia", "armenia", "baku", "astana", "tashkent", "caspian", "ferry", "corridor", "cargo",
    "port", "customs", "tariff", "summit", "minister", "agreement", "energy", "pipeline",
]  # fmt: skip


def vocabulary(rnd: random.Random, size: int = 30_000) -> tuple[list[str], list[float]]:
    """Region words plus made-up words, with Zipf-like frequencies like a news archive's
    (returned with cumulative weights)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = list(REGION)
    while len(words) < size:
        words.append("".join(rnd.choice(letters) for _ in range(rnd.randint(4, 10))))
    rnd.shuffle(words)
    return words, list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words))))


def text(rnd: random.Random, vocab: tuple[list[str], list[float]], n: int) -> str:
    return " ".join(rnd.choices(vocab[0], cum_weights=vocab[1], k=n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1_000_000)
    args = ap.parse_args()
    rnd = random.Random(1)
    vocab = vocabulary(rnd)
    path = Path(tempfile.mkdtemp(prefix="newsmon-storage-")) / "bench.db"
    store = SQLiteStore.open(path)
    started = time.perf_counter()
    step = max(1, args.articles // 10)
    for i in range(args.articles):
        url = f"https://outlet{i % 40}.test/news/{i}/"
        store.save_article(
            NewArticle(
                url=url,
                source=f"outlet{i % 40}",
                title=text(rnd, vocab, 8),
                text=text(rnd, vocab, 250),
                fingerprint=f"{i:032x}",
                published="2026-11-27T10:00:00+00:00",
                language="en",
            ),
            url_keys=(url.rstrip("/"),),
        )
        if (i + 1) % step == 0:
            rate = (i + 1) / (time.perf_counter() - started)
            print(f"  {i + 1:>9} articles, {rate:,.0f}/s", flush=True)
    insert_s = time.perf_counter() - started
    lookups = []
    for _ in range(2000):
        key = f"https://outlet{rnd.randrange(40)}.test/news/{rnd.randrange(args.articles * 2)}"
        t0 = time.perf_counter()
        store.is_known(key)
        lookups.append(time.perf_counter() - t0)
    # Region words (rare in the synthetic archive) and the most frequent words: a broad query
    # matches nearly every article and is ranked among its newest matches (storage.SEARCH_WINDOW).
    common = [w for w, _n in Counter(text(rnd, vocab, 20_000).split()).most_common(3)]
    queries: list[tuple[str, float, bool]] = []
    for q in (
        "azerbaijan AND ferry",
        '"caspian ferry"',
        "pipeline NOT gas",
        "astana*",
        common[0],
        f"{common[1]} AND {common[2]}",
        f"{common[0][:3]}*",
    ):
        for _ in range(5):
            t0 = time.perf_counter()
            hits = store.search(q, limit=20)
            queries.append((q, time.perf_counter() - t0, hits.windowed))
    filtered = []
    for _ in range(5):
        t0 = time.perf_counter()
        store.search(common[0], limit=20, source="outlet7", since="2026-11-27")
        filtered.append(time.perf_counter() - t0)
    store.close()
    size = sum(f.stat().st_size for f in path.parent.glob("bench.db*"))
    print(
        f"{args.articles:,} articles in {insert_s:.0f} s: {args.articles / insert_s:,.0f} articles/s"
    )
    print(
        f"seen-URL check: median {1000 * statistics.median(lookups):.3f} ms, "
        f"p99 {1000 * sorted(lookups)[int(len(lookups) * 0.99)]:.3f} ms (goal ≤ 1 ms)"
    )
    for q in dict.fromkeys(q for q, _t, _w in queries):
        times = [t for qq, t, _w in queries if qq == q]
        broad = any(w for qq, _t, w in queries if qq == q)
        print(
            f"  FTS {q!r:<28} median {1000 * statistics.median(times):6.1f} ms, "
            f"worst {1000 * max(times):6.1f} ms{'  (broad: newest matches ranked)' if broad else ''}"
        )
    print(
        f"  FTS {common[0]!r} with --source and --since filters: median "
        f"{1000 * statistics.median(filtered):.1f} ms, worst {1000 * max(filtered):.1f} ms"
    )
    every = [t for _q, t, _w in queries] + filtered
    print(
        f"FTS query (20 best of {args.articles:,}): median "
        f"{1000 * statistics.median(every):.1f} ms, worst {1000 * max(every):.1f} ms "
        "(goal ≤ 100 ms)"
    )
    print(f"database size: {size / 2**30:.2f} GiB ({size / args.articles:.0f} bytes/article)")


if __name__ == "__main__":
    main()
