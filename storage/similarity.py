"""How much two texts are one, from their MinHash signatures (backend-neutral)."""

from __future__ import annotations

from array import array


def resemblance(a: bytes, size_a: int, b: bytes, size_b: int) -> float:
    """The larger of two texts' estimated Jaccard similarity (from MinHash signatures, arrays
    of uint32) and the estimated containment of the smaller shingle set in the larger (a copy
    cut short is still the same story)."""
    x, y = array("I", a), array("I", b)
    if len(x) != len(y) or not x:
        return 0.0
    jaccard = sum(1 for i, j in zip(x, y, strict=True) if i == j) / len(x)
    smaller = min(size_a, size_b)
    if smaller <= 0:
        return jaccard
    containment = jaccard * (size_a + size_b) / ((1 + jaccard) * smaller)
    return max(jaccard, min(1.0, containment))
