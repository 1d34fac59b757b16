"""Writing a new source into newsmon.yaml the way a person would: appended to ``sources:``, the
file's comments, key order and quoting kept (ruamel.yaml's round trip, not a re-dump), and the
result validated as a whole before it replaces the file."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from crawler.config import ConfigError, load_config

NEW_FILE = (
    "# newsmon config (keys: docs/configuration.md). Sources were added with `newsmon add`.\n"
)


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 16  # never fold a long line the file already has
    yaml.preserve_quotes = True
    return yaml


def source_map(entry: dict[str, Any], comment: str | None = None) -> CommentedMap:
    """One source as YAML, its URL lists in flow style (``feeds: [https://…]``)."""
    out = CommentedMap()
    for key, value in entry.items():
        if isinstance(value, list):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            out[key] = seq
        else:
            out[key] = value
    if comment:
        out.yaml_set_start_comment(comment, indent=2)
    return out


def source_yaml(entry: dict[str, Any]) -> str:
    """The source as the item of a ``sources:`` list (what ``--dry-run`` prints)."""
    buffer = io.StringIO()
    _yaml().dump({"sources": [source_map(entry)]}, buffer)
    return buffer.getvalue()


def _last_slot(node: Any) -> tuple[Any, Any, int] | None:
    """Where ruamel keeps the comment that follows ``node`` (the comment lines between it and
    the next top-level key): on its deepest last entry in block style."""
    if isinstance(node, CommentedMap | CommentedSeq) and node.fa.flow_style():
        return None
    if isinstance(node, CommentedMap) and node:
        key = list(node.keys())[-1]
        inner = _last_slot(node[key])
        return inner if inner is not None else (node, key, 2)
    if isinstance(node, CommentedSeq) and node:
        inner = _last_slot(node[-1])
        return inner if inner is not None else (node, len(node) - 1, 0)
    return None


def _take_trailing_comment(sources: CommentedSeq) -> str | None:
    """Detach the comment lines after the last source (they belong to the key that follows
    ``sources``), keeping an end-of-line comment of its last line where it is."""
    slot = _last_slot(sources)
    if slot is None:
        return None
    container, key, position = slot
    tokens = container.ca.items.get(key)
    token = tokens[position] if tokens and len(tokens) > position else None
    value = getattr(token, "value", None)
    if token is None or not isinstance(value, str) or "\n" not in value:
        return None
    end_of_line, rest = value.split("\n", 1)
    if not rest.strip():
        return None
    token.value = end_of_line + "\n"
    return rest


def _put_trailing_comment(sources: CommentedSeq, text: str) -> None:
    slot = _last_slot(sources)
    if slot is None:
        return
    container, key, position = slot
    tokens = container.ca.items.setdefault(key, [None, None, None, None])
    while len(tokens) <= position:
        tokens.append(None)
    token = tokens[position]
    if token is None:
        tokens[position] = CommentToken("\n" + text, CommentMark(0), None)
    else:
        token.value = token.value.rstrip("\n") + "\n" + text


def existing_names(path: Path) -> list[str]:
    if not path.exists():
        return []
    data = _yaml().load(path.read_text(encoding="utf-8")) or {}
    return [str(s.get("name")) for s in data.get("sources") or [] if isinstance(s, dict)]


def append_source(path: Path, entry: dict[str, Any], comment: str | None = None) -> None:
    """Append ``entry`` to the config's ``sources`` (the file is created if missing). The new
    file is validated before it replaces the old one: :class:`ConfigError` and nothing written
    when it would not load."""
    yaml = _yaml()
    text = path.read_text(encoding="utf-8") if path.exists() else NEW_FILE
    data = yaml.load(text)
    if data is None:
        data = CommentedMap()
        if not path.exists():
            data.yaml_set_start_comment(NEW_FILE.lstrip("# ").rstrip())
    if not isinstance(data, CommentedMap):
        raise ConfigError(f"{path.name}: (top level): expected a mapping of keys")
    sources = data.get("sources")
    if sources is None:
        sources = data["sources"] = CommentedSeq()
    if not isinstance(sources, CommentedSeq):
        raise ConfigError(f"{path.name}: sources: expected a list")
    sources.fa.set_block_style()
    trailing = _take_trailing_comment(sources)
    sources.append(source_map(entry, comment))
    if trailing is not None:
        _put_trailing_comment(sources, trailing)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(buffer.getvalue())
        try:
            load_config(temp)
        except ConfigError as exc:
            message = str(exc).split(": ", 1)[-1]
            raise ConfigError(f"{path.name} with the new source: {message}") from None
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
