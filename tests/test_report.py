"""``newsmon report``: a self-contained HTML page, opened in headless Chromium with no network
and screenshotted — the embedded chart must show."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from newsmon.demo.outlets import OutletServer
from storage import AlertDraft, NewArticle, open_store
from tests.conftest import newsmon, write_config

RULES = [
    {"name": "trans-caspian", "query": '"Trans-Caspian"', "channel": "#caucasus"},
    {"name": "c5-plus-one", "query": '"C5+1"', "channel": "#central-asia"},
]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# matplotlib's first two line colours (C0 blue, C1 orange), as 0-1 RGB
C0, C1 = (0.122, 0.467, 0.706), (1.0, 0.498, 0.055)


def fill(db: Path) -> None:
    """Fourteen days of mentions: a rising corridor, a steady summit."""
    store = open_store(db)
    now = datetime.now(UTC)
    n = 0
    for back in range(14):
        day = (now - timedelta(days=back)).replace(hour=6, minute=0, second=0, microsecond=0)
        for rule, count in (("trans-caspian", 14 - back), ("c5-plus-one", 3)):
            for _ in range(count):
                n += 1
                store.save_article(
                    NewArticle(
                        url=f"https://outlet.test/{n}",
                        source=("herald", "wire", "times")[n % 3],
                        title=f"{rule} story {n}",
                        text=f"text {n}",
                        fingerprint=f"fp{n}",
                        published=day.isoformat(),
                        language=("en", "ru")[n % 2],
                    ),
                    alerts=[AlertDraft("#x", (rule,))],
                    mentions=(rule,),
                )
    store.close()


def test_report_is_self_contained_and_its_chart_shows_in_chromium(
    tmp_path: Path, outlet: OutletServer
) -> None:
    config = write_config(tmp_path, outlet, rules=RULES)
    fill(tmp_path / "newsmon.db")
    out = tmp_path / "report.html"
    result = newsmon("--config", str(config), "report", "--since", "14d", "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    assert 'src="data:image/png;base64,' in page
    for fetched in ('src="http', "<link", "<script", "@import", "url("):
        assert fetched not in page  # nothing to fetch: it opens offline
    assert "Articles per source" in page and "Articles per language" in page
    assert "<td>herald</td>" in page and "<td>ru</td>" in page
    assert "trans-caspian story 1</a>" in page or "trans-caspian story" in page

    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install -y chromium)")
    shot = tmp_path / "shot.png"
    started = time.monotonic()
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--proxy-server=http://127.0.0.1:9",  # any network fetch would fail
            "--window-size=1000,900",
            f"--screenshot={shot}",
            out.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=90,
    )
    assert shot.exists(), f"no screenshot after {time.monotonic() - started:.1f}s"
    pixels = matplotlib.image.imread(shot)[:, :, :3]

    def near(colour: tuple[float, float, float]) -> int:
        return int((np.abs(pixels - np.array(colour)).max(axis=2) < 0.08).sum())

    assert near(C0) > 300 and near(C1) > 300, (near(C0), near(C1))  # both rules' lines drawn
