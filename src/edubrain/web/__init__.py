"""The zh-CN web app: Jinja2 pages with HTMX and ECharts, served by the API's app.

``mount_web(app)`` adds the pages and the static files to a FastAPI app;
``edubrain.api.app.create_app`` calls it.
"""

from __future__ import annotations

from typing import Any


def mount_web(app: Any) -> None:
    """Add the web app's routes and static files to ``app`` (filled in by the web app's module)."""
