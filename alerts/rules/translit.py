"""Spelling variants across scripts (Cyrillic ↔ Latin) for concepts. Pure code, no I/O.

A concept that names languages (``transliterate: [kk, uz]``) matches each of its words also in
the other script of those languages: ``Қазақстан`` also as ``Qazaqstan``, ``Ozarbayjon`` also as
``Озарбайжон``. Nothing here is a hand-written letter table:

- Cyrillic → Latin: the CLDR transforms shipped with ICU (PyICU) — ``kk-kk_Latn/BGN``,
  ``ky-ky_Latn/BGN``, ``az_Cyrl-az/BGN`` (the Azerbaijani Latin alphabet) and ``uz_Cyrl-uz_Latn``
  (the official Uzbek Latin alphabet) — plus anyascii, whose romanization is the one the
  English-language press uses (Tojikiston, Rahmon, Dushanbe; Tajik has no CLDR transform).
- Latin → Cyrillic: ICU's ``uz_Latn-uz_Cyrl`` for Uzbek. For every language, the Cyrillic
  spelling is also found by reading the Latin word as a chain of those transforms' own outputs:
  each letter of the language's alphabet (CLDR exemplar characters) is romanized by the
  transforms above, and the Latin word is split into such romanizations (longest first).

All of it works on words as the engine folds them (:func:`alerts.rules.text.normalize`), so
``Azərbaycan``/``Azerbaycan`` and ``Азәрбајҹан``/``Азарбајҹан`` need no variants of their own.
Variants are computed once, when rules are compiled.
"""

from __future__ import annotations

import heapq
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import islice, product

from alerts.rules.text import normalize, tokenize

# language → (ICU Cyrillic→Latin transforms, ICU Latin→Cyrillic transforms, CLDR locale of its
# Cyrillic alphabet)
_SCHEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "kk": (("kk-kk_Latn/BGN",), (), "kk"),
    "uz": (("uz_Cyrl-uz_Latn",), ("uz_Latn-uz_Cyrl",), "uz_Cyrl"),
    "az": (("az_Cyrl-az/BGN",), (), "az_Cyrl"),
    "ky": (("ky-ky_Latn/BGN",), (), "ky"),
    "tg": ((), (), "tg"),
}
LANGUAGES: tuple[str, ...] = tuple(_SCHEMES)
# Spellings kept per word and per phrase and language (ambiguous letters multiply them; the
# first ones are the transforms' own preferences).
_PER_WORD = 8
_PER_PHRASE = 16


@cache
def _transform(transform_id: str) -> Callable[[str], str]:
    import icu  # imported when a concept transliterates (ICU's data is large)

    return icu.Transliterator.createInstance(transform_id).transliterate  # type: ignore[no-any-return]


def _to_latin(lang: str) -> list[Callable[[str], str]]:
    from anyascii import anyascii

    return [*(_transform(t) for t in _SCHEMES[lang][0]), anyascii]


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def _exact(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


@cache
def _romanized_letters(lang: str, folded: bool) -> dict[str, tuple[str, ...]]:
    """How each Latin spelling reads back in the language's Cyrillic alphabet, from the
    transforms themselves: ``{"q": ("қ",), "zh": ("ж",), "y": ("ы", "й"), …}`` (``folded``:
    both sides as the engine folds them, ``{"q": ("к",), …}``)."""
    import icu

    data = icu.LocaleData(_SCHEMES[lang][2])
    letters = [  # the alphabet, and the letters of loanwords (CLDR's auxiliary set)
        str(ch) for kind in (0, 1) for ch in data.getExemplarSet(0, kind) if _is_cyrillic(str(ch))
    ]
    table: dict[str, list[str]] = {}
    for romanize in _to_latin(lang):
        lead = romanize("а")
        for letter in letters:
            inner = romanize("а" + letter)
            spellings = [romanize(letter)]
            if inner.startswith(lead):
                spellings.append(inner[len(lead) :])  # inside a word (е: "ye" first, "e" inside)
            for spelling in spellings:
                key = normalize(spelling) if folded else _exact(spelling)
                cyrillic = normalize(letter) if folded else _exact(letter)
                usable = key.isascii() and key.isalpha() if folded else key.strip()
                if usable and cyrillic and not _is_cyrillic(key):
                    found = table.setdefault(key, [])
                    if cyrillic not in found:
                        found.append(cyrillic)
    return {key: tuple(v) for key, v in table.items()}


def _read_back(word: str, lang: str, folded: bool) -> list[str]:
    """Cyrillic spellings of a Latin word: the few likeliest, where every letter's choice has a
    rank (longer readings first, then the transforms' own order) and a spelling's cost is the
    sum of its choices' ranks (a uniform-cost search)."""
    table = _romanized_letters(lang, folded)
    keys = sorted(table, key=len, reverse=True)
    n = len(word)
    reachable = [False] * n + [True]  # reachable[i]: word[i:] can be read to the end
    for i in range(n - 1, -1, -1):
        reachable[i] = any(word.startswith(k, i) and reachable[i + len(k)] for k in keys)
    if not reachable[0]:
        return []
    found: list[str] = []
    frontier: list[tuple[int, int, str]] = [(0, 0, "")]
    while frontier and len(found) < _PER_WORD:
        cost, i, spelled = heapq.heappop(frontier)
        if i == n:
            if spelled not in found:
                found.append(spelled)
            continue
        options = [
            (key, letter)
            for key in keys
            if word.startswith(key, i) and reachable[i + len(key)]
            for letter in table[key]
        ]
        for rank, (key, letter) in enumerate(options):
            heapq.heappush(frontier, (cost + rank, i + len(key), spelled + letter))
    return found


def _word_variants(word: str, folded: str, lang: str) -> list[str]:
    if _is_cyrillic(word):
        return [normalize(romanize(word)) for romanize in _to_latin(lang)]
    if not folded.isascii() or not folded.isalpha():
        return []  # digits, symbols: the same in both scripts
    # the word as written first (Azərbaycan: ә, not е), then as folded (Azerbaycan)
    out = [_transform(t)(word) for t in _SCHEMES[lang][1]]
    out += _read_back(_exact(word), lang, folded=False) + _read_back(folded, lang, folded=True)
    return [normalize(spelling) for spelling in out]


@lru_cache(maxsize=4096)  # the config check and every rule set compile the same concepts
def spelling_variants(text: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """Other spellings of a word or phrase (as the engine folds them, words joined by spaces)
    in the other script of each language; the text's own spelling is not among them."""
    tokens = tokenize(text)
    if not tokens or not languages:
        return ()
    raw = [text[t.start : t.end] for t in tokens]
    own = tuple(t.norm for t in tokens)
    out: list[tuple[str, ...]] = []
    for lang in languages:
        choices = []
        for word, folded in zip(raw, own, strict=True):
            other: list[str] = []
            for spelling in _word_variants(word, folded, lang):
                if spelling and spelling != folded and spelling not in other:
                    other.append(spelling)
            choices.append(other or [folded])  # digits and symbols stay as they are
        for combo in islice(product(*choices), _PER_PHRASE):  # per language
            if combo != own and combo not in out:
                out.append(combo)
    return tuple(" ".join(words) for words in out)
