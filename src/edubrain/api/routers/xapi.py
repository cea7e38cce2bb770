"""``/xAPI``: the xAPI Learning Record Store — the About and Statement resources (docs/lrs.md).

Every request but ``GET /xAPI/about`` carries ``X-Experience-API-Version`` (1.0.x or 2.0.x); every response,
errors included, carries the version used. Callers authenticate with HTTP Basic (any user name, a school's node
API key ``ebk_…`` as password: what xAPI clients send), ``Authorization: Bearer`` (an access token or node key) or
``X-API-Key``. Errors have the platform's one JSON shape; the xAPI statuses are 400 (invalid), 401, 403, 404,
409 (conflict) and 413.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import secrets
from collections.abc import Callable, Coroutine
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from edubrain.api.deps import API_KEY_PREFIX, HomeDep, principal_of_token
from edubrain.api.errors import ApiError, error_response, error_responses, status_of
from edubrain.errors import EduBrainError
from edubrain.governance.identity import AuthError, Principal
from edubrain.lrs import access
from edubrain.lrs.errors import StatementInvalid
from edubrain.lrs.versions import CONSISTENT_THROUGH, HEADER, SUPPORTED, negotiated

MAX_BODY = 8 * 1024 * 1024
"""The largest statement batch accepted, in bytes (xAPI Communication 1.5.2: an LRS may limit batches)."""
VersionHeader = Annotated[str, Header(alias=HEADER, pattern=r"^(1\.0|2\.0)(\.\d+)?$", description="1.0.x or 2.0.x")]


class XapiRoute(APIRoute):
    """A route that checks the version header first and answers every error with the version header too."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, wrapped."""
        handler = super().get_route_handler()
        about = self.path.endswith("/about")
        statements = self.path.endswith("/statements")

        async def route(request: Request) -> Response:
            version = SUPPORTED[-1]
            try:
                if not about or request.headers.get(HEADER):
                    version = negotiated(request.headers.get(HEADER))
                request.state.xapi_version = version
                response = await handler(request)
            except EduBrainError as exc:
                response = error_response(status_of(exc), exc.to_dict())
                if response.status_code == 401:
                    response.headers["WWW-Authenticate"] = 'Basic realm="EduBrain xAPI", Bearer'
            except RequestValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}" for e in exc.errors()
                )
                body = StatementInvalid(f"请求参数无效：{problems}", f"Invalid request: {problems}").to_dict()
                response = error_response(400, body)
            response.headers[HEADER] = version
            if statements and CONSISTENT_THROUGH not in response.headers:  # Communication 2.1.3: on all responses
                now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
                response.headers[CONSISTENT_THROUGH] = now
            return response

        return route


router = APIRouter(prefix="/xAPI", tags=["xAPI"], route_class=XapiRoute)


def xapi_principal(request: Request, home: HomeDep) -> Principal:
    """The caller, by HTTP Basic (password: a node API key), Bearer token or ``X-API-Key``.

    Raises:
        AuthError: no credential, or an invalid one.
    """
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            _, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise AuthError("HTTP Basic 认证信息无法解析", "The HTTP Basic credentials cannot be decoded") from None
        if not password.startswith(API_KEY_PREFIX):
            raise AuthError(
                "HTTP Basic 认证的密码须为学校的节点 API 密钥（ebk_…）；个人账户请用 Bearer 访问令牌",
                "The HTTP Basic password must be a school's node API key (ebk_…); people use a Bearer access token",
            )
        return principal_of_token(home, password)
    token = request.headers.get("x-api-key") or (value.strip() if scheme.lower() == "bearer" else "")
    if not token:
        raise AuthError(
            "需要认证：HTTP Basic（密码为节点 API 密钥）、Bearer 令牌或 X-API-Key",
            "Authentication required: HTTP Basic (password: a node API key), a Bearer token or X-API-Key",
        )
    return principal_of_token(home, token)


XapiPrincipal = Annotated[Principal, Depends(xapi_principal)]


class About(BaseModel):
    """What this LRS is: the xAPI versions it speaks (xAPI Communication 2.8)."""

    version: list[str]
    extensions: dict[str, Any]


@router.get("/about", response_model=About, responses=error_responses())
def about() -> About:
    """本 LRS 支持的 xAPI 版本 / the xAPI versions this LRS speaks (no authentication, no version header needed)."""
    return About(version=list(SUPPORTED), extensions={})


async def _json_body(request: Request) -> Any:
    """The request's JSON body (application/json only; multipart/mixed attachments are not taken yet)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/mixed":
        raise StatementInvalid(
            "暂不支持 multipart/mixed（附件正文）：请用 application/json，附件给出 fileUrl",
            "multipart/mixed (attachment data) is not supported yet: send application/json with fileUrl attachments",
        )
    if media != "application/json":
        raise StatementInvalid(
            f"Content-Type 应为 application/json，收到 {media or '（无）'}",
            f"Content-Type must be application/json, got {media or '(none)'}",
        )
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ApiError(413, "payload_too_large", f"请求体超过 {MAX_BODY} 字节", f"The body exceeds {MAX_BODY} bytes")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise StatementInvalid(f"请求体不是有效的 JSON：{exc}", f"The body is not valid JSON: {exc}") from None


_STORE_ERRORS = error_responses(401, 403, 409, 413)
_STATEMENT = {
    "type": "object",
    "required": ["actor", "verb", "object"],
    "description": "An xAPI statement (docs/lrs.md)",
}
_BODY = {"required": True, "content": {"application/json": {"schema": {"anyOf": [_STATEMENT, {"type": "array", "items": _STATEMENT}]}}}}  # fmt: skip
_ONE_BODY = {"required": True, "content": {"application/json": {"schema": _STATEMENT}}}


@router.post("/statements", response_model=list[str], responses=_STORE_ERRORS, openapi_extra={"requestBody": _BODY})
async def post_statements(request: Request, home: HomeDep, principal: XapiPrincipal, _v: VersionHeader) -> Any:
    """存储一条或一批语句，返回 id / store one statement or an array (returns their ids, in order)."""
    if request.query_params:
        raise StatementInvalid(
            "POST /xAPI/statements 不接受查询参数（不支持替代请求语法）",
            "POST /xAPI/statements takes no query parameters (the alternate request syntax is not supported)",
        )
    body = await _json_body(request)
    batch = body if isinstance(body, list) else [body]
    return await run_in_threadpool(access.store, home, principal, batch, request.state.xapi_version)


@router.put(
    "/statements",
    status_code=204,
    response_class=Response,
    responses=_STORE_ERRORS,
    openapi_extra={"requestBody": _ONE_BODY},
)
async def put_statement(
    request: Request,
    home: HomeDep,
    principal: XapiPrincipal,
    _v: VersionHeader,
    statement_id: Annotated[str, Query(alias="statementId", description="The statement's UUID")],
) -> Response:
    """以给定 statementId 存储一条语句 / store one statement under the statementId parameter."""
    params = dict(request.query_params)
    if set(params) != {"statementId"}:
        raise StatementInvalid(
            "PUT /xAPI/statements 需要且只接受参数 statementId",
            "PUT /xAPI/statements needs the statementId parameter, and takes no other",
        )
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise StatementInvalid(
            "PUT 的请求体应为一条语句（JSON 对象）", "The body of a PUT must be one statement (an object)"
        )
    if "id" in body and str(body["id"]).lower() != statement_id.lower():
        raise StatementInvalid(
            "语句的 id 与参数 statementId 不一致", "The statement's id differs from the statementId parameter"
        )
    statement = {**body, "id": statement_id}
    await run_in_threadpool(access.store, home, principal, [statement], request.state.xapi_version)
    return Response(status_code=204)


@router.get(
    "/statements",
    responses={200: {"content": {"application/json": {}, "multipart/mixed": {}}}, **error_responses(401, 403, 404)},
)
def get_statements(request: Request, home: HomeDep, principal: XapiPrincipal, _v: VersionHeader) -> Response:
    """读取一条语句（statementId / voidedStatementId）或按条件列出语句 / one statement, or a filtered list."""
    language = request.headers.get("accept-language")
    answer = access.read(home, principal, dict(request.query_params), accept_language=language)
    more = f"{request.url.path}?more={answer.more}" if answer.more else ""
    body = answer.statements[0] if answer.single else {"statements": answer.statements, "more": more}
    headers = {CONSISTENT_THROUGH: answer.consistent_through}
    if answer.last_modified is not None:
        headers["Last-Modified"] = format_datetime(answer.last_modified, usegmt=True)
    if answer.attachments:
        return _multipart(body, headers)
    return JSONResponse(body, headers=headers)


router.add_api_route("/statements", get_statements, methods=["HEAD"], include_in_schema=False)  # Communication 1.1


def _multipart(body: Any, headers: dict[str, str]) -> Response:
    """The multipart/mixed answer of ``attachments=true`` (xAPI Communication 1.5.2): the JSON part only.

    This LRS stores attachments by ``fileUrl`` only, so there is no attachment data to add as further parts.
    """
    boundary = secrets.token_hex(16)
    part = json.dumps(body, ensure_ascii=False).encode("utf-8")
    content = b"".join(
        [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), part, f"\r\n--{boundary}--\r\n".encode()]
    )
    return Response(content, media_type=f'multipart/mixed; boundary="{boundary}"', headers=headers)
