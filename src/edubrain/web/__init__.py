"""The zh-CN web app: Jinja2 pages with HTMX and ECharts, served by the API's app.

``mount_web(app)`` adds the pages and the static files to a FastAPI app;
``edubrain.api.app.create_app`` calls it. The pages find the installation in
``app.state.home`` (one from the environment when it is not set). The
front-end packages (ECharts, HTMX, the Beijing GeoJSON, Swagger UI for the
API's ``/docs``) come from npm:
``make install`` runs ``npm ci`` and copies them into ``static/vendor``
(ignored by git); nothing is fetched at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
VENDOR_FILES = ("echarts.min.js", "htmx.min.js", "beijing.geojson", "swagger-ui-bundle.js", "swagger-ui.css")
"""Files ``make install`` copies from node_modules into :data:`VENDOR`."""


def missing_vendor_files() -> list[str]:
    """The front-end files not installed yet (run ``make install``)."""
    return [name for name in VENDOR_FILES if not (VENDOR / name).is_file()]


def mount_web(app: Any) -> None:
    """Add the web app's pages (``include_in_schema=False``) and its static files to the FastAPI ``app``.

    Every page route checks the form token of a browser's state-changing request, and a middleware refuses
    cross-site ones (see :mod:`edubrain.web.csrf`).
    """
    from fastapi import Depends
    from fastapi.staticfiles import StaticFiles

    from edubrain.api.errors import HTML_ERROR_PAGE
    from edubrain.web import (
        downloads,
        indicator_defs,
        pages_at_risk,
        pages_audit,
        pages_catalog,
        pages_cockpit,
        pages_credit_bank,
        pages_data,
        pages_facilities,
        pages_fitness,
        pages_forecast,
        pages_identity,
        pages_learning,
        pages_monitoring,
        pages_monitoring_report,
        pages_my_fitness,
        pages_profiles,
        pages_public_service,
        pages_safety,
        pages_smart_campus,
        pages_submit,
        pages_supervision,
        pages_teaching,
        pages_training,
        pages_verify,
    )
    from edubrain.web.csrf import CrossSiteRequestGuard, CsrfRefused, csrf_refused, require_csrf_token
    from edubrain.web.render import html_error

    pages = (
        pages_cockpit,
        pages_catalog,
        pages_submit,
        pages_data,
        pages_my_fitness,
        pages_fitness,
        pages_forecast,
        pages_facilities,
        pages_training,
        pages_at_risk,
        pages_teaching,
        pages_smart_campus,
        pages_supervision,
        pages_safety,
        pages_monitoring,
        pages_monitoring_report,
        pages_profiles,
        pages_public_service,
        pages_learning,
        pages_credit_bank,
        pages_identity,
        pages_audit,
        pages_verify,
        downloads,
        indicator_defs,
    )
    for module in pages:
        app.include_router(module.router, dependencies=[Depends(require_csrf_token)])
    app.add_exception_handler(CsrfRefused, csrf_refused)
    setattr(app.state, HTML_ERROR_PAGE, html_error)  # browsers get errors as pages (see edubrain.api.errors)
    app.add_middleware(CrossSiteRequestGuard)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="web-static")
