"""Prometheus metrics of the app: request counts and latency by route template.

Each app has its own registry (no global state, so tests can build many
apps). Routes are labelled by their template (``/api/v1/datasets/{dataset_id}/rows``),
never by the raw path, so the number of series stays bounded.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED = "unmatched"


class RequestMetrics:
    """The counters and histograms of one app."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "edubrain_http_requests_total",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "edubrain_http_request_duration_seconds",
            "HTTP request latency in seconds by method and route template",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )


class MetricsMiddleware:
    """ASGI middleware that records every HTTP request in :class:`RequestMetrics`."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the request and count it under its route template."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = _route_template(scope)
            method = str(scope.get("method", ""))
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - start)


def _route_template(scope: Scope) -> str:
    """The full template of the matched route (``/api/v1/catalog/{dataset_id}``), or ``unmatched``.

    The route in the scope may carry only its path inside an included router
    (``/catalog/{dataset_id}``); the prefix is then the leading segments of the
    request path that the template does not cover (prefixes have no parameters).
    """
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not isinstance(template, str) or not template.startswith("/"):
        return UNMATCHED
    parts = str(scope.get("path", "")).split("/")
    covered = len(template.split("/")) - 1
    prefix = "/".join(parts[: max(len(parts) - covered, 1)])
    return prefix + template
