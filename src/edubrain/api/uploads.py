"""Taking an uploaded file into the exchange: the one upload path of the API and the web form.

FastAPI reads a multipart body before it runs a route's dependencies, so a
route that declares ``File(...)`` spools an anonymous gigabyte to disk before
it can answer 401. The upload routes (``POST /api/v1/submissions``, the node
push, the web form ``POST /submit``) therefore declare no body parameters:
they authenticate first, then call :func:`received_upload`, which

- refuses at once (413) a body whose ``Content-Length`` is over the cap,
  without reading a byte of it;
- streams the body through python-multipart's parser, counting it as it
  arrives (a chunked body too), and stops at the cap with 413;
- writes the one file part straight into a private temporary folder (removed
  afterwards, whatever happens) and keeps the few small form fields.

The cap is ``EDUBRAIN_MAX_UPLOAD_MB`` for the file, plus
:data:`FORM_ALLOWANCE` for the fields and part headers of the whole body.
"""

from __future__ import annotations

import hmac
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from edubrain.api.errors import ApiError
from edubrain.api.multipart import FormStream, MultipartError, boundary_of
from edubrain.api.schemas import Text
from edubrain.config import Settings
from edubrain.errors import InputFileError
from edubrain.exchange.limits import FileTooLargeError, ReadLimits
from edubrain.exchange.readers import SourceTable, read_source
from edubrain.governance import submissions
from edubrain.governance.identity import Principal
from edubrain.governance.scope import Scope
from edubrain.governance.submissions import IngestResult, Mode
from edubrain.home import Home

CHUNK = 1 << 20
FORM_ALLOWANCE = 64 * 1024
"""Bytes a body may hold beyond the file: the form fields, part headers and boundaries."""
FormT = TypeVar("FormT", bound=BaseModel)


class PushForm(BaseModel):
    """The form fields of a node push (the file is the part ``file``)."""

    mode: Literal["upsert", "replace-scope"] = "upsert"
    accept_valid: bool = Field(False, description="Commit the valid rows even if others are rejected")


class SubmissionForm(PushForm):
    """The form fields of ``POST /api/v1/submissions`` (the file is the part ``file``)."""

    dataset: Annotated[Text, Field(max_length=64, description="Dataset id, e.g. students")]
    org: Annotated[Text | None, Field(max_length=16, description="Submitting organisation (default: the caller's)")] = (
        None
    )
    sheet: Annotated[Text | None, Field(max_length=100, description="XLSX sheet")] = None


class WebSubmissionForm(BaseModel):
    """The form fields of the web page's ``POST /submit``."""

    dataset: Annotated[Text, Field(max_length=64)]
    org: Annotated[Text, Field(max_length=16)]
    mode: Annotated[Text, Field(max_length=16)] = "upsert"


def safe_file_name(name: str | None) -> str:
    """The uploaded file's own name, without folders, at most 100 characters before its suffix (which picks the reader)."""
    path = Path(Path(name or "").name)
    if path.name in ("", ".", ".."):
        return "upload"
    return path.stem[:100] + path.suffix[:16]


def too_large(limit_mb: int) -> ApiError:
    """The 413 refusal of a body over ``EDUBRAIN_MAX_UPLOAD_MB``."""
    return ApiError(
        413,
        "payload_too_large",
        f"上传文件超过 {limit_mb} MB 上限（EDUBRAIN_MAX_UPLOAD_MB）",
        f"The upload exceeds the {limit_mb} MB limit (EDUBRAIN_MAX_UPLOAD_MB)",
        limit_mb=limit_mb,
    )


def invalid_form(problems: list[dict[str, Any]]) -> ApiError:
    """A 422 ``invalid_request`` in the shape FastAPI's own request validation has (``details.problems``)."""
    where = "; ".join(f"{'.'.join(p['loc'])}: {p['msg']}" for p in problems[:5])
    return ApiError(422, "invalid_request", f"请求参数无效：{where}", f"Invalid request: {where}", problems=problems)


@dataclass
class ReceivedUpload:
    """An uploaded file saved in a private temporary folder, and the form's other fields.

    Attributes:
        path: The saved file (its suffix picks the reader).
        name: The file name the client sent, made safe.
        size: The file's size in bytes.
        fields: The form's text fields.
    """

    path: Path
    name: str
    size: int
    fields: dict[str, str] = field(default_factory=dict)

    def form(self, model: type[FormT]) -> FormT:
        """The form fields validated by ``model``.

        Raises:
            ApiError: 422 ``invalid_request`` naming each bad field.
        """
        try:
            return model.model_validate(self.fields)
        except ValidationError as exc:
            problems = [
                {"loc": ["body", *(str(p) for p in e["loc"])], "msg": e["msg"], "type": e["type"]} for e in exc.errors()
            ]
            raise invalid_form(problems) from None


@asynccontextmanager
async def received_upload(request: Request, settings: Settings) -> AsyncIterator[ReceivedUpload]:
    """Stream the multipart body of ``request`` into a temporary folder; call only once the caller is authenticated.

    Raises:
        ApiError: 413 over ``EDUBRAIN_MAX_UPLOAD_MB`` (declared or counted);
            422 not multipart, malformed, no ``file`` part, or too many fields.
    """
    limit_mb = settings.max_upload_mb
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit_mb * CHUNK + FORM_ALLOWANCE:
        raise too_large(limit_mb)
    try:
        boundary = boundary_of(request.headers.get("content-type", ""))
    except MultipartError as exc:
        raise invalid_form([{"loc": ["body", "file"], "msg": str(exc), "type": "multipart"}]) from None
    folder = Path(await run_in_threadpool(tempfile.mkdtemp, prefix="edubrain-upload-"))
    try:
        yield await _receive(request, boundary, folder, limit_mb)
    finally:
        await run_in_threadpool(shutil.rmtree, folder, True)


async def _receive(request: Request, boundary: bytes, folder: Path, limit_mb: int) -> ReceivedUpload:
    sink = FormStream(boundary, folder, safe_file_name, file_limit=limit_mb * CHUNK)
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit_mb * CHUNK + FORM_ALLOWANCE:
                raise too_large(limit_mb)
            sink.write(chunk)
            await run_in_threadpool(sink.flush)
        sink.finish()
    except MultipartError as exc:
        raise (too_large(limit_mb) if exc.too_large else _part_error(exc)) from None
    finally:
        await run_in_threadpool(sink.close)
    _check_deferred_csrf(request, sink.fields)
    if sink.path is None:
        raise invalid_form([{"loc": ["body", "file"], "msg": "Field required", "type": "missing"}])
    return ReceivedUpload(sink.path, sink.path.name, sink.size, sink.fields)


def _check_deferred_csrf(request: Request, fields: dict[str, str]) -> None:
    """The web form's CSRF token, when :func:`edubrain.web.csrf.require_csrf_token` left it to the body."""
    expected = getattr(request.state, "csrf_deferred", None)
    if expected is None:
        return
    from edubrain.web.csrf import CSRF_FIELD, token_error

    if not hmac.compare_digest(expected.encode(), fields.get(CSRF_FIELD, "").encode()):
        raise token_error()


def _part_error(exc: MultipartError) -> ApiError:
    return invalid_form([{"loc": ["body", *exc.loc], "msg": str(exc), "type": "multipart"}])


@contextmanager
def public_errors(upload: ReceivedUpload) -> Iterator[None]:
    """Name the upload, not the server's temporary path, in a refusal; a size cap of the reader becomes 413."""
    try:
        yield
    except FileTooLargeError as exc:
        raise ApiError(413, exc.code, exc.zh, exc.en, **{**exc.details, "file": upload.name}) from None
    except InputFileError as exc:
        if "file" in exc.details:
            exc.details["file"] = upload.name
        raise


def read_upload(home: Home, upload: ReceivedUpload, sheet: str | None = None) -> SourceTable:
    """Read a received file under the configured caps (``EDUBRAIN_MAX_ROWS`` …); for the web form's preview."""
    with public_errors(upload):
        return read_source(upload.path, sheet=sheet, limits=ReadLimits.of(home.settings))


def submit_upload(
    home: Home,
    principal: Principal,
    upload: ReceivedUpload,
    dataset_id: str,
    org: str | None = None,
    *,
    mode: Mode = "upsert",
    accept_valid: bool = False,
    sheet: str | None = None,
) -> IngestResult:
    """Read a received file under the caps and submit it through the write door, as ``principal`` for ``org``.

    Raises:
        ApiError: the file inflates beyond a size cap (413).
        AccessDenied: the principal may not submit, or not as ``org`` (checked before the file is read).
        InputFileError, UnknownDatasetError, ScopeError: as
            :func:`~edubrain.governance.submissions.submit_source`.
    """
    home.catalog.dataset(dataset_id)
    Scope.of(home, principal).submitting_org(org)  # refuse before reading the file
    source = read_upload(home, upload, sheet)
    return submissions.submit_source(home, principal, source, dataset_id, org, mode=mode, accept_valid=accept_valid)


def multipart_body(form: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting a route's multipart body: a ``file`` part and the fields of ``form``."""
    schema = form.model_json_schema()
    file_part = {"type": "string", "format": "binary", "description": "CSV (UTF-8/GBK), XLSX or JSON Lines"}
    schema["properties"] = {"file": file_part, **schema.get("properties", {})}
    schema["required"] = ["file", *schema.get("required", [])]
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}
