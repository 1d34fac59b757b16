"""The countries a news text names, in any of the region's languages and scripts, as keys
(``c:kz``): the actors that tell two events on one topic apart — a tariff agreed by Kazakhstan
and Turkmenistan, pipeline talks between Turkmenistan and Azerbaijan — and that a name's
consonant skeleton (``crawler.extract.evidence``) cannot: Türkmənistan and Türkiyə, the
Kazakh Ауғанстан and the Uzbek Afgʻoniston.

A word names a country when it starts with one of its stems, so that the cases and adjectives
of every language count (Қазақстанға, казахстанской, Qozogʻistonning, Kazakh). Words are
compared casefolded, without the apostrophes of Uzbek Latin.
"""

from __future__ import annotations

import re

_STEMS: dict[str, tuple[str, ...]] = {
    "kz": ("kazakh", "казах", "казак", "қазақ", "qazaq", "qozog", "qazax", "қозоқ", "қазоқ"),
    "uz": ("uzbek", "узбек", "өзбек", "ozbek", "ўзбек", "özbək", "ӯзбек"),
    "kg": ("kyrgyz", "kirgiz", "кыргыз", "киргиз", "қырғыз", "qirgiz", "qırğız", "қирғиз"),
    "tj": ("tajik", "таджик", "тәжік", "тажик", "tojik", "тоҷик", "тожик", "tacik"),
    "tm": ("turkmen", "туркмен", "түрікмен", "түркмөн", "turkman", "türkmən", "туркман"),
    "az": (
        "azerbai",
        "азербайдж",
        "әзірбайжан",
        "азербайжан",
        "ozarbay",
        "озарбайж",
        "azərbayc",
        "azerbayc",
        "озарбойҷон",
        "azeri",
    ),
    "am": ("armenia", "армени", "армян", "ermən", "арман", "armaniston"),
    "ge": ("georgia", "грузи", "gürcü", "gruziya", "гурҷист"),
    "ru": ("russia", "росси", "rossiya", "ресей", "орусия", "русия", "rusiya"),
    "cn": ("china", "chinese", "китай", "китая", "қытай", "кытай", "xitoy", "хитой"),
    "af": ("afghan", "афган", "ауған", "ауган", "afgon", "афғон", "əfqan"),
    "ir": ("iran", "иран", "eron", "эрон"),
    "tr": ("turkey", "türkiy", "турци", "түркия", "turkiya", "туркия"),
    "pk": ("pakistan", "пакистан", "pokiston", "покистон"),
    "de": ("german", "герман", "germaniya", "almaniya"),
    "hu": ("hungar", "венгр", "macarıst", "vengriya"),
    "sk": ("slovak", "словак"),
    "us": ("american", "америк", "amerika"),
}
_APOSTROPHES = re.compile(r"['ʻʼ`’‘]")
_FIRST: dict[str, list[tuple[str, str]]] = {}
for _code, _stems in _STEMS.items():
    for _stem in _stems:
        _FIRST.setdefault(_stem[0], []).append((_stem, _code))


def country(word: str) -> str | None:
    """The code of the country a word names, if it names one."""
    folded = _APOSTROPHES.sub("", word.casefold()).replace("\u0307", "")  # İran: i + dot
    for stem, code in _FIRST.get(folded[:1], ()):
        if folded.startswith(stem):
            return code
    return None
