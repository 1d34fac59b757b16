"""The README documents every command, option and config key the code has."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from crawler.config import (
    BriefingConfig,
    DeliveryConfig,
    HealthConfig,
    NewsmonConfig,
    RuleConfig,
    RuleExamples,
    SlackConfig,
    SourceConfig,
    SpikesConfig,
)
from newsmon.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def commands(group: click.Group, prefix: str = "newsmon") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            out += commands(cmd, full)
        else:
            out.append((full, cmd))
    return out


@pytest.mark.parametrize(
    ("name", "cmd"), commands(main), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_command_and_option_is_documented(name: str, cmd: click.Command) -> None:
    assert f"`{name}" in README, f"{name} is not in README.md"
    for param in cmd.params:
        if isinstance(param, click.Option):
            longest = max(param.opts, key=len)
            assert longest in README, f"{name} {longest} is not in README.md"
    assert cmd.help, f"{name} has no help text"


def test_global_options_are_documented() -> None:
    for param in main.params:
        if isinstance(param, click.Option) and param.name != "version":
            assert max(param.opts, key=len) in README


@pytest.mark.parametrize(
    ("prefix", "model"),
    [
        ("", NewsmonConfig),
        ("slack.", SlackConfig),
        ("delivery.", DeliveryConfig),
        ("health.", HealthConfig),
        ("briefing.", BriefingConfig),
        ("spikes.", SpikesConfig),
        ("sources[].", SourceConfig),
        ("rules[].", RuleConfig),
        ("rules[].examples.", RuleExamples),
    ],
)
def test_every_config_key_is_documented(prefix: str, model: type) -> None:
    table = set(re.findall(r"^\| `([^`]+)`", README, flags=re.M))
    for field in model.model_fields:
        if field in (
            "slack",
            "sources",
            "rules",
            "examples",
            "delivery",
            "health",
            "briefing",
            "spikes",
        ):
            continue
        key = prefix + field
        assert key in table or any(key in row for row in table), (
            f"config key {key} is not in README.md"
        )


def test_readme_names_the_make_targets() -> None:
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    phony = re.search(r"^\.PHONY: (.+)$", makefile, flags=re.M)
    assert phony is not None
    targets = phony.group(1).split()
    assert {"demo", "run", "test", "lint"} <= set(targets)
    for target in targets:
        assert re.search(rf"^{target}:", makefile, flags=re.M), target
        assert f"make {target}" in README, f"make {target} is not in README.md"


def test_every_newsmon_setting_is_documented() -> None:
    import crawler.settings as settings

    for name in dir(settings):
        if name.startswith("NEWSMON_"):
            assert f"`{name}`" in README, f"setting {name} is not in README.md"
