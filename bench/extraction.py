"""Extraction quality on two public benchmarks, each scored with its own method.

1. ScrapingHub article-extraction-benchmark (181 pages): token 4-shingle precision/recall/F1 as
   in its evaluate.py. The scorer is checked first by re-scoring the published trafilatura 2.0.0
   output (published: F1 0.958, P 0.938, R 0.978).
2. Fundus benchmark (80 pages): ROUGE-LSum (rouge-score 0.1.2, punkt sentences) with optional
   paragraphs, as in its scorers.py. Checked first on the published trafilatura 1.12.0 output
   (published: F1 93.62).

Then newsmon's extractor (``crawler.extract.article.extract_article``) and plain
``trafilatura.extract`` run on the same pages in this process, and both are scored and timed
(ms/page).

    python bench/extraction.py          # needs the bench extra: pip install -e '.[bench]'
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from crawler.extract.article import extract_article  # noqa: E402
from crawler.extract.boilerplate import learnable, strip_learned  # noqa: E402
from crawler.settings import NEWSMON_BOILERPLATE_MIN_ARTICLES  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SH = CORPUS / "scrapinghub-article-extraction-benchmark"
FUNDUS = CORPUS / "fundus-evaluation" / "dataset"

# --- ScrapingHub: token 4-shingles ---------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def sh_score(truth: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    precisions, recalls, exact = [], [], 0
    for key, expected in truth.items():
        got = pred.get(key) or ""
        t, p = _shingles(expected), _shingles(got)
        tp = fp = fn = 0
        for sh in set(t) | set(p):
            tp += min(t[sh], p[sh])
            fp += max(0, p[sh] - t[sh])
            fn += max(0, t[sh] - p[sh])
        total = tp + fp + fn
        if total:
            tp, fp, fn = tp / total, fp / total, fn / total
        if tp + fp > 0:
            precisions.append(tp / (tp + fp) if fp else 1.0)
        if tp + fn > 0:
            recalls.append(tp / (tp + fn) if fn else 1.0)
        exact += _WORD.findall(expected) == _WORD.findall(got)
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"f1": f1, "precision": p, "recall": r, "accuracy": exact / len(truth)}


def sh_pages() -> tuple[dict[str, str], dict[str, bytes]]:
    truth = {
        k: v["articleBody"] for k, v in json.loads((SH / "ground-truth.json").read_text()).items()
    }
    html = {k: gzip.decompress((SH / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    return truth, html


def sh_published(name: str) -> dict[str, str]:
    data = json.loads((SH / "output" / f"{name}.json").read_text())
    data = data.get("output", data)
    return {k: (v or {}).get("articleBody") or "" for k, v in data.items()}


# --- Fundus: ROUGE-LSum with optional paragraphs -------------------------------------------------


def _rouge() -> Callable[[str, str], tuple[float, float, float]]:
    import nltk
    import punkt
    from rouge_score import rouge_scorer

    nltk.sent_tokenize = punkt.sent_tokenize  # the offline punkt model, as the corpus README says
    import rouge_score.tokenize  # noqa: F401

    scorer = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=False, split_summaries=True)

    def score(reference: str, prediction: str) -> tuple[float, float, float]:
        s = scorer.score(reference, prediction)["rougeLsum"]
        return s.precision, s.recall, s.fmeasure

    return score


def _references(paragraphs: list[str]) -> list[str]:
    optional = [i for i, p in enumerate(paragraphs) if p.startswith("[") and p.endswith("]")]
    clean = [p[1:-1] if i in optional else p for i, p in enumerate(paragraphs)]
    if len(optional) > 4:
        drops: list[tuple[int, ...]] = [(), tuple(optional)]
    else:
        drops = [c for n in range(len(optional) + 1) for c in itertools.combinations(optional, n)]
    return ["\n\n".join(p for i, p in enumerate(clean) if i not in d) for d in drops]


def _prediction(paragraphs: list[str]) -> str:
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p and p.strip())


def fundus_score(truth: dict[str, list[str]], pred: dict[str, list[str]]) -> dict[str, float]:
    score = _rouge()
    ps, rs, fs = [], [], []
    for key, body in truth.items():
        prediction = _prediction(pred.get(key) or [])
        best = (0.0, 0.0, 0.0)
        for ref in _references(body):
            got = score(ref, prediction) if prediction and ref else (0.0, 0.0, 0.0)
            if got[2] > best[2] or best == (0.0, 0.0, 0.0):
                best = got
        ps.append(best[0])
        rs.append(best[1])
        fs.append(best[2])
    return {
        "f1": 100 * statistics.mean(fs),
        "precision": 100 * statistics.mean(ps),
        "recall": 100 * statistics.mean(rs),
        "f1_sd": 100 * statistics.stdev(fs),
    }


def fundus_pages() -> tuple[dict[str, list[str]], dict[str, bytes], dict[str, str]]:
    gt = json.loads((FUNDUS / "ground_truth.json").read_text())
    truth = {k: v["body"] for k, v in gt.items()}
    html = {k: gzip.decompress((FUNDUS / "html" / k).read_bytes()) for k in truth}
    urls = {k: v["url"] for k, v in gt.items()}
    return truth, html, urls


def fundus_published(name: str) -> dict[str, list[str]]:
    data = json.loads((FUNDUS / "extractions" / f"{name}.json").read_text())
    return {k: (v or {}).get("body") or [] for k, v in data.items()}


# --- extractors ----------------------------------------------------------------------------------


def newsmon_text(html: bytes, url: str) -> str:
    article = extract_article(html, url or "https://example.org/", min_chars=0)
    return article.text if article else ""


def trafilatura_text(html: bytes, url: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def newsmon_fast_text(html: bytes, url: str) -> str:
    """newsmon's extractor with trafilatura in ``fast`` mode (no readability/jusText fallback):
    the speed it would gain and the quality it would lose — not what newsmon runs."""
    import crawler.extract.article as extract  # the module that calls trafilatura.bare_extraction

    plain = trafilatura.bare_extraction

    def fast(*args: object, **kwargs: object) -> object:
        return plain(*args, fast=True, **kwargs)  # type: ignore[arg-type]

    extract.trafilatura.bare_extraction = fast  # type: ignore[assignment]
    try:
        return newsmon_text(html, url)
    finally:
        extract.trafilatura.bare_extraction = plain  # type: ignore[assignment]


def site_learned(pred: dict[str, str], sites: dict[str, str]) -> dict[str, str]:
    """Each page without the lines its publisher's *other* pages repeat: newsmon's site-learned
    boilerplate as a first crawl of the publisher would apply it (a line under
    ``NEWSMON_BOILERPLATE_MIN_ARTICLES`` pages), never learning from the page being scored — a
    line counts when the other pages print it ``min - 1`` times, the page itself being the last."""
    lines = {key: set(learnable(text)) for key, text in pred.items()}
    out = {}
    for key, text in pred.items():
        seen: Counter[str] = Counter()
        for other, keys in lines.items():
            if other != key and sites.get(other) == sites.get(key):
                seen.update(keys)
        known = {k for k, n in seen.items() if n >= NEWSMON_BOILERPLATE_MIN_ARTICLES - 1}
        out[key] = strip_learned(text, known)[0] if known else text
    return out


def timed(
    fn: Callable[[bytes, str], str], pages: dict[str, bytes], urls: dict[str, str]
) -> tuple[dict[str, str], float]:
    out = {}
    started = time.perf_counter()
    for key, html in pages.items():
        out[key] = fn(html, urls.get(key, ""))
    return out, 1000 * (time.perf_counter() - started) / len(pages)


def main() -> None:
    sh_truth, sh_html = sh_pages()
    sh_urls = {k: v["url"] for k, v in json.loads((SH / "ground-truth.json").read_text()).items()}
    check = sh_score(sh_truth, sh_published("trafilatura"))
    print("ScrapingHub benchmark (181 pages, token 4-shingles)")
    print(
        f"  scorer check, published trafilatura 2.0.0 output: F1 {check['f1']:.3f} "
        f"P {check['precision']:.3f} R {check['recall']:.3f} (published 0.958 / 0.938 / 0.978)"
    )
    rows = []
    sh_pred: dict[str, str] = {}
    for name, fn in (("trafilatura.extract", trafilatura_text), ("newsmon", newsmon_text)):
        pred, ms = timed(fn, sh_html, sh_urls)
        sh_pred = pred
        s = sh_score(sh_truth, pred)
        rows.append((name, s, ms))
        print(
            f"  {name:<20} F1 {s['f1']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}  "
            f"acc {s['accuracy']:.3f}  {ms:.1f} ms/page"
        )
    print(f"  newsmon time / trafilatura time: {rows[1][2] / rows[0][2]:.2f}x")
    sh_sites = {k: urlsplit(u).netloc.removeprefix("www.") for k, u in sh_urls.items()}
    s = sh_score(sh_truth, site_learned(sh_pred, sh_sites))
    print(
        f"  newsmon + site-learned lines (other pages of the same site) F1 {s['f1']:.3f}  "
        f"P {s['precision']:.3f}  R {s['recall']:.3f}"
    )
    pred, ms = timed(newsmon_fast_text, sh_html, sh_urls)
    s = sh_score(sh_truth, pred)
    print(
        f"  (newsmon with trafilatura's fast mode, not used: F1 {s['f1']:.3f}  "
        f"P {s['precision']:.3f}  R {s['recall']:.3f}  {ms:.1f} ms/page = "
        f"{ms / rows[0][2]:.2f}x trafilatura)"
    )

    f_truth, f_html, f_urls = fundus_pages()
    check_f = fundus_score(f_truth, fundus_published("trafilatura"))
    print("\nFundus benchmark (80 pages, ROUGE-LSum)")
    print(
        f"  scorer check, published trafilatura 1.12.0 output: F1 {check_f['f1']:.2f} "
        f"P {check_f['precision']:.2f} R {check_f['recall']:.2f} (published 93.62 / 93.91 / 96.85)"
    )
    rows = []
    f_pred: dict[str, str] = {}
    for name, fn in (("trafilatura.extract", trafilatura_text), ("newsmon", newsmon_text)):
        pred, ms = timed(fn, f_html, f_urls)
        f_pred = pred
        s = fundus_score(f_truth, {k: v.split("\n") for k, v in pred.items()})
        rows.append((name, s, ms))
        print(
            f"  {name:<20} F1 {s['f1']:.2f}  P {s['precision']:.2f}  R {s['recall']:.2f}  "
            f"{ms:.1f} ms/page"
        )
    print(f"  newsmon time / trafilatura time: {rows[1][2] / rows[0][2]:.2f}x")
    publishers = {k: k.rsplit("_", 1)[0] for k in f_pred}
    learned = site_learned(f_pred, publishers)
    s = fundus_score(f_truth, {k: v.split("\n") for k, v in learned.items()})
    print(
        f"  newsmon + site-learned lines (the publisher's other 4 pages) F1 {s['f1']:.2f}  "
        f"P {s['precision']:.2f}  R {s['recall']:.2f}"
    )
    pred, ms = timed(newsmon_fast_text, f_html, f_urls)
    s = fundus_score(f_truth, {k: v.split("\n") for k, v in site_learned(pred, publishers).items()})
    print(
        f"  (newsmon with trafilatura's fast mode + site-learned lines, not used: F1 {s['f1']:.2f}  "
        f"P {s['precision']:.2f}  R {s['recall']:.2f}  {ms:.1f} ms/page = "
        f"{ms / rows[0][2]:.2f}x trafilatura)"
    )


if __name__ == "__main__":
    main()
