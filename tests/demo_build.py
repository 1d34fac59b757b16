"""`newsmon demo` run once per test session, shared by the test modules that read its folder
(and by xdist's workers: the first to get the lock builds it, the others wait and reuse it).
Import the ``demo_build`` fixture into a test module to use it."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest

from tests.conftest import cli_env, newsmon

# as a user runs it: story vectors on (the copies in other languages join their story)
DEMO_ENV = cli_env(NEWSMON_STORY_VECTORS="1")


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The folder the demo ran in (its `.newsmon-demo` inside) and what it printed."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base  # shared by the workers
    workdir, printed = root / "demo-build", root / "demo-build.out"
    with (root / "demo-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not printed.exists():
            workdir.mkdir(exist_ok=True)
            result = newsmon(
                "demo", "--dir", str(workdir / ".newsmon-demo"), cwd=workdir, env=DEMO_ENV
            )
            assert result.returncode == 0, result.stdout + result.stderr
            printed.write_text(result.stdout)
    return workdir, printed.read_text()
