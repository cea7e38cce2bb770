"""``/xAPI``: the xAPI Learning Record Store — About, Statements (with attachments), Activities, Agents (docs/lrs.md).

Statements are sent as ``application/json`` or as ``multipart/mixed`` with attachment parts (read by
:class:`edubrain.lrs.multipart.MixedReader` as the body streams in) and returned as ``multipart/mixed`` with the
attachment data when ``attachments=true``.

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
import hashlib
import json
from collections.abc import Callable, Coroutine
from email.utils import format_datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl

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
from edubrain.lrs.multipart import MAX_STATEMENTS_PART, MixedReader, Part, PayloadTooLarge, mixed_body
from edubrain.lrs.versions import CONSISTENT_THROUGH, HEADER, SUPPORTED, negotiated

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
            alternate = statements and request.method == "POST" and "method" in request.query_params
            try:
                if not alternate and (not about or request.headers.get(HEADER)):  # alternate: in the form
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
            response.headers[HEADER] = getattr(request.state, "xapi_version", version)
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
    return principal_from(home, request.headers.get("authorization", ""), request.headers.get("x-api-key"))


def principal_from(home: HomeDep, authorization: str, api_key: str | None) -> Principal:
    """The caller of an ``Authorization`` value (a header, or the alternate syntax's form field) or an API key."""
    return principal_of_token(home, token_from(authorization, api_key))


def xapi_credential(request: Request) -> access.Credential:
    """The caller's credential, well formed but not yet checked.

    :mod:`edubrain.lrs.access` checks it in the request's own transaction (one commit per request).

    Raises:
        AuthError: no credential, or one that cannot be parsed.
    """
    return access.Credential(token_from(request.headers.get("authorization", ""), request.headers.get("x-api-key")))


def token_from(authorization: str, api_key: str | None) -> str:
    """The token or node key of an ``Authorization`` value or an API key (not checked yet).

    Raises:
        AuthError: no credential, or one that cannot be parsed.
    """
    scheme, _, value = authorization.partition(" ")
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
        return password
    token = api_key or (value.strip() if scheme.lower() == "bearer" else "")
    if not token:
        raise AuthError(
            "需要认证：HTTP Basic（密码为节点 API 密钥）、Bearer 令牌或 X-API-Key",
            "Authentication required: HTTP Basic (password: a node API key), a Bearer token or X-API-Key",
        )
    return token


XapiPrincipal = Annotated[Principal, Depends(xapi_principal)]
XapiCredential = Annotated[access.Credential, Depends(xapi_credential)]


class About(BaseModel):
    """What this LRS is: the xAPI versions it speaks (xAPI Communication 2.8)."""

    version: list[str]
    extensions: dict[str, Any]


@router.get("/about", response_model=About, responses=error_responses())
def about() -> About:
    """本 LRS 支持的 xAPI 版本 / the xAPI versions this LRS speaks (no authentication, no version header needed)."""
    return About(version=list(SUPPORTED), extensions={})


async def _statements_body(request: Request) -> tuple[Any, list[Part]]:
    """The statements of a PUT or POST and their attachment parts: ``application/json`` or ``multipart/mixed``."""
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media == "multipart/mixed":
        reader = MixedReader(content_type)
        try:
            async for chunk in request.stream():
                reader.feed(chunk)
            body = reader.finish()
        except PayloadTooLarge as exc:
            raise ApiError(413, exc.code, exc.zh, exc.en, **exc.details) from None
        return _json(body.statements), body.attachments
    if media != "application/json":
        raise StatementInvalid(
            f"Content-Type 应为 application/json 或 multipart/mixed，收到 {media or '（无）'}",
            f"Content-Type must be application/json or multipart/mixed, got {media or '(none)'}",
        )
    raw = await request.body()
    if len(raw) > MAX_STATEMENTS_PART:
        raise ApiError(413, "payload_too_large", f"请求体超过 {MAX_STATEMENTS_PART} 字节", f"The body exceeds {MAX_STATEMENTS_PART} bytes")  # fmt: skip
    return _json(raw), []


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw, parse_constant=_not_json)
    except ValueError as exc:
        raise StatementInvalid(f"语句不是有效的 JSON：{exc}", f"The statements are not valid JSON: {exc}") from None


def _not_json(name: str) -> Any:
    """``NaN``, ``Infinity`` and ``-Infinity``: Python's parser takes them, JSON (RFC 8259 §6) does not."""
    raise ValueError(f"{name} is not a JSON number")


_STORE_ERRORS = error_responses(401, 403, 409, 413)
_STATEMENT = {
    "type": "object",
    "required": ["actor", "verb", "object"],
    "description": "An xAPI statement (docs/lrs.md)",
}
_BODY = {"required": True, "content": {"application/json": {"schema": {"anyOf": [_STATEMENT, {"type": "array", "items": _STATEMENT}]}}}}  # fmt: skip
_ONE_BODY = {"required": True, "content": {"application/json": {"schema": _STATEMENT}}}


@router.post("/statements", response_model=list[str], responses=_STORE_ERRORS, openapi_extra={"requestBody": _BODY})
async def post_statements(request: Request, home: HomeDep) -> Any:
    """存储一条或一批语句，返回 id；带 method 参数时为替代请求语法 / store statements (or the alternate syntax)."""
    if "method" in request.query_params:
        return await alternate_request(request, home)
    caller = xapi_credential(request)
    if request.query_params:
        raise StatementInvalid(
            "POST /xAPI/statements 只接受查询参数 method（替代请求语法）",
            "POST /xAPI/statements takes no query parameter but method (the alternate request syntax)",
        )
    body, parts = await _statements_body(request)
    batch = body if isinstance(body, list) else [body]
    return await run_in_threadpool(access.store, home, caller, batch, request.state.xapi_version, parts)


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
    _statement_id: Annotated[str, Query(alias="statementId", description="The statement's UUID")],
) -> Response:
    """以给定 statementId 存储一条语句 / store one statement under the statementId parameter."""
    body, parts = await _statements_body(request)
    statement = _one_statement(dict(request.query_params), body)
    await run_in_threadpool(access.store, home, principal, [statement], request.state.xapi_version, parts)
    return Response(status_code=204)


def _one_statement(params: dict[str, str], body: Any) -> dict[str, Any]:
    """The statement of a PUT: the body, one object, under the ``statementId`` parameter (its only one)."""
    if set(params) != {"statementId"}:
        raise StatementInvalid(
            "PUT /xAPI/statements 需要且只接受参数 statementId",
            "PUT /xAPI/statements needs the statementId parameter, and takes no other",
        )
    if not isinstance(body, dict):
        raise StatementInvalid(
            "PUT 的请求体应为一条语句（JSON 对象）", "The body of a PUT must be one statement (an object)"
        )
    if "id" in body and str(body["id"]).lower() != params["statementId"].lower():
        raise StatementInvalid(
            "语句的 id 与参数 statementId 不一致", "The statement's id differs from the statementId parameter"
        )
    return {**body, "id": params["statementId"]}


@router.get(
    "/statements",
    responses={200: {"content": {"application/json": {}, "multipart/mixed": {}}}, **error_responses(401, 403, 404)},
)
def get_statements(request: Request, home: HomeDep, caller: XapiCredential, _v: VersionHeader) -> Response:
    """读取一条语句（statementId / voidedStatementId）或按条件列出语句 / one statement, or a filtered list."""
    return statements_answer(request, home, caller, dict(request.query_params))


def statements_answer(request: Request, home: HomeDep, caller: access.Caller, params: dict[str, str]) -> Response:
    """The answer of a statements GET (``params`` from the query string, or the alternate syntax's form)."""
    language = request.headers.get("accept-language")
    answer = access.read(home, caller, params, accept_language=language)
    more = f"{request.url.path}?more={answer.more}" if answer.more else ""
    if answer.single:
        body = answer.documents[0]
    else:  # a StatementResult, its statements spliced in as they are (exact: as sealed)
        body = b'{"statements":[%s],"more":%s}' % (b",".join(answer.documents), json.dumps(more).encode("ascii"))
    headers = {CONSISTENT_THROUGH: answer.consistent_through}
    if answer.last_modified is not None:
        headers["Last-Modified"] = format_datetime(answer.last_modified, usegmt=True)
    if answer.attachments:
        content, boundary = mixed_body(body, answer.attachment_parts)
        return Response(content, media_type=f'multipart/mixed; boundary="{boundary}"', headers=headers)
    return Response(body, media_type="application/json", headers=headers)


router.add_api_route("/statements", get_statements, methods=["HEAD"], include_in_schema=False)  # Communication 1.1


def _resource(body: dict[str, Any]) -> Response:
    """A resource answer with its ETag: the quoted SHA-1 of the body sent (xAPI Communication 3.1.s4.b1, b2, b4)."""
    content = json.dumps(body, ensure_ascii=False).encode("utf-8")
    etag = f'"{hashlib.sha1(content, usedforsecurity=False).hexdigest()}"'
    return Response(content, media_type="application/json", headers={"ETag": etag})


@router.get("/activities", responses=error_responses(401, 403))
def get_activity(request: Request, home: HomeDep, principal: XapiPrincipal, _v: VersionHeader) -> Response:
    """活动及其规范定义 / the Activity ``activityId`` with its canonical definition (docs/lrs.md)."""
    return _resource(access.activity(home, principal, dict(request.query_params)))


@router.get("/agents", responses=error_responses(401, 403))
def get_person(request: Request, home: HomeDep, principal: XapiPrincipal, _v: VersionHeader) -> Response:
    """人员（Person）对象，只含调用者本可读到的信息 / the Person object of ``agent``, from what the caller may read."""
    return _resource(access.person(home, principal, dict(request.query_params)))


router.add_api_route("/activities", get_activity, methods=["HEAD"], include_in_schema=False)
router.add_api_route("/agents", get_person, methods=["HEAD"], include_in_schema=False)


_FORM_HEADERS = ("authorization", "x-experience-api-version", "content-type", "content-length", "if-match", "if-none-match")  # fmt: skip
"""The header parameters a form of the alternate syntax may carry (xAPI 1.0.3 Communication 1.3.s3.b6)."""


async def alternate_request(request: Request, home: HomeDep) -> Response:
    """The alternate request syntax of statements (xAPI 1.0.3 Communication §1.3): ``POST …?method=GET|PUT|POST``.

    The form (``application/x-www-form-urlencoded``, UTF-8) carries the header parameters, the query parameters
    and the ``content``; no other query parameter is allowed, no binary data (no attachment parts). The syntax was
    removed in xAPI 2.0: a 2.0 request using it gets 400. Reads and writes go through the same door as always.
    """
    query = dict(request.query_params)
    method = query.pop("method").upper()
    if query:
        raise StatementInvalid(
            f"替代请求语法只允许查询参数 method，其余参数须放在表单中：{', '.join(sorted(query))}",
            f"With the alternate request syntax the only query parameter is method; put {', '.join(sorted(query))} in the form (xAPI Communication 1.3)",  # fmt: skip
        )
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise StatementInvalid("替代请求语法的请求体须为 application/x-www-form-urlencoded 表单", "The alternate request syntax sends an application/x-www-form-urlencoded form (xAPI Communication 1.3)")  # fmt: skip
    raw = await request.body()
    if len(raw) > 3 * MAX_STATEMENTS_PART:  # percent-encoding triples a byte at most
        raise ApiError(413, "payload_too_large", f"表单超过 {3 * MAX_STATEMENTS_PART} 字节", f"The form exceeds {3 * MAX_STATEMENTS_PART} bytes")  # fmt: skip
    try:
        fields = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw)))
    except (UnicodeDecodeError, ValueError):
        raise StatementInvalid("表单无法解析（须为 UTF-8 的 URL 编码）", "The form cannot be parsed (URL-encoded UTF-8 is required)") from None  # fmt: skip
    headers = {k.lower(): v for k, v in fields.items() if k.lower() in _FORM_HEADERS}
    params = {k: v for k, v in fields.items() if k.lower() not in _FORM_HEADERS and k != "content"}
    version = negotiated(headers.get("x-experience-api-version") or request.headers.get(HEADER))
    request.state.xapi_version = version
    if version.startswith("2."):
        raise StatementInvalid("xAPI 2.0 已取消替代请求语法，请用普通请求", "xAPI 2.0 removed the alternate request syntax: send an ordinary request (IEEE 9274.1.1)")  # fmt: skip
    authorization = headers.get("authorization") or request.headers.get("authorization", "")
    principal = await run_in_threadpool(principal_from, home, authorization, request.headers.get("x-api-key"))
    content = fields.get("content")
    if method == "GET" and content is None:
        return await run_in_threadpool(statements_answer, request, home, principal, params)
    if method not in ("PUT", "POST") or content is None:
        raise StatementInvalid(
            f"替代请求语法：语句资源的 method 为 GET（无 content）、PUT 或 POST（带 content），收到 {method}",
            f"Alternate request syntax: the Statement resource takes method GET (no content), PUT or POST (with content), got {method}",  # fmt: skip
        )
    if headers.get("content-type", "application/json").split(";")[0].strip().lower() != "application/json":
        raise StatementInvalid("替代请求语法的 content 须为 application/json（不能传附件正文）", "The content of the alternate request syntax must be application/json (no attachment data) (xAPI Communication 1.3)")  # fmt: skip
    body = _json(content.encode("utf-8"))
    if method == "PUT":
        statement = _one_statement(params, body)
        await run_in_threadpool(access.store, home, principal, [statement], version)
        return Response(status_code=204)
    if params:
        raise StatementInvalid("POST 语句不接受参数", f"POST statements takes no parameter, got {', '.join(sorted(params))}")  # fmt: skip
    batch = body if isinstance(body, list) else [body]
    return JSONResponse(await run_in_threadpool(access.store, home, principal, batch, version))
