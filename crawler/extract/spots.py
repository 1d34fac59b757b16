"""A learned spot of an outlet's pages: where it prints an article's headline, publication date
or byline (``crawler.extract.template_fields``) — a place, and among the lines there the one of
a shape: a headline is the one line at its place, a date line has the date's shape ("0.0.0
0:0"), a byline its label ("By", "Автор:")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")

Place = tuple[str, ...]


@dataclass(frozen=True)
class Spot:
    """A line of an outlet's pages: the one at ``place`` (from the root) — of the lines there,
    the one of ``shape`` (:func:`line_shape`) when it is given."""

    place: Place
    shape: str = ""

    def to_data(self) -> dict[str, object]:
        return {"place": list(self.place), "shape": self.shape}

    @classmethod
    def from_data(cls, data: object) -> Spot | None:
        if not isinstance(data, dict) or not data.get("place"):
            return None
        return cls(tuple(map(str, data["place"])), str(data.get("shape", "")))


def line_shape(text: str) -> str:
    """What a short line looks like whatever it says: a label ("Автор:", "Tags:") or its run
    of letters, digits and signs ("17.11.2025 13:52" → "0.0.0 0:0")."""
    words = text.split()
    if words and words[0].endswith(":") and len(words[0]) > 1:
        return "label " + words[0].casefold()
    return " ".join(_LETTERS.sub("a", _DIGITS.sub("0", w)) for w in words)


BYLINE_LABEL = re.compile(r"^(?:by|от|автор|author)\b\s*[:：]?\s*|^[^\W\d_]{2,}\s*[:：]\s*", re.I)


def byline_shape(text: str) -> str:
    """A byline's label ("label by", "label müəllif:"), or "" for a line without one."""
    found = BYLINE_LABEL.match(text.strip())
    return "label " + " ".join(found.group().split()).casefold() if found else ""


def no_shape(text: str) -> str:
    return ""


SPOT_SHAPES: dict[str, Callable[[str], str]] = {
    "title": no_shape,
    "date": line_shape,
    "author": byline_shape,
}
