from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import ConfigError, load_config
from crawler.config_types import parse_duration
from tests.conftest import newsmon

GOOD = """
database: data/news.db
slack:
  token_env: MY_TOKEN
sources:
  - name: steppe-herald
    url: https://example.org/
    feeds: [https://example.org/feed/]
    interval: 15m
    delay: 1s
    concurrency: 2
rules:
  - name: azerbaijan
    query: 'Azerbaijan OR Азербайджан*'
    channel: "#caucasus"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsmon.yaml"
    path.write_text(text)
    return path


def test_good_config_is_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(write(tmp_path, GOOD))
    src = config.sources[0]
    assert src.interval == 900.0 and src.delay == 1.0 and src.concurrency == 2
    assert config.database == tmp_path / "data" / "news.db"  # relative to the config file
    monkeypatch.setenv("MY_TOKEN", "xoxb-1")
    assert config.slack is not None and config.slack.token() == "xoxb-1"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("15m", 900), ("2h", 7200), ("30s", 30), ("1.5s", 1.5), (45, 45), ("1d", 86400)],
)
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (
            ("https://example.org/feed/", "not-a-url"),
            "newsmon.yaml: sources[0].feeds[0]: not a URL",
        ),
        (("interval: 15m", "interval: soon"), "newsmon.yaml: sources[0].interval: not a duration"),
        (
            ("interval: 15m", "interval: 0s"),
            "newsmon.yaml: sources[0].interval: must be greater than zero",
        ),
        (("concurrency: 2", "concurrency: 0"), "newsmon.yaml: sources[0].concurrency:"),
        (
            ("    delay: 1s", "    delay: 1s\n    colour: red"),
            "newsmon.yaml: sources[0].colour: unknown key",
        ),
        (
            ("name: steppe-herald", "name: Steppe Herald"),
            "newsmon.yaml: sources[0].name: use lowercase",
        ),
        (
            ("'Azerbaijan OR Азербайджан*'", "'Azerbaijan OR (Baku'"),
            "newsmon.yaml: rules[0].query: rule 'azerbaijan': column",
        ),
        (
            ("'Azerbaijan OR Азербайджан*'", "'Baku OR @NOPE'"),
            "newsmon.yaml: rules[0].query: rule 'azerbaijan': column 9: unknown concept @NOPE",
        ),
        (
            ("rules:\n", "concepts:\n  AZ: [Azerbaijan*, '\"Baku']\nrules:\n"),
            "newsmon.yaml: concepts.AZ[1]: column 1: unclosed quote",
        ),
        (
            ("rules:\n", "concepts:\n  AZ: ['@AZ']\nrules:\n"),
            "newsmon.yaml: concepts.AZ[0]: concept @AZ refers to itself",
        ),
        (
            ("rules:\n", "concepts:\n  AZ: {terms: [Baku], transliterate: [az, tr]}\nrules:\n"),
            "newsmon.yaml: concepts.AZ.transliterate[1]: unknown language 'tr' (transliteration "
            "knows kk, uz, az, ky, tg)",
        ),
        (
            (
                "rules:\n",
                "concepts:\n  AZ: {terms: [Baku, '(Bakı'], transliterate: [az]}\nrules:\n",
            ),
            "newsmon.yaml: concepts.AZ.terms[1]: column 6: missing ')'",
        ),
        (
            ("rules:\n", "concepts:\n  AZ: {terms: [], transliterate: [az]}\nrules:\n"),
            "newsmon.yaml: concepts.AZ.terms: List should have at least 1 item",
        ),
        (
            ("rules:\n", "concepts:\n  AZ: {terms: [Baku], words: [Bakı]}\nrules:\n"),
            "newsmon.yaml: concepts.AZ.words: unknown key",
        ),
        (('channel: "#caucasus"', "channel: "), "newsmon.yaml: rules[0].channel:"),
        (
            ("token_env: MY_TOKEN", "token_env: 'MY TOKEN'"),
            "newsmon.yaml: slack.token_env: not an environment",
        ),
        (("database: data/news.db", "databse: data/news.db"), "newsmon.yaml: databse: unknown key"),
        (
            ("    url: https://example.org/\n", "\n"),
            "newsmon.yaml: sources[0].url: required key is missing",
        ),
        (
            ("rules:\n", "briefing: {time: '25:00'}\nrules:\n"),
            "newsmon.yaml: briefing.time: not a time of day (HH:MM",
        ),
        (
            ("rules:\n", "briefing: {timezone: Asia/Atlantis}\nrules:\n"),
            "newsmon.yaml: briefing.timezone: unknown time zone 'Asia/Atlantis'",
        ),
        (
            ("rules:\n", "spikes: {baseline_days: 1}\nrules:\n"),
            "newsmon.yaml: spikes.baseline_days:",
        ),
    ],
)
def test_bad_config_names_file_and_field(
    tmp_path: Path, mutation: tuple[str, str], message: str
) -> None:
    old, new = mutation
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    # the message names the file as given, then the field
    assert str(err.value).startswith(str(path.parent) + "/" + message), str(err.value)


def test_duplicate_source_names(tmp_path: Path) -> None:
    text = GOOD.replace("rules:", "  - name: steppe-herald\n    url: https://example.net/\nrules:")
    with pytest.raises(
        ConfigError, match=r"newsmon.yaml: sources\[1\].name: duplicate name 'steppe-herald'"
    ):
        load_config(write(tmp_path, text))


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"newsmon.yaml: line \d+, column \d+"):
        load_config(write(tmp_path, "sources: [\n  - name: x\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_cli_exits_2_on_bad_config_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("https://example.org/feed/", "feed"))
    for args in (["crawl"], ["status"], ["export", "--format", "jsonl"], ["run"]):
        result = newsmon("--config", str(path), *args)
        assert result.returncode == 2, (args, result.stderr)
        assert "newsmon.yaml: sources[0].feeds[0]: not a URL" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()


def test_unknown_source_on_command_line_exits_2(tmp_path: Path) -> None:
    result = newsmon("--config", str(write(tmp_path, GOOD)), "crawl", "nowhere")
    assert result.returncode == 2
    assert "no source named 'nowhere'" in result.stderr
