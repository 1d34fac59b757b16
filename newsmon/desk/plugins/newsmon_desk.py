"""Loaded by Datasette from ``--plugins-dir`` under ``newsmon browse`` only."""

from newsmon.desk.plugin import (  # noqa: F401
    extra_template_vars,
    prepare_jinja2_environment,
    register_routes,
    render_cell,
)
