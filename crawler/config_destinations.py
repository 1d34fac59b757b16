"""The ``destinations:`` section of newsmon.yaml: Apprise targets by name (Telegram, e-mail,
Teams, Discord, Matrix, ntfy, a JSON hook …), and which names a rule's ``channel`` may use."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from alerts.destinations import apprise_plugin, holds_credential
from crawler.config_types import ConfigModel, Duration, EnvVar, positive

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SLACK_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


class DestinationConfig(ConfigModel):
    # the whole Apprise URL from the environment (for URLs holding a token or a password) …
    url_env: EnvVar | None = None
    # … or in the file, for URLs without a credential
    url: str | None = None
    # tries before a message is dead-lettered with the destination's last answer (the backoff
    # doubles from 2 s to 15 min: 20 tries span about three hours)
    attempts: Annotated[int, Field(ge=1, le=1000)] = 20
    # at most one message per this long to the destination, across a fleet
    interval: Annotated[Duration, AfterValidator(positive)] = 1.0

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        plugin = apprise_plugin(value)
        if holds_credential(plugin):
            raise ValueError(
                "this URL holds a credential (a token or a password), which does not belong in "
                "the config file: put the whole URL in an environment variable and name it in "
                "url_env"
            )
        return value

    @field_validator("url_env")
    @classmethod
    def _url_in_env(cls, value: str | None) -> str | None:
        url = os.environ.get(value) if value else None
        if url:
            try:
                apprise_plugin(url)
            except ValueError as exc:
                raise ValueError(f"${value}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _one_url(self) -> DestinationConfig:
        if (self.url is None) == (self.url_env is None):
            raise ValueError("give either url_env (a URL with a credential) or url, not both")
        return self

    def resolved_url(self) -> str | None:
        """The URL, read from the environment at the moment it is needed (None: not set)."""
        if self.url is not None:
            return self.url
        return os.environ.get(self.url_env or "") or None


Destinations = dict[str, DestinationConfig]


def check_destination_names(names: Iterable[str]) -> None:
    for name in names:
        if not _NAME.match(name) or name.startswith("#"):
            raise ValueError(
                f"destination name '{name}': use letters, digits, '-', '_' or '.' (a name with "
                "'#' would read as a Slack channel)"
            )


def unknown_channel(channel: str, destinations: Mapping[str, DestinationConfig]) -> str | None:
    """Why ``channel`` names nothing, or None. With destinations configured, a channel is a
    destination's name, a Slack channel ('#name') or a Slack channel ID."""
    if not destinations or channel in destinations:
        return None
    if channel.startswith("#") or _SLACK_ID.match(channel):
        return None
    known = ", ".join(sorted(destinations))
    return (
        f"unknown destination '{channel}' (destinations: {known}; a Slack channel is written "
        "with '#', e.g. '#caucasus')"
    )
