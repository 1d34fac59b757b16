"""The analyst's desk: what ``newsmon browse`` adds to Datasette — a front page of the day's
stories per rule, a story across languages and outlets, the alert inbox, each outlet's page,
faceted search and readable articles. Its templates are in ``templates/``; its Datasette plugin
(loaded with ``--plugins-dir``, so it is active only under ``newsmon browse``) in ``plugins/``."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
PLUGINS = HERE / "plugins"
PLUGIN_NAME = "newsmon-desk"
