"""``/docs``: Swagger UI served from the app's own static files (no CDN, no inline script).

``make install`` copies ``swagger-ui-bundle.js`` and ``swagger-ui.css`` from
the npm package ``swagger-ui-dist`` into ``web/static/vendor``; the page's one
script of its own, ``/static/swagger-init.js``, reads the OpenAPI document's
URL from a ``data-`` attribute, so the Content-Security-Policy needs no
``'unsafe-inline'``. ReDoc and Swagger's OAuth2 redirect page are not served.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """接口文档（Swagger UI） / the interactive API documentation."""
    app = request.app
    title = f"{app.title} · 接口文档 / API docs"
    return HTMLResponse(PAGE.format(title=escape(title), openapi_url=escape(app.openapi_url or "/openapi.json")))
