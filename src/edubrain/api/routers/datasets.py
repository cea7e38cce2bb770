"""``/api/v1/datasets``: scoped, masked, paged reads with filters and sorting, exports, versions.

Every read goes through :func:`edubrain.governance.readpath.read_dataset`:
rows outside the caller's scope are absent, fields above its clearance are
masked or withheld, unmasked reads of personal information are audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.dataclasses import dataclass as pydantic_dataclass

from edubrain.api.deps import CurrentPrincipal, DatasetId, HomeDep
from edubrain.api.errors import error_responses
from edubrain.api.files import MEDIA_TYPES, file_content, file_response, table_bytes
from edubrain.api.schemas import MAX_INT
from edubrain.governance import policy
from edubrain.governance.exports import read_for_export
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import ReadResult, read_dataset
from edubrain.governance.submissions import VersionEntry, dataset_versions
from edubrain.home import Home

router = APIRouter(prefix="/datasets", tags=["datasets"])
MAX_PAGE = 1000
PURPOSES = sorted(v for p in policy.purposes().values() if not p.automatic for v in (p.id, p.title_zh))
"""What ``purpose`` may be: a declared purpose's id or Chinese title."""
READ_ERRORS = error_responses(400, 401, 403, 404)


@dataclass(frozen=True)
class ReadParams:
    """What to read, common to pages and exports."""

    filters: dict[str, list[str]]
    sort: list[str]
    purpose: str | None
    version: int | None


def read_params(
    filter: Annotated[
        list[Annotated[str, StringConstraints(pattern="^[^:]+:")]],
        Query(description="field:value, repeatable; the same field twice means either value"),
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    sort: Annotated[str | None, Query(max_length=500, description="Fields, comma-separated; -field descending")] = None,
    purpose: Annotated[
        str | None,
        Query(
            description="Purpose to unmask L4 fields (id or Chinese title; audited)",
            json_schema_extra={"enum": PURPOSES},
        ),
    ] = None,
    version: Annotated[int | None, Query(ge=0, le=MAX_INT, description="Lake version (default the newest)")] = None,
) -> ReadParams:
    """Parse the query parameters of a read."""
    filters: dict[str, list[str]] = {}
    for item in filter:
        name, _, value = item.partition(":")
        filters.setdefault(name, []).append(value)
    fields = [s.strip() for s in (sort or "").split(",") if s.strip()]
    return ReadParams(filters, fields, purpose, version)


ReadDep = Annotated[ReadParams, Depends(read_params)]


def read(home: Home, principal: Principal, dataset_id: str, params: ReadParams, **page: Any) -> ReadResult:
    """Read through the one read path with ``params``."""
    return read_dataset(
        home, principal, dataset_id, filters=dict(params.filters), sort=params.sort,
        purpose=params.purpose, version=params.version, **page,
    )  # fmt: skip


class RowPage(BaseModel):
    """A page of rows, as the caller may see them."""

    data: list[dict[str, Any]]
    count: int = Field(description="Rows matching in the caller's scope, over all pages")
    limit: int
    offset: int
    version: int | None = Field(description="The lake version read")
    masked: list[str] = Field(description="Fields masked for some rows (e.g. 张*)")
    withheld: list[str] = Field(description="Fields withheld (null) for some rows")
    unmasked_personal: list[str] = Field(description="Personal fields shown unmasked (the read is audited)")
    purpose: str | None


@pydantic_dataclass(frozen=True, config=ConfigDict(title="VersionPublic"))
class VersionPublic(VersionEntry):
    """One version of a dataset: its lake version, when it was written (ISO 8601, UTC) and by which operation.

    A version made by a submission names its batch, organisation, mode and file and counts the rows it
    added, changed and retired; a version made otherwise may have null batch fields and zero counts.
    """


@router.get("/{dataset_id}/rows", response_model=RowPage, responses=READ_ERRORS)
def rows(
    dataset_id: DatasetId,
    home: HomeDep,
    principal: CurrentPrincipal,
    params: ReadDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> RowPage:
    """按范围、脱敏、分页读取数据集 / a page of the rows the caller may see, masked to its clearance."""
    result = read(home, principal, dataset_id, params, limit=limit, offset=offset)
    return RowPage(
        data=result.table.to_pylist(), count=result.total, limit=limit, offset=offset, version=result.version,
        masked=result.masked, withheld=result.withheld, unmasked_personal=result.unmasked_personal,
        purpose=result.purpose,
    )  # fmt: skip


@router.get(
    "/{dataset_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "CSV, XLSX or Parquet",
            "content": {
                **file_content(MEDIA_TYPES["csv"]),
                **file_content(MEDIA_TYPES["xlsx"]),
                **file_content(MEDIA_TYPES["parquet"]),
            },
        },
        **READ_ERRORS,
    },
)
def export(
    dataset_id: DatasetId,
    home: HomeDep,
    principal: CurrentPrincipal,
    params: ReadDep,
    format: Literal["csv", "xlsx", "parquet"] = "csv",
) -> Response:
    """导出调用者可见的全部行（CSV、XLSX、Parquet），记入审计 / export every row the caller may see (audited)."""
    result = read_for_export(
        home, principal, dataset_id, format, filters=dict(params.filters), sort=params.sort,
        purpose=params.purpose, version=params.version,
    )  # fmt: skip
    content = table_bytes(result.table, format)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    return file_response(content, format, f"{dataset_id}-v{result.version}-{stamp}.{format}")


@router.get("/{dataset_id}/versions", response_model=list[VersionPublic], responses=error_responses(401, 403, 404))
def versions(dataset_id: DatasetId, home: HomeDep, principal: CurrentPrincipal) -> list[VersionPublic]:
    """数据集的版本历史（仅本范围内单位的批次） / a dataset's versions made in the caller's scope, newest first."""
    return [VersionPublic(**e.__dict__) for e in dataset_versions(home, principal, dataset_id)]
