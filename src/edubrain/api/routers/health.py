"""``/healthz`` (database and lake reachable) and ``/metrics`` (Prometheus, for the scraper or an administrator).

``/metrics`` names every route and how often it fails: it answers
``Authorization: Bearer <EDUBRAIN_METRICS_TOKEN>`` (the scraper), or the
access token of a ``city_admin`` or an ``auditor``; anyone else gets 401 or 403.
"""

from __future__ import annotations

import hmac
import os
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Security
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text

from edubrain.api.deps import HomeDep, bearer_scheme, principal_of_token
from edubrain.api.errors import ApiError, error_responses
from edubrain.governance.identity import AuthError
from edubrain.home import Home

router = APIRouter(tags=["health"])
METRICS_ROLES = frozenset({"city_admin", "auditor"})
"""Roles whose access token may read ``/metrics`` (besides the scraper's ``EDUBRAIN_METRICS_TOKEN``)."""


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


def metrics_reader(
    home: HomeDep, bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)]
) -> None:
    """Let the scraper (``EDUBRAIN_METRICS_TOKEN``), a city_admin or an auditor through; refuse anyone else.

    Raises:
        AuthError: no bearer token, or one that is neither the metrics token nor a valid access token (401).
        ApiError: a valid access token of another role, or a node's API key (403).
    """
    if bearer is None:
        raise AuthError("读取指标需要认证：请提供 Bearer 令牌", "Reading metrics needs 'Authorization: Bearer <token>'")
    expected = home.settings.metrics_token
    if expected is not None and hmac.compare_digest(bearer.credentials.encode(), expected.get_secret_value().encode()):
        return
    principal = principal_of_token(home, bearer.credentials)
    if principal.kind != "user" or not any(g.role in METRICS_ROLES for g in principal.grants):
        raise ApiError(
            403,
            "access_denied",
            "只有指标采集令牌、市级管理员或审计员可读取指标",
            "Only the metrics token, a city_admin or an auditor may read the metrics",
        )


@router.get(
    "/metrics",
    response_class=Response,
    dependencies=[Depends(metrics_reader)],
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text"},
        **error_responses(401, 403),
    },
)
def metrics(request: Request) -> Response:
    """Prometheus 指标：按路由统计请求数与时延（需指标令牌或市级管理员、审计员） / request counts and latency.

    Needs ``Authorization: Bearer <EDUBRAIN_METRICS_TOKEN>`` or a city_admin's or auditor's access token.
    """
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
