"""Text normalization and tokenization for the alert rules. Pure code, no I/O.

Holds the fold tables (letters Unicode does not decompose, dashes and apostrophes, Cyrillic
look-alikes of Latin letters), the token pattern, and the functions both queries and articles
go through: :func:`normalize` (one word), :func:`norms` (the normalized tokens of a text),
:func:`offsets` (their character spans) and :func:`tokenize` (both, as :class:`Token`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import islice

# Letters that Unicode does not decompose into base + accent, folded by hand.
_FOLD = str.maketrans(
    {
        "ə": "e",  # Azərbaycan is often typed Azerbaycan
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ŋ": "n",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ё": "е",
        "ң": "н",
        "ғ": "г",
        "ү": "у",
        "ұ": "у",
        "қ": "к",
        "ө": "о",
        "һ": "х",
        "ә": "а",
        "і": "и",
        "ў": "у",
        "ҳ": "х",
        "ʻ": "",
        "ʼ": "",
        "‘": "",
        "’": "",
        "'": "",
        "`": "",
        # dashes and hyphens separate words and are not tokens themselves
        "-": "",
        "‐": "",
        "‑": "",
        "‒": "",
        "–": "",
        "—": "",
        "―": "",
        "−": "",
    }
)
# Cyrillic letters that look like Latin ones, folded inside tokens that also hold Latin letters
# or digits ("С5" typed with a Cyrillic С is "C5"); all-Cyrillic words are left alone.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "с": "c",
        "е": "e",
        "н": "h",
        "к": "k",
        "м": "m",
        "о": "o",
        "р": "p",
        "т": "t",
        "х": "x",
        "у": "y",
        "і": "i",
    }
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_OR_DIGIT = re.compile(r"[a-z0-9]")

# Words (an apostrophe after o/g joins Uzbek oʻ/gʻ words: O'zbekiston), or single symbols.
# Dashes and apostrophes are never tokens of their own: "Trans-Caspian" = "Trans Caspian".
_TOKEN = re.compile(r"\w+(?:(?<=[oOgG])['ʻʼ‘’`]\w+)*|[^\w\s\-‐‑‒–—―−'ʻʼ‘’`]")
# The norm of a token that folds to nothing (a lone modifier letter): equals no query word.
_BLANK = "\x01"

_norm_cache: dict[str, str] = {}


def _normalize(word: str) -> str:
    text = unicodedata.normalize("NFKC", word).casefold().translate(_FOLD)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if _CYRILLIC.search(text) and _LATIN_OR_DIGIT.search(text):
            text = text.translate(_HOMOGLYPHS)
    return text


def normalize(word: str) -> str:
    """NFKC, casefold, diacritics folded (including ə, ı, қ, ң, ғ, ө, ү, ұ, һ, ё, oʻ …) and
    Cyrillic look-alikes folded inside Latin/digit tokens. Cached: words repeat."""
    got = _norm_cache.get(word)
    if got is None:
        got = _normalize(word)
        if len(_norm_cache) < 500_000:
            _norm_cache[word] = got
    return got


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int
    end: int


def norms(text: str) -> list[str]:
    """The normalized tokens of ``text`` (the fast path: no offsets)."""
    cache = _norm_cache
    return [cache.get(raw) or normalize(raw) or _BLANK for raw in _TOKEN.findall(text)]


def offsets(text: str, upto: int | None = None) -> list[tuple[int, int]]:
    """Character offsets of the tokens :func:`norms` returns, in the same order (only the
    first ``upto`` + 1 when given: spans are wanted for matched tokens only)."""
    found = _TOKEN.finditer(text)
    if upto is not None:
        found = islice(found, upto + 1)  # type: ignore[assignment]
    return [m.span() for m in found]


def tokenize(text: str) -> list[Token]:
    """Split text into normalized word/symbol tokens, keeping character offsets.

    Dashes are dropped, so ``Trans-Caspian``, ``Trans–Caspian`` and ``Trans Caspian`` give the
    same tokens; apostrophes vanish (``Azerbaijan’s`` → ``azerbaijan`` ``s``).
    """
    return [Token(n, a, b) for n, (a, b) in zip(norms(text), offsets(text), strict=True)]
