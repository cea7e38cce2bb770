"""``/api/v1/iot/readings``: a school's IoT readings pushed as JSON, validated and committed like a file.

The body is a JSON array of readings (``Content-Type: application/json``) or
one reading per line (``application/x-ndjson``), each an object with the
fields of the catalog dataset ``iot_readings``; ``school_code`` may be left
out and is then the ``school`` parameter. The caller is authenticated and its
right to submit for the school checked (:func:`~edubrain.governance.school_push.push_school`)
before the body is read; the body is counted as it arrives and refused (413)
past :data:`MAX_BODY_MB` MB (or ``EDUBRAIN_MAX_UPLOAD_MB`` if smaller) or
:data:`MAX_READINGS` readings. The readings then go through the exchange as
one batch: validated by the catalog's rules (each problem names the reading by
its position, 1 for the first, and the field, in Chinese and English) and
committed all or nothing. 201 with the report (``report.batch_id``,
``report.status`` committed or unchanged), or 422 with the same body and
``report.status`` rejected: nothing was stored.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import ApiError, error_responses
from edubrain.api.routers.submissions import submission_result
from edubrain.api.schemas import SubmissionResult
from edubrain.api.uploads import too_large
from edubrain.exchange.limits import ReadLimits
from edubrain.exchange.readers import read_source
from edubrain.governance.school_push import push_school, submit_for_school

router = APIRouter(prefix="/iot", tags=["iot"])
DATASET = "iot_readings"
MAX_BODY_MB = 16
MAX_READINGS = 100_000
NDJSON = ("application/x-ndjson", "application/jsonl", "application/json-lines")
READINGS_SCHEMA = {
    "type": "array", "minItems": 1, "maxItems": MAX_READINGS,
    "items": {
        "type": "object", "required": ["device_id", "reading_date", "metric", "value"],
        "properties": {
            "device_id": {"type": "string"}, "school_code": {"type": "string"},
            "reading_date": {"type": "string", "format": "date"}, "metric": {"type": "string"},
            "value": {"type": "number"}, "fault_code": {"type": ["string", "null"]},
        },
    },
}  # fmt: skip
"""The body's schema in the OpenAPI document (the catalog's ``iot_readings`` validates each reading)."""


def _invalid(zh: str, en: str, **details: Any) -> ApiError:
    return ApiError(422, "invalid_request", zh, en, **details)


def _readings(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """The readings of a JSON array or NDJSON body; each must be an object."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid("请求体须为 UTF-8 编码的 JSON", "The body must be JSON in UTF-8") from None
    try:
        if content_type.split(";")[0].strip().lower() in NDJSON:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            items = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _invalid(f"请求体不是合法的 JSON：{exc}", f"The body is not valid JSON: {exc}") from None
    if not isinstance(items, list) or not items:
        raise _invalid("请求体须为非空的读数数组", "The body must be a non-empty array of readings")
    if len(items) > MAX_READINGS:
        raise ApiError(
            413,
            "payload_too_large",
            f"一次最多推送 {MAX_READINGS} 条读数",
            f"At most {MAX_READINGS} readings per request",
        )
    bad = next((i for i, item in enumerate(items, start=1) if not isinstance(item, dict)), None)
    if bad is not None:
        raise _invalid(f"第 {bad} 条读数不是 JSON 对象", f"Reading {bad} is not a JSON object", row=bad)
    return items


async def _body(request: Request, limit_mb: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit_mb << 20:
        raise too_large(limit_mb)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit_mb << 20:
            raise too_large(limit_mb)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/readings", response_model=SubmissionResult, status_code=status.HTTP_201_CREATED,
    responses={422: {"model": SubmissionResult, "description": "Rejected: nothing stored"},
               **error_responses(401, 403, 404, 413)},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": READINGS_SCHEMA},
        "application/x-ndjson": {"schema": {"type": "string"}}}}},
)  # fmt: skip
async def push_readings(
    request: Request,
    home: HomeDep,
    principal: CurrentPrincipal,
    school: Annotated[
        str | None, Query(pattern="^[0-9]{10}$", description="The school (default: the caller's)")
    ] = None,
) -> Any:
    """推送一所学校的物联网读数（JSON 数组或 NDJSON），整批校验并提交 / push one school's IoT readings as one batch."""
    school = await run_in_threadpool(push_school, home, principal, school)  # refused before the body is read
    body = await _body(request, min(MAX_BODY_MB, home.settings.max_upload_mb))
    items = _readings(body, request.headers.get("content-type", "application/json"))
    lines = "\n".join(json.dumps({"school_code": school, **item}, ensure_ascii=False) for item in items)
    result = await run_in_threadpool(_submit, home, principal, lines, school)
    answer = submission_result(result)
    if answer.report.status == "rejected":
        return JSONResponse(answer.model_dump(mode="json"), status_code=422)
    return answer


def _submit(home: Any, principal: Any, lines: str, school: str) -> Any:
    """Write the readings as a JSON Lines file in a private folder, read it under the caps and submit it."""
    folder = Path(tempfile.mkdtemp(prefix="edubrain-iot-"))
    try:
        path = folder / f"iot-readings-{school}.jsonl"
        path.write_text(lines + "\n", encoding="utf-8")
        source = read_source(path, limits=ReadLimits.of(home.settings))
        return submit_for_school(home, principal, source, DATASET, school)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
