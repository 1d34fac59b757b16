"""The sections of newsmon.yaml that carry logic of their own beyond sources and rules:
concepts in their mapping form (with transliteration), the daily briefing and spike alerts."""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Discriminator, Field, Tag, field_validator

from alerts.rules import LANGUAGES
from crawler.config_types import ConfigModel


def _known_language(code: str) -> str:
    if code not in LANGUAGES:
        raise ValueError(
            f"unknown language '{code}' (transliteration knows {', '.join(LANGUAGES)})"
        )
    return code


class ConceptConfig(ConfigModel):
    """A concept as a mapping: its alternatives, and the languages in whose other script
    (Latin ↔ Cyrillic) its words are also matched."""

    terms: Annotated[list[str], Field(min_length=1)]
    transliterate: list[Annotated[str, AfterValidator(_known_language)]] = Field(
        default_factory=list
    )


# The two forms of a concept: a list of alternatives, or a mapping (ConceptConfig). The tags are
# left out of error paths (see _where): concepts.KZ.transliterate[0], concepts.KZ[1].
CONCEPT_FORMS = ("list form", "mapping form")
ConceptValue = Annotated[
    Annotated[list[str], Tag(CONCEPT_FORMS[0])] | Annotated[ConceptConfig, Tag(CONCEPT_FORMS[1])],
    Discriminator(lambda v: CONCEPT_FORMS[0] if isinstance(v, list) else CONCEPT_FORMS[1]),
]
_CLOCK_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class BriefingConfig(ConfigModel):
    """The daily briefing: each channel's stories of the last 24 h and a 14-day chart."""

    time: str = "08:00"  # local time of day, HH:MM
    timezone: str = "UTC"  # an IANA zone, e.g. Asia/Almaty
    channels: list[str] | None = None  # default: every channel a rule posts to

    @field_validator("time")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK_TIME.match(value):
            raise ValueError("not a time of day (HH:MM, e.g. '08:00')")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (an IANA name, e.g. Asia/Almaty)"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def at(self) -> tuple[int, int]:
        hour, minute = self.time.split(":")
        return int(hour), int(minute)


class SpikesConfig(ConfigModel):
    """Spike alerts: a rule's stories today against its previous days."""

    enabled: bool = True
    baseline_days: Annotated[int, Field(ge=3, le=90)] = 14
    min_stories: Annotated[int, Field(ge=1)] = 5
    significance: Annotated[float, Field(gt=0, lt=1)] = 0.001
    min_ratio: Annotated[float, Field(ge=1)] = 2.0
