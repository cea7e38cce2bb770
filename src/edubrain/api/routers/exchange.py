"""``/api/v1/exchange``: node clients push batches and pull the changes of a dataset inside their scope.

Changes since version N (see ``docs/api.md``): every row written by versions
N+1 … current that the node may see, as an ``upsert`` with its row key
``_key``; and the ``_key`` of every row the node could see at version N and
cannot now (retired by its owner, or moved out of the node's scope), as a
``retire``. Applying them in order to a copy taken at version N gives the
node's view of the current version. Without ``since``, everything in scope is
sent as upserts (a full copy).
"""

from __future__ import annotations

from typing import Annotated, Literal

import polars as pl
from fastapi import APIRouter, Query, Request, status
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from edubrain.api.deps import DatasetId, HomeDep, NodePrincipal
from edubrain.api.errors import error_responses
from edubrain.api.files import MEDIA_TYPES, file_content, file_response, table_bytes
from edubrain.api.routers.submissions import submission_result
from edubrain.api.schemas import MAX_INT, SubmissionResult
from edubrain.api.uploads import PushForm, multipart_body, received_upload, submit_upload
from edubrain.exchange.nodes import NO_VERSION, OP, SINCE_HEADER, VERSION_HEADER
from edubrain.governance.readpath import ROW_KEY, read_dataset

router = APIRouter(prefix="/exchange", tags=["exchange"])


@router.post(
    "/{dataset_id}/batches", response_model=SubmissionResult, status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 413, 503), openapi_extra=multipart_body(PushForm),
)  # fmt: skip
async def push(dataset_id: DatasetId, request: Request, home: HomeDep, node: NodePrincipal) -> SubmissionResult:
    """节点推送一批数据（以 API 密钥所属单位报送） / a node pushes a batch, as its API key's organisation.

    A multipart form: the part ``file`` and the fields of :class:`~edubrain.api.uploads.PushForm`, read
    only after the key is checked (see :mod:`edubrain.api.uploads`).
    """
    home.catalog.dataset(dataset_id)
    async with received_upload(request, home.settings) as upload:
        form = upload.form(PushForm)
        result = await run_in_threadpool(
            submit_upload, home, node, upload, dataset_id, node.grants[0].org_code,
            mode=form.mode, accept_valid=form.accept_valid,
        )  # fmt: skip
    return submission_result(result)


@router.get(
    "/{dataset_id}/changes",
    response_class=Response,
    responses={
        200: {
            "description": "Rows with _op (upsert | retire) and _key; headers X-EduBrain-Version, X-EduBrain-Since",
            "content": {**file_content(MEDIA_TYPES["parquet"]), **file_content(MEDIA_TYPES["jsonl"])},
        },
        **error_responses(400, 401, 403, 404, 503),
    },
)
def changes(
    dataset_id: DatasetId,
    home: HomeDep,
    node: NodePrincipal,
    since: Annotated[
        int | None, Query(ge=0, le=MAX_INT, description="The version the node holds; omit for a full copy")
    ] = None,
    format: Literal["parquet", "jsonl"] = "parquet",
) -> Response:
    """节点拉取数据集自版本 N 以来在其范围内的变化 / the changes of a dataset since version N in the node's scope."""
    result = read_dataset(home, node, dataset_id, changed_since=since, row_key=True)
    upserts = pl.from_arrow(result.table)
    assert isinstance(upserts, pl.DataFrame)
    retired = pl.DataFrame({ROW_KEY: result.retired}, schema={ROW_KEY: pl.String})
    frame = pl.concat(
        [upserts.with_columns(pl.lit("upsert").alias(OP)), retired.with_columns(pl.lit("retire").alias(OP))],
        how="diagonal",
    )
    version = NO_VERSION if result.version is None else str(result.version)
    headers = {VERSION_HEADER: version, SINCE_HEADER: NO_VERSION if since is None else str(since)}
    name = f"{dataset_id}-{since if since is not None else 'full'}-{version}.{format}"
    return file_response(table_bytes(frame.to_arrow(), format), format, name, headers)
