"""One JSON error shape for every failure: ``{"error": {"code", "message_zh", "message_en", "details"}}``.

Library errors (:class:`~edubrain.errors.EduBrainError`) carry their own code
and bilingual message; FastAPI's own 404, 405 and 422 are converted to the
same shape. Each route declares the statuses it can fail with through
:func:`error_responses`, so the OpenAPI document describes every body.

A browser is shown the same error as a page: when the web app is mounted it
puts its renderer in ``app.state`` (:data:`HTML_ERROR_PAGE`), and a request
that is not for the API (:func:`wants_html`: not under ``/api/``, or asking for
``text/html``) gets the error page in the site's layout, with the same status,
code and both messages. The 422 message in Chinese says what was wrong in
Chinese (:func:`problem_zh`), not in pydantic's English.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from edubrain.api.hardening import security_headers
from edubrain.api.serverlog import ERROR_ID_ATTRIBUTE, redacted_traceback
from edubrain.errors import EduBrainError

logger = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    """What went wrong, in Chinese and English, with machine-readable details."""

    code: str = Field(description="Stable error code, e.g. auth_error, access_denied, unknown_dataset")
    message_zh: str
    message_en: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


class ApiError(EduBrainError):
    """An error raised by the API layer itself, with its HTTP status."""

    def __init__(self, status: int, code: str, zh: str, en: str, **details: Any) -> None:
        super().__init__(zh, en, **details)
        self.status = status
        self.code = code


STATUS_BY_CODE: dict[str, int] = {
    "auth_error": 401,
    "access_denied": 403,
    "transfer_refused": 403,
    "scope_error": 403,
    "unknown_dataset": 404,
    "unknown_organisation": 404,
    "lake_error": 404,
    "not_found": 404,
    "xapi_conflict": 409,
    "rate_limited": 429,
    "policy_error": 400,
    "query_error": 400,
    "account_error": 400,
    "catalog_error": 400,
    "input_file_error": 422,
    "validation_failed": 422,
    "invalid_request": 422,
    "org_required": 422,
    "not_initialised": 503,
    "configuration_error": 503,
    "pseudonym_key_error": 503,
}
"""HTTP status of each error code; an unlisted code is 400 (the request cannot be served as asked)."""

DESCRIPTIONS: dict[int, str] = {
    400: "请求无法按所述处理 / The request cannot be served as asked",
    401: "未认证或令牌无效 / Not authenticated, or the token or API key is invalid",
    403: "无权访问 / Access denied (role, scope or clearance)",
    404: "不存在 / Not found",
    405: "方法不允许 / Method not allowed",
    409: "冲突：该 id 已存储为不同的内容 / Conflict: the id is stored with different content",
    413: "上传文件过大 / The upload is too large",
    422: "请求参数或文件无效 / Invalid parameters or file",
    429: "请求过于频繁 / Too many requests; try again later",
    500: "服务器内部错误（已记录） / Internal error (logged)",
    503: "服务不可用 / Service unavailable (database or lake)",
}

HTML_ERROR_PAGE = "html_error_page"
"""The ``app.state`` attribute of the web's error page, ``(request, status, body) -> Response`` (set by ``mount_web``)."""
MACHINE_PATHS = ("/api/", "/xAPI/", "/healthz", "/metrics", "/openapi.json", "/credentials/status/")
"""Paths answered for programs: their errors are JSON unless the request asks for ``text/html``."""

_HTTP_CODES = {
    400: ("bad_request", "请求无法解析", "Bad request"),
    404: ("not_found", "不存在", "Not found"),
    405: ("method_not_allowed", "方法不允许", "Method not allowed"),
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route can return (400, 422 and 500 are always included)."""
    return {s: {"model": ErrorBody, "description": DESCRIPTIONS[s]} for s in sorted({*statuses, 400, 422, 500})}


def status_of(exc: EduBrainError) -> int:
    """The HTTP status of a library error."""
    if isinstance(exc, ApiError):
        return exc.status
    return STATUS_BY_CODE.get(exc.code, 400)


def error_response(status: int, body: dict[str, Any]) -> JSONResponse:
    """A JSON error response (with ``WWW-Authenticate`` on 401)."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def wants_html(request: Request) -> bool:
    """Whether an error is shown as a page: a browser's request (not for the API or a static file), or one asking for HTML."""
    path = request.url.path
    if path.startswith("/static/"):
        return False
    return not path.startswith(MACHINE_PATHS) or "text/html" in request.headers.get("accept", "")


def answer_error(request: Request, status: int, body: dict[str, Any]) -> Response:
    """The error as the web's page for a browser (see :func:`wants_html`), else as the one JSON shape."""
    page = getattr(request.app.state, HTML_ERROR_PAGE, None)
    if page is not None and wants_html(request):
        try:
            return page(request, status, body)  # type: ignore[no-any-return]
        except Exception:  # the page itself failed: the JSON body still says what went wrong
            logger.error("the error page failed on %s %s", request.method, request.url.path, exc_info=True)
    return error_response(status, body)


async def _edubrain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EduBrainError)
    return answer_error(request, status_of(exc), exc.to_dict())


_ZH_PROBLEMS = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不符",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "literal_error": "取值无效，可选：{expected}",
    "enum": "取值无效，可选：{expected}",
    "json_invalid": "不是有效的 JSON",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
}
"""Chinese for pydantic's error types (its ``msg`` is English); other types read 取值无效."""
_LOCATIONS = ("query", "body", "path", "header", "cookie")


def problem_zh(error: dict[str, Any]) -> str:
    """One validation problem in Chinese: ``page 不能大于 1000000`` (the parameter's name, then what is allowed)."""
    loc = [str(p) for p in error.get("loc", ())]
    name = ".".join(loc[1:] if loc and loc[0] in _LOCATIONS and len(loc) > 1 else loc)
    context = {k: str(v).replace(" or ", "、") for k, v in (error.get("ctx") or {}).items()}
    try:
        what = _ZH_PROBLEMS.get(str(error.get("type", "")), "取值无效").format(**context)
    except (KeyError, IndexError):
        what = "取值无效"
    return f"{name} {what}".strip()


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    problems = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in errors
    ]
    where = "; ".join(f"{'.'.join(p['loc'])}: {p['msg']}" for p in problems[:5])
    where_zh = "；".join(problem_zh(e) for e in errors[:5])
    body = EduBrainError(f"请求参数无效：{where_zh}", f"Invalid request: {where}", problems=problems).to_dict()
    return answer_error(request, 422, {**body, "code": "invalid_request"})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, zh, en = _HTTP_CODES.get(exc.status_code, ("http_error", "请求失败", "Request failed"))
    body = {"code": code, "message_zh": f"{zh}：{request.url.path}", "message_en": f"{en}: {request.url.path}"}
    response = answer_error(request, exc.status_code, {**body, "details": {"reason": str(exc.detail)}})
    if exc.headers:
        response.headers.update(exc.headers)
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(_allowed_methods(request)) or response.headers.get("Allow", "")
    return response


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API serves at the request's path (routing reports only those of the first route found)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", template), request.url.path):
            methods |= {m.upper() for m in operations}
    return sorted(methods | ({"HEAD"} if "GET" in methods else set()))


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    """A bug or an outage (database down): a generic bilingual body with an opaque error id, nothing internal.

    The server log gets the id, the method, the route's path (no query string) and the redacted traceback
    (frames and exception types, never the message, which may quote a pupil's data).
    """
    error_id = uuid.uuid4().hex
    setattr(exc, ERROR_ID_ATTRIBUTE, error_id)
    logger.error("internal error %s on %s %s\n%s", error_id, request.method, request.url.path, redacted_traceback(exc))
    body = {
        "code": "internal_error",
        "message_zh": f"服务器内部错误（错误编号 {error_id}），请稍后重试或将编号告知管理员",
        "message_en": f"Internal error (error id {error_id}); try again later or give the id to the administrator",
        "details": {"error_id": error_id},
    }
    response = answer_error(request, 500, body)
    response.headers.update(security_headers(request.url.path))
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` answer with the one JSON shape (a page for a browser, see :func:`answer_error`)."""
    app.add_exception_handler(Exception, _unexpected_error)
    app.add_exception_handler(EduBrainError, _edubrain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
