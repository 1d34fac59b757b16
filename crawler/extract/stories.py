"""Near-duplicate detection for stories: MinHash signatures (datasketch) with LSH banding.

A syndicated copy — the same agency text on another outlet, lightly edited, under another
headline and amid other boilerplate — shares most of its word 5-shingles with the original;
two articles on the same topic share few. Each article gets a MinHash signature of its body's
shingles; the signature is cut into bands, and articles sharing a band are candidates, compared
by their estimated resemblance — the larger of the Jaccard similarity and the containment of
the shorter text in the longer one, so that a copy cut short still counts (storage keeps bands
and signatures in SQLite and decides).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from dataclasses import dataclass

from datasketch import MinHash

NUM_PERM = 128
BANDS = 64  # 64 bands of 2 rows: pairs above ~0.3 Jaccard almost always share a band
ROWS = NUM_PERM // BANDS
SHINGLE = 5
MAX_WORDS = 3000  # the body's head is enough to recognise a copy
_WORD = re.compile(r"\w+")
# The permutations depend on the seed only: drawn once, not for every article's MinHash.
_BASE = MinHash(num_perm=NUM_PERM, seed=1)
_PERMUTATIONS = _BASE.permutations


@dataclass(frozen=True)
class Signature:
    hashvalues: bytes  # NUM_PERM unsigned 32-bit values
    bands: tuple[str, ...]  # one key per band
    size: int  # number of distinct shingles


def signature(text: str) -> Signature | None:
    """The MinHash signature of a text's word 5-shingles (None for a text under 10 words)."""
    words = _WORD.findall(text.casefold())[:MAX_WORDS]
    if len(words) < 10:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=1, permutations=_PERMUTATIONS, scheme=_BASE.scheme)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    values = array("I", (int(v) for v in mh.hashvalues))
    raw = values.tobytes()
    bands = tuple(
        f"{b}:{hashlib.blake2b(raw[b * ROWS * 4 : (b + 1) * ROWS * 4], digest_size=8).hexdigest()}"
        for b in range(BANDS)
    )
    return Signature(raw, bands, len(shingles))
