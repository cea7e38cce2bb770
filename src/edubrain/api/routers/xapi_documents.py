"""``/xAPI`` Document resources: State, Activity Profile and Agent Profile (docs/lrs.md, "文档资源").

Same version header, authentication and error body as the Statement resource (the route class, principal and
header of :mod:`edubrain.api.routers.xapi`). PUT, POST and DELETE answer 204; GET answers the stored bytes with
their Content-Type, ``ETag`` and ``Last-Modified``, or a JSON array of ids; HEAD answers as GET without a body
(Communication 1.1). Statuses: 400, 401, 403, 404, 409 (PUT over a document without a concurrency header),
412 (``If-Match``/``If-None-Match`` does not hold) and 413.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from email.utils import format_datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from edubrain.api.deps import HomeDep
from edubrain.api.errors import ApiError, ErrorBody, error_responses
from edubrain.api.routers.xapi import VersionHeader, XapiPrincipal, XapiRoute
from edubrain.lrs import documents
from edubrain.lrs.concurrency import PreconditionFailed, etag_of, quoted
from edubrain.lrs.document_params import Kind

router = APIRouter(prefix="/xAPI", tags=["xAPI"], route_class=XapiRoute)
MAX_DOCUMENT = 8 * 1024 * 1024
"""The largest document accepted, in bytes (IEEE 9274.1.1 §4.1.5: an LRS may choose document size limits; 413)."""
PATHS: dict[Kind, str] = {
    "state": "/activities/state",
    "activity_profile": "/activities/profile",
    "agent_profile": "/agents/profile",
}
_NAMES = {
    "state": "State 状态",
    "activity_profile": "Activity Profile 活动档案",
    "agent_profile": "Agent Profile 人员档案",
}
_PRECONDITION: dict[int | str, dict[str, Any]] = {
    412: {"model": ErrorBody, "description": "前置条件不成立 / If-Match or If-None-Match does not hold"}
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {**error_responses(401, 403, 409, 413), **_PRECONDITION}
_ANY_BODY = {"requestBody": {"required": True, "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}


def _query(request: Request) -> tuple[dict[str, str], str | None]:
    """The query parameters, and the name of one given more than once (refused by the library)."""
    items = request.query_params.multi_items()
    params = dict(items)
    repeated = next((name for name in params if sum(1 for n, _ in items if n == name) > 1), None)
    return params, repeated


def _headers(request: Request) -> dict[str, Any]:
    return {
        "if_match": request.headers.get("if-match"),
        "if_none_match": request.headers.get("if-none-match"),
        "version": request.state.xapi_version,
    }


async def _governed(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a library call in the thread pool; a failed precondition becomes the 412 it is."""
    try:
        return await run_in_threadpool(call, *args, **kwargs)
    except PreconditionFailed as exc:
        raise ApiError(412, exc.code, exc.zh, exc.en, **exc.details) from None


def _endpoints(kind: Kind) -> dict[str, Callable[..., Awaitable[Response]]]:
    """The handlers of one Document resource."""

    async def store(request: Request, home: HomeDep, principal: XapiPrincipal, _v: VersionHeader) -> Response:
        raw = await request.body()
        if len(raw) > MAX_DOCUMENT:
            raise ApiError(413, "payload_too_large", f"文档超过 {MAX_DOCUMENT} 字节", f"The document exceeds {MAX_DOCUMENT} bytes")  # fmt: skip
        params, repeated = _query(request)
        method = "PUT" if request.method == "PUT" else "POST"
        content_type = request.headers.get("content-type")
        await _governed(documents.write, home, principal, kind, params, method=method, content=raw, content_type=content_type, repeated=repeated, **_headers(request))  # fmt: skip
        return Response(status_code=204)

    async def remove(request: Request, home: HomeDep, principal: XapiPrincipal, _v: VersionHeader) -> Response:
        params, repeated = _query(request)
        await _governed(documents.delete, home, principal, kind, params, repeated=repeated, **_headers(request))
        return Response(status_code=204)

    async def fetch(request: Request, home: HomeDep, principal: XapiPrincipal, _v: VersionHeader) -> Response:
        params, repeated = _query(request)
        answer = await _governed(documents.read, home, principal, kind, params, repeated=repeated)
        headers: dict[str, str] = {}
        if answer.last_modified is not None:
            headers["Last-Modified"] = format_datetime(answer.last_modified, usegmt=True)
        if answer.ids is not None:
            body = json.dumps(answer.ids, ensure_ascii=False).encode("utf-8")
            return Response(body, media_type="application/json", headers={**headers, "ETag": quoted(etag_of(body))})
        headers["ETag"] = quoted(answer.etag)
        response = Response(answer.content, headers=headers)
        response.headers["content-type"] = answer.content_type  # as stored, no charset added
        return response

    return {"store": store, "remove": remove, "fetch": fetch}


for _kind, _path in PATHS.items():
    _handlers = _endpoints(_kind)
    _name = _NAMES[_kind]
    router.add_api_route(_path, _handlers["store"], methods=["PUT"], status_code=204, response_class=Response, responses=_WRITE_ERRORS, openapi_extra=_ANY_BODY, summary=f"存储文档 / store a document ({_name})", name=f"{_kind}_put")  # fmt: skip
    router.add_api_route(_path, _handlers["store"], methods=["POST"], status_code=204, response_class=Response, responses=_WRITE_ERRORS, openapi_extra=_ANY_BODY, summary=f"存储或合并 JSON 文档 / store or merge a JSON document ({_name})", name=f"{_kind}_post")  # fmt: skip
    router.add_api_route(_path, _handlers["remove"], methods=["DELETE"], status_code=204, response_class=Response, responses=_WRITE_ERRORS, summary=f"删除文档 / delete document(s) ({_name})", name=f"{_kind}_delete")  # fmt: skip
    router.add_api_route(_path, _handlers["fetch"], methods=["GET"], response_class=Response, responses={200: {"content": {"*/*": {}, "application/json": {}}}, **error_responses(401, 403, 404)}, summary=f"读取文档或列出 id / one document, or the ids ({_name})", name=f"{_kind}_get")  # fmt: skip
    router.add_api_route(_path, _handlers["fetch"], methods=["HEAD"], include_in_schema=False, name=f"{_kind}_head")
