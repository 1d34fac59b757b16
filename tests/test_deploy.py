"""The deploy files agree with the code: paths they copy exist, the command they run exists,
and nothing in them carries a secret."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from newsmon.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text()
UNIT = (ROOT / "deploy" / "newsmon.service").read_text()


def test_dockerfile_copies_what_exists_and_runs_the_daemon() -> None:
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY "):
            for src in line.split()[1:-1]:
                assert (ROOT / src).exists(), f"Dockerfile copies missing {src}"
    assert 'CMD ["newsmon", "run"]' in DOCKERFILE
    assert "STOPSIGNAL SIGTERM" in DOCKERFILE


def test_systemd_unit_runs_the_daemon_with_time_to_stop() -> None:
    assert re.search(r"^ExecStart=\S+/newsmon run$", UNIT, flags=re.M)
    stop = int(re.search(r"^TimeoutStopSec=(\d+)", UNIT, flags=re.M).group(1))  # type: ignore[union-attr]
    assert stop > 30  # newsmon stops within 30 s; systemd must not kill it earlier
    assert "EnvironmentFile=" in UNIT


def test_no_secret_in_deploy_files() -> None:
    for text in (DOCKERFILE, UNIT):
        assert not re.search(r"xox[abpr]-[0-9A-Za-z-]{10,}", text)
        assert "hooks.slack.com/services/T" not in text


def test_run_help_names_the_stop_behaviour() -> None:
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0 and "SIGTERM" in result.output
