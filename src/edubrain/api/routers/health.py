"""``/healthz`` (database and lake reachable) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

import os
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text

from edubrain.api.deps import HomeDep
from edubrain.api.errors import ApiError, error_responses
from edubrain.home import Home

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Every check passed."""

    status: Literal["ok"]
    checks: dict[str, str]


def _check_database(home: Home) -> str:
    try:
        with home.engine.connect() as conn:
            conn.execute(text("select 1"))
        home.ensure_initialised()
    except Exception as exc:  # any failure is the answer of a health check
        return f"error: {type(exc).__name__}: {exc}"[:300]
    return "ok"


def _check_lake(home: Home) -> str:
    root = home.lake.root
    if not root.is_dir():
        return f"error: lake folder {root} is missing"
    if not os.access(root, os.R_OK | os.W_OK | os.X_OK):
        return f"error: lake folder {root} is not readable and writable"
    return "ok"


@router.get("/healthz", response_model=Health, responses=error_responses(503))
def healthz(home: HomeDep) -> Health:
    """健康检查：数据库可连接且已迁移，湖目录可读写 / the database answers and is migrated; the lake is usable."""
    checks = {"database": _check_database(home), "lake": _check_lake(home)}
    if any(v != "ok" for v in checks.values()):
        raise ApiError(503, "unhealthy", "服务不健康", "Service unhealthy", checks=checks)
    return Health(status="ok", checks=checks)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text"}},
)
def metrics(request: Request) -> Response:
    """Prometheus 指标：按路由统计请求数与时延 / request counts and latency histograms by route."""
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
