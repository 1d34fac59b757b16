"""The documentation covers every command, option and config key the code has.

README.md is the short front page: every command in one line, links into docs/. The reference
lives in docs/ (a MkDocs site, mkdocs.yml): commands and their options in docs/commands.md, config
keys and settings in docs/configuration.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

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
from crawler.config_render import RenderingConfig
from newsmon.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text()
COMMANDS = (DOCS / "commands.md").read_text()
CONFIGURATION = (DOCS / "configuration.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


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
    assert f"`{name}" in COMMANDS, f"{name} is not in docs/commands.md"
    for param in cmd.params:
        if isinstance(param, click.Option):
            longest = max(param.opts, key=len)
            assert longest in COMMANDS, f"{name} {longest} is not in docs/commands.md"
    assert cmd.help, f"{name} has no help text"


@pytest.mark.parametrize(
    ("name", "cmd"), commands(main), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_command_has_one_line_in_the_readme(name: str, cmd: click.Command) -> None:
    row = re.search(rf"^\| `{re.escape(name)}` \| [^|\n]+ \|$", README, flags=re.M)
    assert row, f"README.md's command table has no one-line row for `{name}`"


def test_global_options_are_documented() -> None:
    for param in main.params:
        if isinstance(param, click.Option) and param.name != "version":
            longest = max(param.opts, key=len)
            assert longest in COMMANDS, f"{longest} is not in docs/commands.md"


@pytest.mark.parametrize(
    ("prefix", "model"),
    [
        ("", NewsmonConfig),
        ("slack.", SlackConfig),
        ("delivery.", DeliveryConfig),
        ("health.", HealthConfig),
        ("briefing.", BriefingConfig),
        ("spikes.", SpikesConfig),
        ("rendering.", RenderingConfig),
        ("sources[].", SourceConfig),
        ("rules[].", RuleConfig),
        ("rules[].examples.", RuleExamples),
    ],
)
def test_every_config_key_is_documented(prefix: str, model: type) -> None:
    table = set(re.findall(r"^\| `([^`]+)`", CONFIGURATION, flags=re.M))
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
            "rendering",
        ):
            continue
        key = prefix + field
        assert key in table or any(key in row for row in table), (
            f"config key {key} is not in docs/configuration.md"
        )


def test_the_make_targets_are_documented() -> None:
    phony = re.search(r"^\.PHONY: (.+)$", MAKEFILE, flags=re.M)
    assert phony is not None
    targets = phony.group(1).split()
    assert {"demo", "run", "test", "lint"} <= set(targets)
    for target in targets:
        assert re.search(rf"^{target}:", MAKEFILE, flags=re.M), target
        assert f"make {target}" in README, f"make {target} is not in README.md"
        assert f"| `make {target}` |" in COMMANDS, f"make {target} is not in docs/commands.md"


def test_every_newsmon_setting_is_documented() -> None:
    import crawler.settings as settings

    for name in dir(settings):
        if name.startswith("NEWSMON_"):
            assert f"`{name}`" in CONFIGURATION, f"setting {name} is not in docs/configuration.md"


def test_the_readme_is_short() -> None:
    assert len(README.encode()) < 8 * 1024, (
        "README.md is for a newcomer: the reference goes in docs/"
    )
    assert "make test" in README


def nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_pages(value)]
    raise AssertionError(f"unexpected nav entry {nav!r}")


def test_every_docs_page_is_in_the_mkdocs_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert config["docs_dir"] == "docs"
    assert config.get("strict") is True
    listed = nav_pages(config["nav"])
    assert len(listed) == len(set(listed)), "a page is listed twice in mkdocs.yml's nav"
    pages = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(listed) == pages, "mkdocs.yml's nav and the pages under docs/ differ"


def test_make_lint_builds_the_docs_strictly() -> None:
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", MAKEFILE, flags=re.M)
    assert lint is not None
    build = [line for line in lint.group(1).splitlines() if "mkdocs build" in line]
    assert build, "make lint does not build the docs"
    # --quiet would hide the warnings that --strict turns into a failure
    assert "--strict" in build[0] and "--quiet" not in build[0] and " -q" not in build[0]


def relative_links(markdown: str) -> list[str]:
    text = re.sub(r"^```.*?^```", "", markdown, flags=re.M | re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]


def test_every_relative_link_in_the_readme_resolves() -> None:
    links = relative_links(README)
    assert "docs/commands.md" in links and "docs/configuration.md" in links
    for link in links:
        path = link.split("#", 1)[0]
        assert (ROOT / path).is_file(), f"README.md links to {link}, which does not exist"
