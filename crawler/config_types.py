"""The value types of newsmon.yaml: durations, URLs, environment variable names, CSS/XPath
selectors and database locations — each parsed and checked once, with a message that says what
is wrong."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict


class ConfigModel(BaseModel):
    """The base of every section of the config: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(value: Any) -> float:
    """``15m`` → 900.0 seconds. Plain numbers are seconds."""
    if isinstance(value, bool):
        raise ValueError("not a duration (use e.g. 30s, 15m, 2h)")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    else:
        raise ValueError("not a duration (use e.g. 30s, 15m, 2h)")
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    return seconds


def check_url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a URL")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not a URL (expected http:// or https://)")
    return value.strip()


Url = Annotated[str, BeforeValidator(check_url)]
Duration = Annotated[float, BeforeValidator(parse_duration)]


def positive(value: float) -> float:
    if value <= 0:
        raise ValueError("must be greater than zero")
    return value


def _env_var(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise ValueError("not an environment variable name")
    return value


EnvVar = Annotated[str, AfterValidator(_env_var)]


def to_xpath(selector: str) -> str:
    """An XPath (starting with / or ./ or () as given, else a CSS selector translated."""
    from lxml import etree
    from lxml.cssselect import CSSSelector, SelectorError

    text = selector.strip()
    if text.startswith(("/", "./", "(")):
        try:
            etree.XPath(text)
        except etree.XPathSyntaxError as exc:
            raise ValueError(f"not a valid XPath {text!r}: {exc}") from None
        return text
    try:
        return str(CSSSelector(text).path)
    except (SelectorError, Exception) as exc:
        raise ValueError(f"not a valid CSS selector {text!r}: {exc}") from None


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def database_location(value: str) -> str:
    if not value.strip():
        raise ValueError("give the path of a SQLite file (e.g. newsmon.db) or a postgresql:// URL")
    if value.startswith(POSTGRES_SCHEMES):
        parts = urlsplit(value)
        if parts.password:
            raise ValueError(
                "a password does not belong in the config file: put the whole URL in an "
                "environment variable and name it in database_env"
            )
        if not parts.hostname and "host=" not in (parts.query or ""):
            raise ValueError(
                "a postgresql:// URL needs a host, e.g. postgresql://user@host/newsmon"
            )
        return value
    if "://" in value:
        scheme = value.split("://", 1)[0]
        raise ValueError(
            f"{scheme}:// databases are not supported: give the path of a SQLite file "
            "(e.g. newsmon.db) or a postgresql:// URL"
        )
    return value
