"""A Telegram channel as a source of newsmon.yaml: ``telegram: <username>`` checked, its
``url`` derived (``https://t.me/<username>``) when not given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crawler.extract.telegram_preview import PERMALINK_BASE, USERNAME

WEB_KEYS = ("feeds", "sitemaps", "listings")


def username(value: Any) -> str:
    """The channel's public username (a leading ``@`` allowed), or ValueError saying why not."""
    if not isinstance(value, str):
        raise ValueError("not a Telegram username (e.g. kunuzofficial)")
    name = value.strip().removeprefix("@")
    if "/" in name or "." in name:
        raise ValueError(
            f"give the channel's username, not a link: for https://t.me/NAME write "
            f"'telegram: NAME' ({value!r})"
        )
    if not USERNAME.match(name):
        raise ValueError(
            f"not a Telegram username ({value!r}): 5 to 32 letters, digits or '_', "
            "starting with a letter"
        )
    return name


def telegram_source(data: Any, error: Callable[[str, str], Exception]) -> Any:
    """A source mapping with ``telegram`` checked and ``url`` filled in; others unchanged."""
    if not isinstance(data, dict) or data.get("telegram") is None:
        return data
    try:
        name = username(data["telegram"])
    except ValueError as exc:
        raise error("telegram", str(exc)) from None
    for key in WEB_KEYS:
        if data.get(key):
            raise error(key, "a Telegram source is read from its channel page: no " + key)
    out = dict(data)
    out["telegram"] = name
    out.setdefault("url", f"{PERMALINK_BASE}/{name}")
    return out
