"""`newsmon browse`: the analyst's desk on the demo's database, opened in headless Chromium as a
reader opens it — the day's stories, a story across languages, the inbox, a search, the chart
drawn — and Datasette's own pages (search, facets, the anchored mentions query) beside it.
Screenshots are kept in the test's folder, or in $NEWSMON_SCREENSHOTS when it is set."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsmon.desk.span import desk_span
from storage import AlertDraft, NewArticle, open_store
from storage.sqlite.desk_queries import MENTIONS_PER_DAY
from tests.conftest import newsmon, spawn
from tests.demo_build import demo_build  # noqa: F401
from tests.headless import CHROMIUM, Chromium

SUMMIT_EN = "Tokayev Backs Azerbaijan to Join Central Asia-U.S. Summit"
SUMMIT_RU = "Токаев поддерживает присоединение Азербайджана к саммиту Центральная Азия — США"
SUMMIT_WIRE = "Kazakh Leader Welcomes Baku at Washington Summit"
SUMMIT = (SUMMIT_EN, SUMMIT_RU, SUMMIT_WIRE)  # one event: which copy came first varies
DB = "newsmon-demo"  # the demo database's file name
INTERNAL = ("_sqlite_migrations", "story_vectors", "story_bands", "channel_pace", "fetch_state")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 30) -> str:
    """The body at ``url``, waiting for the server to come up."""
    url = urllib.parse.quote(url, safe=":/?&=%+")
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return resp.read().decode()  # type: ignore[no-any-return]
        except urllib.error.HTTPError:
            raise
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def get(url: str) -> Any:
    return json.loads(fetch(url))


def text_of(html: str) -> str:
    """What a reader sees of a page: its text without tags, scripts and styles."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"</?(a|span|mark|strong|code|em)\b[^>]*>", "", html)  # inline: no gap
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class Desk:
    def __init__(self, proc: subprocess.Popen[str], port: int, config: Path) -> None:
        self.proc, self.base, self.config = proc, f"http://127.0.0.1:{port}", config


@pytest.fixture(scope="module")
def desk(demo_build: tuple[Path, str]) -> Iterator[Desk]:  # noqa: F811
    config = demo_build[0] / ".newsmon-demo" / "newsmon.yaml"
    port = free_port()
    proc = spawn("--config", str(config), "browse", "--port", str(port))
    desk = Desk(proc, port, config)
    try:
        fetch(f"{desk.base}/-/search")  # up
        yield desk
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert proc.returncode == 0


def shots_dir(tmp_path: Path) -> Path:
    wanted = os.environ.get("NEWSMON_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# the front page is ready when datasette-vega has drawn the chart (its marks, a canvas or SVG)
CHART_DRAWN = "!!document.querySelector('.vega-embed .marks')"


def open_in_chromium(pages: dict[str, str], folder: Path) -> dict[str, str]:
    """Each page opened in one headless Chromium (no network but loopback): its DOM after the
    scripts ran, and a screenshot ``<name>.png`` in ``folder``."""
    doms = {}
    with Chromium(folder / ".profile") as browser:
        for name, url in pages.items():
            dom, png = browser.open(url, ready=CHART_DRAWN if name == "front" else "true")
            (folder / f"{name}.png").write_bytes(png)
            doms[name] = dom
    shutil.rmtree(folder / ".profile", ignore_errors=True)
    return doms


def test_the_desk_as_a_reader_sees_it_in_chromium(desk: Desk, tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install -y chromium)")
    folder = shots_dir(tmp_path)
    started = time.monotonic()
    dom = open_in_chromium(
        {
            "front": f"{desk.base}/",
            "story": f"{desk.base}/-/story/{story_of(desk, SUMMIT_EN)}",
            "inbox": f"{desk.base}/-/inbox",
            "search": f"{desk.base}/-/search?q=Tokayev+OR+Токаев",
        },
        folder,
    )
    took = time.monotonic() - started
    for name in dom:
        assert (folder / f"{name}.png").stat().st_size > 10_000, name
    front = text_of(dom["front"])
    # the sample articles are from October 2025: the desk shows their newest day, and says so
    assert "Stories of 2025-10-28" in front
    assert "The newest matched article is from 2025-10-28, older than today" in front
    for rule in ("azerbaijan", "c5-plus-one", "trans-caspian"):
        assert rule in front
    assert any(title in front for title in SUMMIT), front
    assert "3 outlets: English, Russian" in front, front  # the story's outlets and languages
    assert "<mark>Азербайджана</mark>" in dom["front"] or "<mark>Azerbaijan</mark>" in dom["front"]
    # the chart drawn by datasette-vega from the anchored mentions query
    marks = re.search(r'<(canvas|svg)[^>]*class="marks"[^>]*>', dom["front"])
    assert marks and 'width="0"' not in marks[0], dom["front"][-3000:]
    assert not any(name in front for name in INTERNAL)
    story = text_of(dom["story"])
    assert "3 copies in 3 outlets, in English, Russian" in story
    for outlet in ("steppe-herald", "stepnoy-vestnik", "caspian-wire"):
        assert outlet in story
    assert all(title in story for title in SUMMIT), story
    inbox = text_of(dom["inbox"])
    assert "sent (9)" in inbox and "#caucasus" in inbox and "#central-asia" in inbox
    assert "sent 20" in inbox  # when each was sent
    search = text_of(dom["search"])
    assert "3 articles" in search and "Russian 1" in search and "English 2" in search
    assert "<mark>Tokayev</mark>" in dom["search"] and "<mark>Токаев</mark>" in dom["search"]
    print(f"chromium: 4 pages in {took:.1f}s; screenshots in {folder}")


def story_of(desk: Desk, title: str) -> int:
    rows = get(f"{desk.base}/{DB}/articles.json?title={title}&_shape=objects")["rows"]
    return int(rows[0]["story_id"])


def test_views_outlets_articles_and_searches(desk: Desk) -> None:
    base, db = desk.base, DB
    outlet = text_of(fetch(f"{base}/-/outlet/steppe-herald"))
    assert "Recent articles" in outlet and SUMMIT_EN in outlet and "finished" in outlet
    assert "What its template removes" in outlet
    assert "The text is read from main#main › article#post-0 › div.entry-content" in outlet
    article_id = get(f"{base}/{db}/articles.json?title={SUMMIT_EN}&_shape=objects")["rows"][0]["id"]
    page = text_of(fetch(f"{base}/-/article/{article_id}"))
    full = get(f"{base}/{db}/articles/{article_id}.json?_shape=objects")["rows"][0]["text"]
    assert " ".join(full.split()) in page  # the whole text on the article's own page
    assert "#caucasus (sent)" in page
    # the articles table: readable rows, the text shortened with a link to the whole of it
    listing = fetch(f"{base}/{db}/articles")
    assert f'/-/article/{article_id}">read it all</a>' in listing
    # narrowing a search: rule and language facets
    narrowed = text_of(fetch(f"{base}/-/search?q=summit&rule=c5-plus-one&language=en"))
    assert "2 articles" in narrowed and "language: en" in narrowed
    broken = text_of(fetch(f'{base}/-/search?q="unbalanced'))
    assert "The search could not be read" in broken
    # Datasette's own search and facets, and the internal tables hidden yet reachable
    found = get(f"{base}/{db}/articles.json?_search=Azerbaijan&_shape=objects")["rows"]
    assert SUMMIT_EN in {r["title"] for r in found}
    facets = get(f"{base}/{db}/articles.json")["facet_results"]["source"]["results"]
    assert {f["value"] for f in facets} == {"steppe-herald", "caspian-wire", "stepnoy-vestnik"}
    tables = {t["name"]: t["hidden"] for t in get(f"{base}/{db}.json")["tables"]}
    assert tables["articles"] is False and tables["story_vectors"] is True
    assert "rows" in get(f"{base}/{db}/story_vectors.json")
    # "the last 14 days" on the demo's database: the 14 days up to its newest matched article
    per_day = get(f"{base}/{db}/mentions_per_day.json?days=14&_shape=objects")["rows"]
    assert {"subject": "azerbaijan", "day": "2025-10-28", "articles": 3} in per_day
    assert min(r["day"] for r in per_day) == "2025-10-15"


def test_a_taken_port_is_one_line_and_exit_1(desk: Desk) -> None:
    port = int(desk.base.rsplit(":", 1)[1])  # the desk's own
    result = newsmon("--config", str(desk.config), "browse", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"newsmon: port {port} on 127.0.0.1 is already in use: choose another with --port N"
    ]


def test_postgres_is_browsed_through_a_snapshot(pg_url: str, tmp_path: Path) -> None:
    store = open_store(pg_url)
    for n, (title, channel) in enumerate(
        [("Baku and Aktau Double Ferry Capacity", "#caucasus"), ("Ferry Tariffs Cut", "#gone")]
    ):
        store.save_article(
            NewArticle(
                url=f"https://outlet.test/ferry-{n}",
                source="caspian-wire",
                title=title,
                text=f"Azerbaijan and Kazakhstan agreed on the ferry, part {n}.",
                fingerprint=f"fp-ferry-{n}",
                published="2025-10-27T09:00:00+04:00",
                language="en",
            ),
            alerts=[AlertDraft(channel, ("azerbaijan",))],
            mentions=("azerbaijan",),
        )
    failed = next(a for a in store.due_alerts(time.time()) if a.channel == "#gone")
    store.mark_dead(failed.id, "channel_not_found")
    store.close()
    config = tmp_path / "newsmon.yaml"
    config.write_text(yaml.safe_dump({"database": pg_url, "sources": [], "rules": []}))
    port, snapshot = free_port(), tmp_path / "desk.db"
    proc = spawn(
        "--config", str(config), "browse", "--port", str(port), "--snapshot", str(snapshot)
    )
    try:
        base = f"http://127.0.0.1:{port}"
        page = text_of(fetch(f"{base}/-/search?q=ferry NOT tariffs"))
        assert "Baku and Aktau Double Ferry Capacity" in page and "1 article" in page
        front = text_of(fetch(f"{base}/"))
        assert "The newest matched article is from 2025-10-27" in front
        inbox = text_of(fetch(f"{base}/-/inbox"))
        assert "pending" in inbox and "failed channel_not_found" in inbox
        failed_only = text_of(fetch(f"{base}/-/inbox?status=failed"))
        assert "Ferry Tariffs Cut" in failed_only and "Double Ferry" not in failed_only
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "the desk shows a snapshot" in err and "Copied 2 article(s) and 2 alert(s)" in err
    assert snapshot.exists()


def test_spans_end_today_unless_the_newest_match_is_older() -> None:
    today = "2026-12-07"
    current = desk_span(14, today, newest=today)
    assert (current.since, current.until, current.note) == ("2026-11-24", today, "")
    old = desk_span(14, today, newest="2025-10-28")
    assert (old.since, old.until) == ("2025-10-15", "2025-10-28") and old.anchored
    assert "these are the 14 days up to it" in old.note
    # nothing matched yet today: the desk shows the newest day that has matches, and says so
    morning = desk_span(1, today, newest="2026-12-06")
    assert morning.until == "2026-12-06" and "this is that day" in morning.note
    assert desk_span(1, today, newest=None).note == "Nothing has matched a rule yet."


def test_the_mentions_query_counts_back_from_today_on_a_current_database(tmp_path: Path) -> None:
    store = open_store(tmp_path / "news.db")
    store.save_article(
        NewArticle(
            url="https://outlet.test/today",
            source="caspian-wire",
            title="Today in Baku",
            text="Azerbaijan today.",
            fingerprint="fp-today",
            published=datetime.now(UTC).isoformat(),
            language="en",
        ),
        alerts=[],
        mentions=("azerbaijan",),
    )
    store.close()
    with sqlite3.connect(tmp_path / "news.db") as db:
        rows = db.execute(MENTIONS_PER_DAY, {"days": "14"}).fetchall()
    today = datetime.now(UTC).date()
    assert [r[1] for r in rows][0] == (today - timedelta(days=13)).isoformat()
    assert rows[-1] == ("azerbaijan", today.isoformat(), 1)
