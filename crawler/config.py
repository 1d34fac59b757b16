"""The newsmon.yaml model: parsed and validated once, then passed around as frozen values.

A bad config raises :class:`ConfigError` whose message names the file and the field, e.g.
``newsmon.yaml: sources[1].feeds[0]: not a URL``. The CLI turns it into exit code 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from alerts.rules import (
    Concept,
    ConceptError,
    RuleSet,
    RuleSyntaxError,
    compile_concepts,
    parse_query,
)
from crawler.config_destinations import (
    Destinations,
    check_destination_names,
    unknown_channel,
)
from crawler.config_render import RenderingConfig, RenderMode
from crawler.config_sections import (
    CONCEPT_FORMS,
    BriefingConfig,
    ConceptValue,
    SpikesConfig,
)
from crawler.config_telegram import telegram_source
from crawler.config_types import (
    POSTGRES_SCHEMES,
    ConfigModel,
    Duration,
    EnvVar,
    Url,
    database_location,
    positive,
    to_xpath,
)
from storage import redact

DEFAULT_CONFIG = "newsmon.yaml"
CONFIG_ENV = "NEWSMON_CONFIG"
EXIT_CONFIG = 2  # the exit code of every command that stops on a config error

_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class ConfigError(Exception):
    """A config file that cannot be used. ``str()`` is the message for the user."""


_Model = ConfigModel


class SlackConfig(_Model):
    token_env: EnvVar = "SLACK_BOT_TOKEN"
    base_url: Url | None = None
    # channel → name of the env var holding that channel's incoming-webhook URL
    webhooks: dict[str, EnvVar] = Field(default_factory=dict)

    def webhook_urls(self) -> dict[str, str]:
        """The channels whose webhook URL is set in the environment, with that URL."""
        return {ch: url for ch, env in self.webhooks.items() if (url := os.environ.get(env))}

    def token(self) -> str | None:
        """The bot token, read from the environment at the moment it is needed."""
        return os.environ.get(self.token_env) or None


class SourceConfig(_Model):
    name: str
    url: Url  # for a Telegram channel: derived from its username when not given
    feeds: list[Url] = Field(default_factory=list)
    sitemaps: list[Url] = Field(default_factory=list)
    listings: list[Url] = Field(default_factory=list)
    interval: Annotated[Duration, AfterValidator(positive)] = 900.0
    delay: Duration | None = None
    concurrency: Annotated[int, Field(ge=1, le=64)] | None = None
    timeout: Annotated[Duration, AfterValidator(positive)] | None = None
    enabled: bool = True
    max_age: Annotated[Duration, AfterValidator(positive)] = 7 * 86400.0
    article_pattern: str | None = None
    listing_depth: Annotated[int, Field(ge=0, le=50)] = 2
    autodiscover: bool = True
    prune: list[str] = Field(default_factory=list)  # CSS selectors or XPaths to drop
    adaptive: bool = True
    min_interval: Annotated[Duration, AfterValidator(positive)] | None = None
    max_interval: Annotated[Duration, AfterValidator(positive)] | None = None
    # a public Telegram channel read through its web preview (crawler.telegram_source)
    telegram: str | None = None
    history: Annotated[int, Field(ge=1, le=1000)] = 100  # posts read back on a first poll
    follow_links: bool = False  # fetch the article a post links to
    render: RenderMode = False  # true: article pages rendered in Chromium; "listings": also those

    @model_validator(mode="before")
    @classmethod
    def _telegram_url(cls, data: Any) -> Any:
        return telegram_source(data, _FieldError)

    @field_validator("prune")
    @classmethod
    def _selectors(cls, values: list[str]) -> list[str]:
        for value in values:
            to_xpath(value)
        return values

    @cached_property
    def prune_xpaths(self) -> tuple[str, ...]:
        """The ``prune`` selectors as XPath expressions."""
        return tuple(to_xpath(v) for v in self.prune)

    @property
    def interval_floor(self) -> float:
        return self.min_interval if self.min_interval is not None else self.interval / 2

    @property
    def interval_ceiling(self) -> float:
        return self.max_interval if self.max_interval is not None else self.interval * 4

    @model_validator(mode="after")
    def _interval_bounds(self) -> SourceConfig:
        if self.interval_floor > self.interval_ceiling:
            raise _FieldError("min_interval", "is longer than max_interval")
        return self

    @field_validator("article_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return value

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SOURCE_NAME.match(value):
            raise ValueError(
                "use lowercase letters, digits, '-' or '_' (it is also the Scrapy spider name)"
            )
        return value

    @cached_property
    def hosts(self) -> list[str]:
        """Every host this source may be crawled on (homepage, feeds, sitemaps, listings)."""
        seen: list[str] = []
        for url in [self.url, *self.feeds, *self.sitemaps, *self.listings]:
            host = (urlsplit(url).hostname or "").lower()
            if host and host not in seen:
                seen.append(host)
        return seen


class RuleExamples(_Model):
    match: list[str] = Field(default_factory=list)
    no_match: list[str] = Field(default_factory=list)


class RuleConfig(_Model):
    name: str
    query: str
    channel: str | list[str]  # a Slack channel, a destination's name, or a list of both
    examples: RuleExamples = Field(default_factory=RuleExamples)
    max_per_hour: Annotated[int, Field(ge=1)] | None = None

    @field_validator("channel", mode="before")
    @classmethod
    def _channel(cls, value: Any) -> str | list[str]:
        listed = [value] if isinstance(value, str) else value
        if not isinstance(listed, list) or not listed:
            raise ValueError("give a channel, a destination, or a list of them")
        for one in listed:
            if not isinstance(one, str) or not one.strip() or " " in one.strip():
                raise ValueError(
                    "not a Slack channel (e.g. '#caucasus' or a channel ID) nor a destination"
                )
        return value.strip() if isinstance(value, str) else [one.strip() for one in listed]

    @property
    def channels(self) -> tuple[str, ...]:
        """Where the rule's alerts go: one channel or destination, or several."""
        return (self.channel,) if isinstance(self.channel, str) else tuple(self.channel)


class HealthConfig(_Model):
    channel: str | None = None  # where source health alerts go (None: log and status only)
    failed_runs: Annotated[int, Field(ge=1)] = 3
    empty_runs: Annotated[int, Field(ge=1)] = 3
    extraction_runs: Annotated[int, Field(ge=1)] = 2
    silent_factor: Annotated[float, Field(gt=1)] = 4.0
    min_silent: Annotated[Duration, AfterValidator(positive)] = 6 * 3600.0


class DeliveryConfig(_Model):
    # top-level messages per rule, channel and clock hour; the rest go into one digest
    max_per_hour: Annotated[int, Field(ge=1)] | None = 30
    # replies per story thread, channel and hour; later copies fold into one summary reply
    max_replies_per_hour: Annotated[int, Field(ge=0)] | None = 10
    # how long an alert being sent is reserved for one dispatcher (after a crash, it is due again
    # when this runs out, and Slack is checked before it is resent)
    lease: Annotated[Duration, AfterValidator(positive)] = 45.0


class NewsmonConfig(_Model):
    database: Annotated[str, AfterValidator(database_location)] = "newsmon.db"
    # an environment variable holding the database URL (with its password): wins when set
    database_env: EnvVar | None = None
    user_agent: str = "newsmon/0.1 (+https://github.com/newsmon/newsmon)"
    slack: SlackConfig | None = None
    destinations: Destinations = Field(default_factory=dict)
    delivery: DeliveryConfig = Field(default_factory=DeliveryConfig)
    health: HealthConfig = Field(default_factory=HealthConfig)
    sources: list[SourceConfig] = Field(default_factory=list)
    concepts: dict[str, ConceptValue] = Field(default_factory=dict)
    rules: list[RuleConfig] = Field(default_factory=list)
    briefing: BriefingConfig | None = None
    spikes: SpikesConfig = Field(default_factory=SpikesConfig)
    telegram_base_url: Url = "https://t.me"  # the channels' web preview (a mirror, a test server)
    telegram_delay: Duration = 1.0  # between two requests to the preview host
    rendering: RenderingConfig = Field(default_factory=RenderingConfig)

    @model_validator(mode="after")
    def _unique_names(self) -> NewsmonConfig:
        named = (
            ("sources", [s.name for s in self.sources]),
            ("rules", [r.name for r in self.rules]),
        )
        for field, names in named:
            seen: set[str] = set()
            for i, name in enumerate(names):
                if name in seen:
                    raise _FieldError(f"{field}[{i}].name", f"duplicate name '{name}'")
                seen.add(name)
        return self

    def ruleset(self, names: Sequence[str] | None = None) -> RuleSet:
        """The rules (all, or the named ones) compiled with the config's concepts."""
        return RuleSet(
            ((r.name, r.query, r.channels) for r in self.rules if names is None or r.name in names),
            self.concept_definitions,
        )

    @property
    def concept_definitions(self) -> dict[str, list[str] | Concept]:
        """The concepts as the rule engine takes them."""
        return {
            name: value
            if isinstance(value, list)
            else Concept(tuple(value.terms), tuple(value.transliterate))
            for name, value in self.concepts.items()
        }

    def concept_ruleset(self) -> RuleSet:
        """Each named concept as a rule of its own (named ``@NAME``), to count its mentions."""
        return RuleSet(((f"@{n}", f"@{n}", "") for n in self.concepts), self.concept_definitions)

    @model_validator(mode="after")
    def _queries_parse(self) -> NewsmonConfig:
        for name in self.concepts:
            if not _CONCEPT_NAME.match(name):
                raise _FieldError(
                    f"concepts.{name}", "use letters, digits, '_' or '-', starting with a letter"
                )
        try:
            concepts = compile_concepts(self.concept_definitions)
        except ConceptError as exc:
            listed = isinstance(self.concepts[exc.name], list)
            item = "" if listed else (".transliterate" if exc.index < 0 else ".terms")
            index = "" if exc.index < 0 else f"[{exc.index}]"
            raise _FieldError(f"concepts.{exc.name}{item}{index}", str(exc)) from None
        for i, rule in enumerate(self.rules):
            try:
                parse_query(rule.query, concepts)
            except RuleSyntaxError as exc:
                raise _FieldError(f"rules[{i}].query", f"rule '{rule.name}': {exc}") from None
        return self

    @model_validator(mode="after")
    def _channels_known(self) -> NewsmonConfig:
        try:
            check_destination_names(self.destinations)
        except ValueError as exc:
            raise _FieldError("destinations", str(exc)) from None
        named = [(f"rules[{i}].channel", r.channels) for i, r in enumerate(self.rules)]
        if self.health.channel:
            named.append(("health.channel", (self.health.channel,)))
        if self.briefing and self.briefing.channels:
            named.append(("briefing.channels", tuple(self.briefing.channels)))
        for where, channels in named:
            for channel in channels:
                if problem := unknown_channel(channel, self.destinations):
                    raise _FieldError(where, problem)
        return self


_CONCEPT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class _FieldError(ValueError):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class Config:
    """A loaded config: the validated model plus where it came from."""

    path: Path
    model: NewsmonConfig

    @property
    def database(self) -> Path | str:
        """A SQLite file (relative to the config file), or a PostgreSQL URL (from
        ``database_env`` when that variable is set)."""
        env = self.model.database_env
        if env and os.environ.get(env):
            return os.environ[env]
        if self.model.database.startswith(POSTGRES_SCHEMES):
            return self.model.database
        db = Path(self.model.database).expanduser()
        return db if db.is_absolute() else (self.path.parent / db)

    @property
    def database_label(self) -> str:
        """The database as it can be shown: a URL without its password."""
        db = self.database
        return str(db) if isinstance(db, Path) else redact(db)

    @property
    def sources(self) -> list[SourceConfig]:
        return self.model.sources

    @property
    def rules(self) -> list[RuleConfig]:
        return self.model.rules

    @property
    def slack(self) -> SlackConfig | None:
        return self.model.slack

    @cached_property
    def _by_name(self) -> dict[str, SourceConfig]:
        return {src.name: src for src in self.model.sources}

    def source(self, name: str) -> SourceConfig:
        found = self._by_name.get(name)
        if found is not None:
            return found
        known = ", ".join(s.name for s in self.model.sources) or "none configured"
        raise ConfigError(f"{self.path.name}: no source named '{name}' (known: {known})")


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "function_")) or part in (
            "",
            "constrained-int",
            *CONCEPT_FORMS,
        ):
            continue
        else:
            out += f".{part}" if out else part
    return out or "(top level)"


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "value_error":
        ctx = err.get("ctx", {}).get("error")
        return str(ctx) if ctx else str(err.get("msg"))
    return str(err.get("msg", "invalid value"))


def config_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The config path: the argument, else ``$NEWSMON_CONFIG``, else ``./newsmon.yaml``."""
    chosen = path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG
    return Path(chosen).expanduser().resolve()


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate a config file. Raises :class:`ConfigError` naming file and field."""
    resolved = config_path(path)
    name = str(path) if path else resolved.name
    try:
        raw_text = resolved.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{name}: config file not found (pass --config PATH or set {CONFIG_ENV})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: cannot read config file: {exc}") from None
    try:
        data = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{name}: {where}{problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: (top level): expected a mapping of keys (database, sources, …)")
    try:
        model = NewsmonConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        inner = first.get("ctx", {}).get("error")
        if isinstance(inner, _FieldError):
            loc = tuple(first["loc"])
            where = f"{_where(loc)}.{inner.where}" if loc else inner.where
            raise ConfigError(f"{name}: {where}: {inner}") from None
        raise ConfigError(f"{name}: {_where(first['loc'])}: {_message(dict(first))}") from None
    return Config(path=resolved, model=model)
