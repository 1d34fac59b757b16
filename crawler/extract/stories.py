"""Near-duplicate detection for stories: MinHash signatures with LSH banding.

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
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
BANDS = 64  # 64 bands of 2 rows: pairs above ~0.3 Jaccard almost always share a band
ROWS = NUM_PERM // BANDS
SHINGLE = 5
MAX_WORDS = 3000  # the body's head is enough to recognise a copy
_WORD = re.compile(r"\w+")

# The MinHash is datasketch's (``MinHash(num_perm=128, seed=1)``, its "affine32" scheme), so
# that stored signatures stay comparable: each shingle's SHA-1 (first 4 bytes, little-endian),
# mixed by MurmurHash3's 32-bit finalizer, through 128 affine permutations a·h + b mod 2^32 (a
# odd) drawn from the seed; the signature keeps each permutation's minimum. It is written out
# here because importing datasketch costs over a second in every process (its package loads
# scipy and aiohttp for parts newsmon does not use); tests/test_stories.py checks it against
# datasketch bit for bit.
_draw = np.random.RandomState(1)
_A = _draw.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_B = _draw.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer on 32-bit values (multiplications wrap around)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash(shingles: set[str]) -> np.ndarray:
    """The NUM_PERM minimum hash values (uint32) of a non-empty set of shingles."""
    digests = b"".join(hashlib.sha1(s.encode("utf-8")).digest()[:4] for s in shingles)
    hashed = _fmix32(np.frombuffer(digests, dtype="<u4").astype(np.uint32))
    return (hashed[:, None] * _A + _B).min(axis=0)


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
    raw = minhash(shingles).astype("=u4").tobytes()  # native order, as stored so far
    bands = tuple(
        f"{b}:{hashlib.blake2b(raw[b * ROWS * 4 : (b + 1) * ROWS * 4], digest_size=8).hexdigest()}"
        for b in range(BANDS)
    )
    return Signature(raw, bands, len(shingles))
