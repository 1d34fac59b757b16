"""`newsmon rules test`: examples, a TEXT, and --backtest over a real crawled archive."""

from __future__ import annotations

from pathlib import Path

from newsmon.demo.outlets import OutletServer
from tests.conftest import RULES, newsmon, write_config


def test_backtest_a_rule_and_a_draft_query(tmp_path: Path, outlet: OutletServer) -> None:
    config = write_config(tmp_path, outlet, None)
    assert newsmon("--config", str(config), "crawl", "--no-deliver").returncode == 0

    named = newsmon("--config", str(config), "rules", "test", "--backtest", "azerbaijan")
    assert named.returncode == 0, named.stderr
    first = named.stdout.splitlines()[0]
    assert first.startswith(f"rule azerbaijan ({RULES[0]['query']}): ")
    assert "of 7 stored article(s) would have matched" in first
    assert "Tokayev Backs Azerbaijan" in named.stdout  # a sample title
    assert "*Azerbaijan*" in named.stdout  # the snippet with the matched word in bold

    draft = newsmon(
        "--config", str(config), "rules", "test", "--backtest", "title:Баку NEAR/3 Актау lang:ru"
    )
    assert draft.returncode == 0, draft.stderr
    assert draft.stdout.startswith("draft query title:Баку NEAR/3 Актау lang:ru: 1 of 7")
    assert "caspian-wire 1" in draft.stdout

    broken = newsmon("--config", str(config), "rules", "test", "--backtest", '"unclosed')
    assert broken.returncode == 2
    assert "column 1: unclosed quote" in broken.stderr


def test_failing_example_exits_1(tmp_path: Path, outlet: OutletServer) -> None:
    rules = [
        {
            "name": "c5",
            "query": '"C5+1"',
            "channel": "#c",
            "examples": {"match": ["C5 + 1", "Headline C5+1\n\nbody"], "no_match": ["C5 group"]},
        },
        {
            "name": "title-only",
            "query": "title:Baku",
            "channel": "#c",
            "examples": {"match": ["Baku\n\nbody"], "no_match": ["Headline\n\nBaku in the body"]},
        },
        {"name": "wrong", "query": "Baku", "channel": "#c", "examples": {"match": ["Astana"]}},
    ]
    config = write_config(tmp_path, outlet, None, rules=rules)
    result = newsmon("--config", str(config), "rules", "test")
    assert result.returncode == 1
    assert "ok   c5 (3 example(s))" in result.stdout
    assert "ok   title-only (2 example(s))" in result.stdout
    assert "FAIL wrong" in result.stdout and "should match:     'Astana'" in result.stdout


def test_rules_test_shows_the_spellings_a_concept_also_matches(
    tmp_path: Path, outlet: OutletServer
) -> None:
    rules = [
        {
            "name": "uz-az",
            "query": "@OZARBAYJON",
            "channel": "#c",
            "examples": {
                # Kun.uz (Latin) and Xalq so'zi (Cyrillic) on the same visit
                "match": ["Mirziyoyev Ozarbayjonga tashrif", "Мирзиёев Озарбайжонга ташриф"],
                "no_match": ["Мирзиёев Қозоғистонга ташриф"],
            },
        }
    ]
    concepts = {
        "OZARBAYJON": {"terms": ["Ozarbayjon*", "Azərbaycan*"], "transliterate": ["uz", "az"]}
    }
    config = write_config(tmp_path, outlet, None, rules=rules, concepts=concepts)
    result = newsmon("--config", str(config), "rules", "test")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "@OZARBAYJON also matches (uz, az):"
    assert lines[1].startswith("     Ozarbayjon* → озарбаижон*, ")
    assert "азарбајҹан*" in lines[2]  # Azərbaycan* in Azerbaijani Cyrillic (Азәрбајҹан)
    assert "ok   uz-az (3 example(s))" in result.stdout

    text = newsmon("--config", str(config), "rules", "test", "Азәрбајҹан Республикасы")
    assert text.stdout.strip() == "uz-az → #c: 'Азәрбајҹан'"

    concepts["OZARBAYJON"]["transliterate"] = ["uz", "tk"]
    config = write_config(tmp_path, outlet, None, rules=rules, concepts=concepts)
    broken = newsmon("--config", str(config), "rules", "test")
    assert broken.returncode == 2
    assert broken.stderr.strip() == (
        f"newsmon: {config}: concepts.OZARBAYJON.transliterate[1]: unknown language 'tk' "
        "(transliteration knows kk, uz, az, ky, tg)"
    )
