"""The ``render`` and ``rendering`` settings: validated, and turned into Scrapy settings and
request meta only where a source renders (no browser needed here)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crawler.config import load_config
from crawler.rendering import HANDLER, looks_like_js_shell, render_settings, renders
from spiders.loader import spider_settings
from tests.conftest import newsmon


def config(tmp_path: Path, *sources: dict[str, object], **extra: object) -> Path:
    path = tmp_path / "newsmon.yaml"
    listed = [
        {"name": f"s{i}", "url": f"https://s{i}.example/", **s} for i, s in enumerate(sources)
    ]
    path.write_text(yaml.safe_dump({"sources": listed, **extra}))
    return path


def test_render_values_and_what_they_render(tmp_path: Path) -> None:
    loaded = load_config(
        config(tmp_path, {}, {"render": True}, {"render": "listings"}, rendering={"max_pages": 2})
    )
    plain, articles, listings = loaded.sources
    assert [renders(plain, k) for k in ("home", "listing", "article")] == [False] * 3
    assert [renders(articles, k) for k in ("home", "listing", "article")] == [False, False, True]
    assert [renders(listings, k) for k in ("feed", "listing", "article")] == [False, True, True]
    settings = render_settings(loaded)
    assert settings["DOWNLOAD_HANDLERS"] == {"http": HANDLER, "https": HANDLER}
    assert settings["PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"] == 2
    assert settings["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"] == "/usr/bin/chromium"
    # `scrapy crawl <source>`: only a rendering source's spider installs the browser
    assert "DOWNLOAD_HANDLERS" not in spider_settings(loaded, plain)
    assert spider_settings(loaded, articles)["DOWNLOAD_HANDLERS"]["https"] == HANDLER
    assert render_settings(load_config(config(tmp_path, {}, {"render": False}))) == {}


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        (
            {"sources": [{"name": "a", "url": "https://a.example/", "render": "sometimes"}]},
            "sources[0].render",
        ),
        ({"rendering": {"max_pages": 0}}, "rendering.max_pages"),
        ({"rendering": {"memory": 10}}, "rendering.memory"),
        ({"rendering": {"browser": "x"}}, "rendering.browser: unknown key"),
    ],
)
def test_bad_render_settings_exit_2_naming_the_field(
    tmp_path: Path, extra: dict[str, object], where: str
) -> None:
    path = tmp_path / "newsmon.yaml"
    path.write_text(yaml.safe_dump(extra))
    result = newsmon("--config", str(path), "check")
    assert result.returncode == 2
    assert "newsmon.yaml: " + where in result.stderr


def test_js_shells_are_told_from_short_pages() -> None:
    assert looks_like_js_shell('<html><body><div id="root"></div><script src="/a.js"></script>')
    assert looks_like_js_shell("<body><noscript>Please enable JavaScript to continue.</noscript>")
    assert not looks_like_js_shell("<html><body><p>Page not found.</p></body></html>")  # no script
    long_text = "<p>" + "Words of a real page. " * 30 + "</p>"
    assert not looks_like_js_shell(f"<html><body>{long_text}<script>x()</script></body></html>")
