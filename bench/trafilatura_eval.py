"""newsmon's extractor against plain trafilatura on trafilatura's own evaluation set.

The set (trafilatura's ``tests/``) holds ~1,000 annotated pages — news, magazines, blogs,
government and company pages, many languages. Each page has a few ``with`` snippets that the
extracted text must contain and a few ``without`` snippets (menus, bylines, footers, comments)
that it must not. Scored as trafilatura's own evaluation scores (``tests/eval_common.py``,
``count_item`` and ``ConfusionMatrix``): per snippet, a ``with`` found is a true positive, a
``with`` missing a false negative, a ``without`` found a false positive, a ``without`` missing a
true negative, matched as substrings after collapsing whitespace; the counts are summed over all
pages, then precision = tp/(tp+fp), recall = tp/(tp+fn), accuracy = (tp+tn)/all, F1 =
2tp/(2tp+fp+fn). An extractor that raises scores its page as empty (all ``with`` missed, all
``without`` absent), as there. An older checkout (no ``eval_common.py``; ``evaldata.json`` or
only ``evaldata.py`` with ``EVAL_PAGES``) is scored as its ``evaluate.py`` and
``comparison_small.py`` did: plain substrings, whitespace as it is.

Two extractors run on the same bytes in this process, one page after the other:

- ``trafilatura.extract`` with the arguments of the ``trafilatura`` row of trafilatura's
  ``evaluate.py`` (``fast=False, include_comments=False, include_tables=True,
  include_formatting=False``), no URL;
- newsmon: ``extract_article(html, url, min_chars=0).text`` ("" when it returns None), with the
  page's URL when the annotation key is one (else ``https://example.org/``).

Printed: pages, precision, recall, accuracy, F1 and ms/page for both (the extraction only, not
the scoring; each extractor is warmed up first), the F1 floor trafilatura pins for its own run
when the checkout has ``eval_baseline.json``, and the pages where newsmon loses most against
trafilatura (snippets newsmon misses that trafilatura finds, and unwanted snippets newsmon keeps
that trafilatura drops), each with the first such snippet and, when newsmon returned no article,
its reason.

Nothing is downloaded: ``--dir`` is a copy of trafilatura's ``tests`` folder (github.com/adbar/
trafilatura; first run on commit e90b0ef5, 990 pages), from a bare copy of the repository or a
clone (``git clone --depth 1 …``, then ``--dir <clone>/tests``):

    mkdir -p /tmp/traf && git --git-dir <trafilatura.git> archive HEAD tests | tar -x -C /tmp/traf
    python bench/trafilatura_eval.py --dir /tmp/traf/tests [--top 25] [--limit 100]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import json
import logging
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from crawler.extract.article import extract_article, extract_page  # noqa: E402

DEFAULT_URL = "https://example.org/"
# the ``trafilatura`` row of trafilatura's tests/evaluate.py (EXTRACT_OPTS, fast=False)
TRAFILATURA_OPTS: dict[str, Any] = {
    "fast": False,
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
}

# --- the evaluation set --------------------------------------------------------------------------


def load_evaldata(folder: Path) -> tuple[dict[str, dict[str, Any]], bool]:
    """The annotations, and whether snippets match after collapsing whitespace (a checkout with
    eval_common.py) or as plain substrings (an older one)."""
    normalize = (folder / "eval_common.py").is_file()
    path = folder / "evaldata.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8")), normalize
    path = folder / "evaldata.py"
    if not path.is_file():
        sys.exit(f"neither evaldata.json nor evaldata.py in {folder}")
    spec = importlib.util.spec_from_file_location("trafilatura_evaldata", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EVAL_PAGES, normalize


def read_html(folder: Path, name: str) -> bytes:
    """A page as trafilatura's evaluation finds it: in cache/, else eval/ (gunzipped if need be)."""
    for sub in ("cache", "eval"):
        for candidate in (folder / sub / name, folder / sub / f"{name}.gz"):
            if candidate.is_file():
                data = candidate.read_bytes()
                return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    raise FileNotFoundError(f"{name}: not in {folder}/cache or {folder}/eval")


def page_url(key: str) -> str:
    return key if key.startswith(("http://", "https://")) else DEFAULT_URL


# --- scoring (trafilatura's tests/eval_common.py) ------------------------------------------------

_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass
class Outcome:
    """One page's snippets: the ``with`` ones missing and the ``without`` ones present."""

    missed: list[str]
    extra: list[str]
    n_with: int
    n_without: int

    @property
    def errors(self) -> int:
        return len(self.missed) + len(self.extra)


def judge(item: dict[str, Any], text: str, normalize: bool) -> Outcome:
    prep = norm if normalize else (lambda s: s)
    got = prep(text)
    return Outcome(
        missed=[w for w in item["with"] if prep(w) not in got],
        extra=[w for w in item["without"] if prep(w) in got],
        n_with=len(item["with"]),
        n_without=len(item["without"]),
    )


@dataclass
class Matrix:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, o: Outcome) -> None:
        self.tp += o.n_with - len(o.missed)
        self.fn += len(o.missed)
        self.fp += len(o.extra)
        self.tn += o.n_without - len(o.extra)

    def scores(self) -> tuple[float, float, float, float]:
        """precision, recall, accuracy, F1 (0.0 for an empty denominator)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        acc = (self.tp + self.tn) / total if total else 0.0
        denom = 2 * self.tp + self.fp + self.fn
        return p, r, acc, 2 * self.tp / denom if denom else 0.0


# --- extractors ----------------------------------------------------------------------------------


def trafilatura_text(html: bytes, url: str) -> str:
    return trafilatura.extract(html, **TRAFILATURA_OPTS) or ""


def newsmon_text(html: bytes, url: str) -> str:
    article = extract_article(html, url, min_chars=0)
    return article.text if article else ""


@dataclass
class Run:
    name: str
    fn: Callable[[bytes, str], str]
    matrix: Matrix = field(default_factory=Matrix)
    seconds: float = 0.0
    empty: int = 0
    errors: int = 0
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def run_page(run: Run, key: str, html: bytes, item: dict[str, Any], normalize: bool) -> None:
    started = time.perf_counter()
    try:
        text = run.fn(html, page_url(key))
    except Exception as exc:  # a crash is a page with no text, as in trafilatura's evaluation
        if not run.errors:
            print(f"  {run.name}: {item['file']}: {type(exc).__name__}: {exc}")
        run.errors += 1
        text = ""
    run.seconds += time.perf_counter() - started
    run.empty += not text.strip()
    run.texts[key] = text
    outcome = judge(item, text, normalize)
    run.outcomes[key] = outcome
    run.matrix.add(outcome)


# --- report --------------------------------------------------------------------------------------


def short(snippet: str, width: int = 70) -> str:
    s = norm(snippet)
    return repr(s if len(s) <= width else s[: width - 1] + "…")


def newsmon_reason(html: bytes, key: str) -> str | None:
    """Why newsmon returned no article for a page (extract_page's reason), if it did not."""
    try:
        result = extract_page(html, page_url(key), min_chars=0)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return result if isinstance(result, str) else None


def losses(
    traf: Run, news: Run, pages: dict[str, dict[str, Any]], htmls: dict[str, bytes], top: int
) -> None:
    rows = []
    for key in pages:
        t, n = traf.outcomes[key], news.outcomes[key]
        lost_with = [w for w in n.missed if w not in t.missed]
        lost_without = [w for w in n.extra if w not in t.extra]
        if lost_with or lost_without:
            rows.append((n.errors - t.errors, len(lost_with) + len(lost_without), key))
    better = sum(news.outcomes[k].errors < traf.outcomes[k].errors for k in pages)
    worse = sum(news.outcomes[k].errors > traf.outcomes[k].errors for k in pages)
    print(
        f"\nper page: newsmon better on {better}, worse on {worse}, "
        f"same error count on {len(pages) - better - worse}"
    )
    missed_only = sum(
        len([w for w in news.outcomes[k].missed if w not in traf.outcomes[k].missed]) for k in pages
    )
    extra_only = sum(
        len([w for w in news.outcomes[k].extra if w not in traf.outcomes[k].extra]) for k in pages
    )
    found_only = sum(
        len([w for w in traf.outcomes[k].missed if w not in news.outcomes[k].missed]) for k in pages
    )
    dropped_only = sum(
        len([w for w in traf.outcomes[k].extra if w not in news.outcomes[k].extra]) for k in pages
    )
    print(
        f"snippets: newsmon alone misses {missed_only} 'with' and keeps {extra_only} 'without'; "
        f"trafilatura alone misses {found_only} 'with' and keeps {dropped_only} 'without'"
    )
    rows.sort(key=lambda r: (-r[0], -r[1], pages[r[2]]["file"]))
    print(f"\npages where newsmon loses most against trafilatura (top {min(top, len(rows))}):")
    print("  net = newsmon errors - trafilatura errors on the page (errors = missed + extra)")
    for net, _, key in rows[:top]:
        t, n = traf.outcomes[key], news.outcomes[key]
        lost_with = [w for w in n.missed if w not in t.missed]
        lost_without = [w for w in n.extra if w not in t.extra]
        chars = f"{len(news.texts[key])} vs {len(traf.texts[key])} chars"
        print(f"  {net:+d}  {pages[key]['file']}  ({page_url(key)})  {chars}")
        if lost_with:
            print(f"        missed {len(lost_with)}/{n.n_with}, first: {short(lost_with[0])}")
        if lost_without:
            print(
                f"        extra {len(lost_without)}/{n.n_without}, first: {short(lost_without[0])}"
            )
        if not news.texts[key].strip():
            print(f"        no article: {newsmon_reason(htmls[key], key)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True, type=Path, help="trafilatura's tests folder")
    parser.add_argument("--top", type=int, default=20, help="pages listed where newsmon loses")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    parser.add_argument("--verbose", action="store_true", help="keep the extractors' logging")
    args = parser.parse_args()
    if not args.verbose:  # as trafilatura's evaluate.py: its warnings per page are noise here
        logging.basicConfig(level=logging.CRITICAL)
        logging.getLogger().setLevel(logging.CRITICAL)

    pages, normalize = load_evaldata(args.dir)
    if args.limit:
        pages = dict(list(pages.items())[: args.limit])
    htmls = {key: read_html(args.dir, item["file"]) for key, item in pages.items()}
    n_with = sum(len(i["with"]) for i in pages.values())
    n_without = sum(len(i["without"]) for i in pages.values())
    print(
        f"trafilatura's evaluation set: {len(pages)} pages, {n_with} 'with' and {n_without} "
        f"'without' snippets ({'whitespace-normalised' if normalize else 'plain'} substrings)"
    )
    print(f"trafilatura {trafilatura.__version__}; extract({TRAFILATURA_OPTS})")

    runs = [Run("trafilatura.extract", trafilatura_text), Run("newsmon", newsmon_text)]
    warm = b"<html><head><title>t</title></head><body><article><p>Warm up text.</p></article>"
    for run in runs:  # lazy imports and one-time set-up stay out of the timing
        with contextlib.suppress(Exception):
            run.fn(warm + b"</body></html>", DEFAULT_URL)
    for i, (key, item) in enumerate(pages.items(), 1):
        for run in runs:
            run_page(run, key, htmls[key], item, normalize)
        if i % 200 == 0:
            print(f"  {i}/{len(pages)} pages", file=sys.stderr)

    print(
        f"\n{'extractor':<20} {'pages':>5} {'precision':>9} {'recall':>7} {'accuracy':>8} "
        f"{'F1':>6} {'ms/page':>8} {'empty':>5} {'errors':>6}"
    )
    for run in runs:
        p, r, acc, f1 = run.matrix.scores()
        ms = 1000 * run.seconds / len(pages)
        print(
            f"{run.name:<20} {len(pages):>5} {p:>9.4f} {r:>7.4f} {acc:>8.4f} {f1:>6.4f} "
            f"{ms:>8.1f} {run.empty:>5} {run.errors:>6}"
        )
    traf, news = runs
    print(f"newsmon time / trafilatura time: {news.seconds / traf.seconds:.2f}x")
    baseline = args.dir / "eval_baseline.json"
    if baseline.is_file() and not args.limit:
        floors = json.loads(baseline.read_text()).get("floors", {})
        if "fallback" in floors:
            print(
                f"(trafilatura's own pinned F1 for this run, eval_baseline.json: "
                f"{floors['fallback']:.4f})"
            )
    losses(traf, news, pages, htmls, args.top)


if __name__ == "__main__":
    main()
