"""The unit a figure is counted in, in the region's languages (``u:500=mw``): two events on one
topic can share a number — 1 million barrels a day and 1 million tonnes of wheat, 12 km of a
border and a law of 12 chapters — but not a number in one unit. Only units that tell such
figures apart are read: money by currency, percent, mass, length, power, energy, volume of gas,
barrels, area, people.
"""

from __future__ import annotations

import re

_UNITS: dict[str, tuple[str, ...]] = {
    "%": ("%", "percent", "per cent", "процент", "пайыз", "пайыз", "foiz", "faiz", "фоиз"),
    "usd": ("$", "dollar", "доллар", "долл"),
    "eur": ("€", "euro", "евро", "yevro", "avro"),
    "kzt": ("tenge", "теңге", "тенге"),
    "azn": ("manat", "манат"),
    "kgs": ("som ", "soms", "сом ", "сома", "сомов", "сомго", "сомдон"),
    "uzs": ("soʻm", "so'm", "so‘m", "сум", "сўм"),
    "tjs": ("somoni", "сомони", "сомонӣ"),
    "t": ("tonne", "tons", "тонн", "tonna", "ton "),
    "km": ("km", "км", "kilomet", "километр", "чакырым", "шақырым"),
    "mw": ("mw", "мвт", "mvt", "megawat", "мегават"),
    "gw": ("gw", "гвт", "gvt", "gigawat", "гигават"),
    "kwh": ("kwh", "квт", "киловатт", "kilovat"),
    "m3": ("cubic", "кубомет", "куб", "kub", "текше", "метри мукааб"),
    "bbl": ("barrel", "баррел"),
    "ha": ("hectare", "гектар", "gektar", "hektar"),
    "people": ("people", "человек", "адам", "киши", "kishi", "nafar", "нафар", "nəfər"),
}
_AFTER = re.compile(
    r"[ \u00a0-]?(?:"
    + "|".join(
        re.escape(word)
        for word in sorted({w for ws in _UNITS.values() for w in ws}, key=len, reverse=True)
    )
    + ")",
    re.IGNORECASE,
)
_UNIT_OF = {word.casefold(): unit for unit, words in _UNITS.items() for word in words}


def unit_after(text: str, end: int, start: int) -> str | None:
    """The unit of the figure that ends at ``end`` (after its scale word) and starts at
    ``start``: a unit word after it, or a currency sign before it."""
    m = _AFTER.match(text, end)
    if m:
        word = m.group().lstrip(" \u00a0-").casefold()
        return _UNIT_OF.get(word.rstrip()) or _UNIT_OF.get(word)
    before = text[max(0, start - 1) : start]
    if before in ("$", "€"):
        return _UNIT_OF[before]
    return None
