"""Rendering pages in a browser (for outlets that build their articles with JavaScript): the
top-level ``rendering`` section of newsmon.yaml and the per-source ``render`` value."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from crawler.config_types import ConfigModel, Duration, positive

# Per source: false (plain HTTP), true (article pages rendered), "listings" (listing pages and
# the homepage rendered too).
RenderMode = bool | Literal["listings"]
DEFAULT_CHROMIUM = "/usr/bin/chromium"


class RenderingConfig(ConfigModel):
    """The one browser an engine process starts when (and only when) a source renders."""

    chromium: str = DEFAULT_CHROMIUM  # the browser executable (Chromium or Chrome)
    max_pages: Annotated[int, Field(ge=1, le=64)] = 4  # pages rendered at once
    timeout: Annotated[Duration, AfterValidator(positive)] = 30.0  # per page
    memory: Annotated[int, Field(ge=64)] = 1024  # MiB: the browser is restarted past this
