"""The FastAPI app factory: one :class:`~edubrain.home.Home` per app, nothing opened until used.

Run it with ``edubrain serve`` or ``uvicorn --factory edubrain.api.app:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from edubrain import __version__
from edubrain.api import docs
from edubrain.api.errors import install_error_handlers
from edubrain.api.hardening import SecurityHeadersMiddleware
from edubrain.api.metrics import MetricsMiddleware, RequestMetrics
from edubrain.api.routers import at_risk as at_risk_router
from edubrain.api.routers import auth, catalog, datasets, exchange, health, submissions, transfers
from edubrain.api.routers import credentials as credentials_router
from edubrain.api.routers import credit_bank as credit_bank_router
from edubrain.api.routers import facilities as facilities_router
from edubrain.api.routers import identity as identity_router
from edubrain.api.routers import iot as iot_router
from edubrain.api.routers import learning as learning_router
from edubrain.api.routers import monitoring as monitoring_router
from edubrain.api.routers import profiles as profiles_router
from edubrain.api.routers import public_service as public_service_router
from edubrain.api.routers import safety as safety_router
from edubrain.api.routers import smart_campus as smart_campus_router
from edubrain.api.routers import supervision as supervision_router
from edubrain.api.routers import teaching as teaching_router
from edubrain.api.routers import training as training_router
from edubrain.api.routers import xapi as xapi_router
from edubrain.api.routers import xapi_documents as xapi_documents_router
from edubrain.api.serverlog import install_log_filters
from edubrain.home import Home

API_PREFIX = "/api/v1"
DESCRIPTION = """教育数据大脑 REST API：数据目录、数据报送与校验、按范围脱敏的数据读取与导出、节点间数据交换。

EduBrain REST API: the catalog, submissions with validation reports, scoped and masked reads and exports,
and the exchange between nodes. Every error has one shape: `{"error": {"code", "message_zh", "message_en", "details"}}`.
See docs/api.md."""


def create_app(home: Home | None = None) -> FastAPI:
    """The EduBrain app for ``home`` (default: settings from the environment).

    Example:
        >>> app = create_app(Home())  # doctest: +SKIP
        >>> uvicorn.run(app)  # doctest: +SKIP
    """
    home = home or Home()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_log_filters()  # also when run by ``uvicorn --factory`` rather than ``edubrain serve``
        yield
        if "engine" in vars(home):  # only if it was ever opened
            home.engine.dispose()

    app = FastAPI(
        title="EduBrain 教育数据大脑 API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by api/docs.py from the app's own files
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.home = home
    app.state.metrics = RequestMetrics()
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    install_error_handlers(app)
    for area in (
        auth,
        catalog,
        submissions,
        transfers,
        datasets,
        exchange,
        identity_router,
        profiles_router,
        training_router,
        at_risk_router,
        teaching_router,
        monitoring_router,
        iot_router,
        facilities_router,
        smart_campus_router,
        public_service_router,
        supervision_router,
        safety_router,
        learning_router,
        credentials_router,
        credit_bank_router,
    ):
        app.include_router(area.router, prefix=API_PREFIX)
    settings = home.settings
    if settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_file:
        app.include_router(auth.oidc_router, prefix=API_PREFIX)
    app.include_router(xapi_router.router)  # /xAPI: the Learning Record Store, at the path xAPI clients expect
    app.include_router(xapi_documents_router.router)  # /xAPI State, Activity Profile, Agent Profile
    app.include_router(credit_bank_router.status_router)  # /credentials/status/{id}: public, no login
    app.include_router(health.router)
    app.include_router(docs.router)
    from edubrain.web import mount_web

    mount_web(app)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.env == "production")  # outermost: every response
    return app
