"""``/api/v1/catalog`` and ``/api/v1/code-tables``: the catalog, its exports and the Excel templates (public)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from edubrain.api.deps import HomeDep
from edubrain.api.errors import ApiError, error_responses
from edubrain.api.files import MEDIA_TYPES, file_content, file_response
from edubrain.catalog.export_dcat import dcat_catalog
from edubrain.catalog.export_frictionless import export_frictionless
from edubrain.catalog.models import CodeTable, Dataset
from edubrain.catalog.template_xlsx import write_template

router = APIRouter(tags=["catalog"])


class DatasetSummary(BaseModel):
    """A dataset as listed in the catalog."""

    id: str
    title_zh: str
    title_en: str
    owner_level: str
    sharing: str
    update_frequency: str
    fields: int
    derived: bool


class DatasetList(BaseModel):
    """The catalog's datasets."""

    data: list[DatasetSummary]
    count: int


class CodeTableSummary(BaseModel):
    """A code table as listed."""

    id: str
    title_zh: str
    title_en: str
    standard: str
    codes: int


@router.get("/catalog", response_model=DatasetList, responses=error_responses())
def list_datasets(home: HomeDep) -> DatasetList:
    """数据目录：全部数据集 / every dataset of the catalog."""
    data = [
        DatasetSummary(
            id=d.id, title_zh=d.title_zh, title_en=d.title_en, owner_level=d.owner_level, sharing=d.sharing,
            update_frequency=d.update_frequency, fields=len(d.fields), derived=d.derived,
        )
        for d in home.catalog.datasets.values()
    ]  # fmt: skip
    return DatasetList(data=data, count=len(data))


@router.get("/catalog/{dataset_id}", response_model=Dataset, responses=error_responses(404))
def show_dataset(dataset_id: str, home: HomeDep) -> Dataset:
    """一个数据集的完整声明：字段、代码表、分级、共享、规则 / one dataset's full declaration."""
    return home.catalog.dataset(dataset_id)


@router.get(
    "/catalog/{dataset_id}/template",
    responses={200: {"content": file_content(MEDIA_TYPES["xlsx"]), "description": "XLSX"}, **error_responses(404)},
    response_class=Response,
)
def template(dataset_id: str, home: HomeDep, lang: Literal["zh", "en"] = "zh") -> Response:
    """学校填报用的 Excel 模板（带下拉框与说明） / the Excel template a school fills in."""
    dataset = home.catalog.dataset(dataset_id)
    with tempfile.TemporaryDirectory(prefix="edubrain-template-") as folder:
        content = write_template(dataset, home.catalog, Path(folder) / "t.xlsx", lang=lang).read_bytes()
    title = dataset.title_zh if lang == "zh" else dataset.title_en
    return file_response(content, "xlsx", f"{title}模板.xlsx" if lang == "zh" else f"{title} template.xlsx")


@router.get(
    "/catalog/export/frictionless",
    responses={200: {"content": file_content("application/zip"), "description": "ZIP"}, **error_responses()},
    response_class=Response,
)
def export_frictionless_package(home: HomeDep) -> Response:
    """Frictionless 数据包（datapackage.json 与 CSV，ZIP） / the Frictionless Data Package as a ZIP."""
    sink = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="edubrain-package-") as folder, zipfile.ZipFile(sink, "w") as archive:
        export_frictionless(home.catalog, Path(folder))
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    headers = {"Content-Disposition": 'attachment; filename="edubrain-datapackage.zip"'}
    return Response(sink.getvalue(), media_type="application/zip", headers=headers)


@router.get(
    "/catalog/export/dcat",
    responses={
        200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}, "description": "JSON-LD"},
        **error_responses(),
    },
    response_class=JSONResponse,
)
def export_dcat_catalog(request: Request, home: HomeDep) -> JSONResponse:
    """DCAT 3 目录（JSON-LD），URI 以本服务地址为前缀 / the DCAT 3 catalog in JSON-LD."""
    document: dict[str, Any] = dcat_catalog(home.catalog, f"{request.base_url}api/v1/catalog/")
    return JSONResponse(document, media_type="application/ld+json")


@router.get("/code-tables", response_model=list[CodeTableSummary], responses=error_responses())
def list_code_tables(home: HomeDep) -> list[CodeTableSummary]:
    """代码表列表 / the code tables."""
    return [
        CodeTableSummary(id=t.id, title_zh=t.title_zh, title_en=t.title_en, standard=t.standard, codes=len(t.codes))
        for t in home.catalog.code_tables.values()
    ]


@router.get("/code-tables/{table_id}", response_model=CodeTable, responses=error_responses(404))
def show_code_table(table_id: str, home: HomeDep) -> CodeTable:
    """一个代码表的全部代码 / one code table with its codes."""
    table = home.catalog.code_tables.get(table_id)
    if table is None:
        raise ApiError(
            404, "unknown_code_table", f"没有代码表 {table_id!r}", f"No code table {table_id!r}", table=table_id
        )
    return table
