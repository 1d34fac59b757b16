"""What a news text names that another language's copy of the same event names too: figures,
calendar dates and clock times, as language-neutral keys.

``n:13.5`` a figure (decimal comma or point, thousands separators read), ``w:2027`` a weak one
(a year, a number under 10: often spelled out, often shared by different events), ``d:1.12`` a
day and month (month names in en, ru, kk, uz, az), ``t:2:47`` a time of day. Codes glued to
letters (A320neo, SPM-2, C5+1) are not figures. ``p:kmb`` a capitalised word's consonant
skeleton in Latin letters (Камбар-Ата, Kambarata, Qamborota → ``kmb``): names spelled in any
script meet; storage counts only the names that are rare among the window's articles.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from crawler.extract.countries import country
from crawler.extract.units import unit_after

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "январ", "қаңтар", "yanvar"),
    2: ("february", "feb", "феврал", "ақпан", "fevral"),
    3: ("march", "марта", "март", "наурыз", "mart"),
    4: ("april", "апрел", "сәуір", "aprel"),
    5: ("may", "мая", "май", "мамыр"),
    6: ("june", "июн", "маусым", "iyun"),
    7: ("july", "июл", "шілде", "iyul"),
    8: ("august", "август", "тамыз", "avgust", "avqust"),
    9: ("september", "сентябр", "қыркүйек", "sentyabr"),
    10: ("october", "октябр", "қазан", "oktyabr"),
    11: ("november", "ноябр", "қараша", "noyabr"),
    12: ("december", "декабр", "желтоқсан", "dekabr"),
}
_MONTH_WORDS = "|".join(sorted({w for ws in _MONTHS.values() for w in ws}, key=len, reverse=True))
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
# "12 November", "12-noyabr", "20-ноябрда", "12 қарашада"; month first only in Latin script
# ("November 12", "noyabrın 20-də"): a Cyrillic month before a number ends a date already.
_LATIN_MONTHS = "|".join(
    sorted({w for ws in _MONTHS.values() for w in ws if w.isascii()}, key=len, reverse=True)
)
_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:-?[^\W\d_]{{1,4}}[ \u00a0]|[ \u00a0-])({_MONTH_WORDS})"
    rf"|\b({_LATIN_MONTHS})[^\W\d_]*[ \u00a0](\d{{1,2}})\b(?![.,]\d)",
    re.IGNORECASE,
)
_LETTER = r"[^\W\d_]"
_NUMBER = re.compile(
    rf"(?<!{_LETTER})(?<!{_LETTER}-)(?<!{_LETTER}\d)"
    r"(?:\d{1,3}(?:,\d{3})+(?![.,]?\d)|\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?)"
    rf"(?=(?:st|nd|rd|th)?(?!{_LETTER}))"  # an English ordinal is its number: the 100,000th car
)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
# "17 тысяч", "4,1 млрд", "1.2 billion", "200 min" (az), "100-тысячный": the scale word after a
# figure (en, ru, kk, ky, uz, az, tg).
_SCALE = re.compile(
    r"[ \u00a0-]?(thousand|тыс|мың|миң|ҳазор|ming|min(?![^\W\d_])|million|mln|млн|миллион|milyon|"
    r"billion|bn|млрд|миллиард|milliard|milyard|mlrd|trillion|трлн|триллион|trln|trilyon)",
    re.IGNORECASE,
)
_SCALES = dict.fromkeys(("thousand", "тыс", "мың", "миң", "ҳазор", "ming", "min"), 1e3)
_SCALES.update(dict.fromkeys(("million", "mln", "млн", "миллион", "milyon"), 1e6))
_SCALES.update(
    dict.fromkeys(("billion", "bn", "млрд", "миллиард", "milliard", "milyard", "mlrd"), 1e9)
)
_SCALES.update(dict.fromkeys(("trillion", "трлн", "триллион", "trln", "trilyon"), 1e12))
_SPACES = re.compile(r"[ \u00a0\u202f]")


_WORD = re.compile(r"[^\W\d_][\w'ʻʼ`’-]*")
_DIGRAPHS = (
    ("dzh", "j"),
    ("kh", "k"),
    ("zh", "j"),
    ("sh", "s"),
    ("ch", "c"),
    ("gh", "k"),
    ("q", "k"),
    ("x", "k"),
    ("g", "k"),  # Ashgabat, Ashxobod, Aşqabad, Ашхабад; Qirgʻiziston, Kyrgyzstan
)
_VOWELS = re.compile(r"[^a-z]|[aeiouyw]")
_DIPHTHONG = re.compile(r"(?<=[aeo])u")  # Aktau, Ақтауға, Oqtov: the u after a vowel is a v
# Capitalised words that are never an actor: weekdays and months (a title's or a sentence's
# first word is often one).
_NOT_NAMES = re.compile(
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|понедельник|вторник|сред|четверг|"
    r"пятниц|суббот|воскресень|дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі|dushanba|"
    r"seshanba|chorshanba|payshanba|juma|shanba|yakshanba|bazar|çərşənbə|cümə|şənbə|"
    r"president|prezident|президент|minist|минист|vazir|вазир|nazir|premier|премьер|"
    r"government|правительств|hukumat|ҳукумат|үкімет|өкмөт|hökumət|кабмин|parliament|парламент|"
    r"national|ұлттық|улуттук|milliy|миллӣ|central|markaziy|mərkəzi|"
    rf"{_MONTH_WORDS})",
    re.IGNORECASE,
)
_REPEATS = re.compile(r"(.)\1+")
_SENTENCE = re.compile(r"(?<=[.!?…:;])\s+")


def name_key(word: str) -> str:
    """The first three consonants of a word transliterated to Latin letters (the vowels, the
    soft signs and the spellings of kh/x/q differ across kk, uz, az, ru and en; these do not)."""
    latin = _DIPHTHONG.sub("v", anyascii(word).lower())
    for digraph, letter in _DIGRAPHS:
        latin = latin.replace(digraph, letter)
    return _REPEATS.sub(r"\1", _VOWELS.sub("", latin))[:3]


def names(text: str) -> set[str]:
    """``c:`` keys of the countries a text names (``crawler.extract.countries``), and keys of
    the other capitalised words of four letters or more: ``p:`` for names — inside a
    sentence, or first in one and capitalised again inside one — and ``q:`` for a sentence's
    first word otherwise, often a common word ("Синоптики обещают…", "Tabiiy gaz…"): storage
    reads it as a name only when the window knows the key as one."""
    inside: set[str] = set()
    first: set[str] = set()
    for sentence in _SENTENCE.split(text):
        for n, word in enumerate(_WORD.findall(sentence)):
            code = country(word)
            if code:
                inside.add("c:" + code)
            elif len(word) >= 4 and word[0].isupper() and not _NOT_NAMES.match(word):
                key = name_key(word)
                if len(key) >= 2:
                    (inside if n else first).add("p:" + key)
    return inside | {key if _prefixed(key, inside) else "q:" + key[2:] for key in first}


def _prefixed(key: str, keys: set[str]) -> bool:
    """A key among ``keys``, or a prefix of one of them or they of it (Баку and Бакинской)."""
    return any(k.startswith(key) or key.startswith(k) for k in keys)


def _month(word: str) -> int | None:
    word = word.casefold()
    for number, words in _MONTHS.items():
        if any(word.startswith(w) for w in words):
            return number
    return None


def evidence(text: str) -> tuple[str, ...]:
    """The figures, dates, times and names a text names, as sorted keys."""
    keys: set[str] = names(text)
    for hour, minute in _TIME.findall(text):
        keys.add(f"t:{int(hour)}:{minute}")
    text = _TIME.sub(" ", text)
    for m in _DATE.finditer(text):
        day, word = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        month = _month(word)
        if month and 1 <= int(day) <= 31:
            keys.add(f"d:{int(day)}.{month}")
    text = _DATE.sub(" ", text)
    for m in _NUMBER.finditer(text):
        raw = m.group()
        digits = raw.replace(",", "") if _THOUSANDS.fullmatch(raw) else raw
        try:
            value = float(_SPACES.sub("", digits).replace(",", "."))
        except ValueError:
            continue
        scale = _SCALE.match(text, m.end())
        if scale:
            value = round(value * _SCALES[scale.group(1).lower()], 3)
        whole = value.is_integer()
        weak = whole and (value < 10 or 1990 <= value <= 2040)
        figure = f"{value:f}".rstrip("0").rstrip(".")
        keys.add(("w:" if weak else "n:") + figure)
        unit = unit_after(text, scale.end() if scale else m.end(), m.start())
        if unit and not weak:
            keys.add(f"u:{figure}={unit}")
    return tuple(sorted(keys))
