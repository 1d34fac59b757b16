"""``newsmon demo`` as a new user meets it: it delivers, and every command it suggests afterwards
("Try: …") runs and gives a non-empty answer on the demo's database."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import newsmon
from tests.demo_build import DEMO_ENV, demo_build  # noqa: F401

# the sample outlets' three reports of one event (a Russian one, two English ones)
SUMMIT = (
    "tokaev-azerbaijan-sammit",
    "tokayev-backs-azerbaijan",
    "kazakh-leader-welcomes-baku",
)


@pytest.fixture(scope="module")
def demo(demo_build: tuple[Path, str]) -> tuple[Path, str]:  # noqa: F811
    return demo_build


def hints(output: str) -> list[list[str]]:
    """The commands the demo suggests, from ``--config`` on (how newsmon itself is started
    depends on the shell, not on the demo)."""
    lines = output[output.index("Try: ") :].splitlines()
    found = [
        shlex.split(line)[1:] if line.startswith("Try: ") else shlex.split(line) for line in lines
    ]
    return [words[words.index("--config") :] for words in found if "--config" in words]


def test_the_demo_delivers_one_thread_per_story(demo: tuple[Path, str]) -> None:
    _workdir, out = demo
    sent = int(re.search(r"Slack received (\d+) message", out)[1])  # type: ignore[index]
    assert sent >= 5
    # the summit in Russian and its two English copies: one thread, whichever came first
    threads = out.split("\n• ")[1:]
    summit = [t for t in threads if all(c in t for c in SUMMIT) and t.startswith("#caucasus")]
    assert len(summit) == 1 and summit[0].count("↳ reply in thread: ") == 2, out
    assert re.search(r"updated: (Russian, English|English, Russian)\)", summit[0]), out
    assert "Sample daily briefing" in out


def test_the_demo_suggests_export_search_by_story_and_report(demo: tuple[Path, str]) -> None:
    suggested = {" ".join(h[2:4]) for h in hints(demo[1])}
    assert {
        "export --format",
        "search Azerbaijan",
        "search --by-story",
        "report --since",
    } <= suggested


def test_every_suggested_command_gives_an_answer(demo: tuple[Path, str]) -> None:
    workdir, out = demo
    for hint in hints(out):
        result = newsmon(*hint, cwd=workdir, env=DEMO_ENV)
        assert result.returncode == 0, (hint, result.stdout, result.stderr)
        command = hint[2]
        if command == "export":
            rows = [json.loads(line) for line in result.stdout.splitlines()]
            assert len(rows) >= 9 and all(r["text"] and r["url"] for r in rows), hint
        elif command == "search" and "--by-story" in hint:
            stories = re.split(r"\n(?=\S)", result.stdout)  # a story's lines are indented
            summit = [s for s in stories if all(copy in s for copy in SUMMIT)]
            assert len(summit) == 1 and " ru: " in summit[0] and " en: " in summit[0], stories
        elif command == "search":
            assert "No matching articles." not in result.stdout, hint
            assert "[Azerbaijan]" in result.stdout, result.stdout
        elif command == "report":
            written = workdir / hint[hint.index("-o") + 1]
            page = written.read_text()
            matched = int(re.search(r"(\d+) matched articles", page)[1])  # type: ignore[index]
            assert matched > 0 and "No stories." not in page, result.stdout
            # the sample articles are from 2025: the span ends on the newest, and says so
            assert "the span ends there" in result.stdout and "the span ends there" in page
        else:
            pytest.fail(f"a hint no test checks: {hint}")
