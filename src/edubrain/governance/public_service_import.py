"""Batch import of 12345-hotline style records into public-service cases, all or nothing.

The file is CSV (UTF-8 or GBK/GB18030) or XLSX with a header row; columns by Chinese or English name
(:data:`COLUMNS`). Every row is checked (vectorised) before anything is stored; the first problems are reported with
their row (the header is row 1) and column. A record whose 工单编号 is already stored, or repeated in the file, is an
error, so importing the same file twice stores nothing the second time. Only administrators import, and only rows of
districts they act for (a district administrator its own district, the city administrator all).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import select

from edubrain.analytics.routing import default_router
from edubrain.errors import EduBrainError, ValidationFailed
from edubrain.governance.identity import Principal
from edubrain.governance.pseudonyms import pseudonym_key
from edubrain.governance.public_service import TEXT_LIMITS, districts, may_act, new_case
from edubrain.governance.public_service_models import PublicServiceCase
from edubrain.governance.scope import Scope
from edubrain.home import Home
from edubrain.store.db import session_scope

COLUMNS: dict[str, tuple[str, str, bool]] = {
    "record_id": ("工单编号", "record_id", True),
    "received_at": ("受理时间", "received_at", True),
    "district": ("所在区", "district", True),
    "text": ("诉求内容", "text", True),
    "school": ("学校标识码", "school", False),
    "name": ("诉求人", "name", False),
    "phone": ("联系电话", "phone", False),
}
"""field -> (Chinese header, English header, required). 受理时间 is Beijing time, ``YYYY-MM-DD HH:MM[:SS]``."""
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
MAX_PROBLEMS = 20


class ImportRejected(ValidationFailed):
    """The file was not imported; ``details["problems"]`` lists row, column and what is allowed."""


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    imported: int
    triage: int
    codes: list[str]


def read_table(name: str, data: bytes) -> pl.DataFrame:
    """The file's rows as text columns (headers as written)."""
    if len(data) > MAX_BYTES:
        raise ImportRejected(
            f"文件 {name} 超过 {MAX_BYTES // 1048576} MB", f"File {name} is over {MAX_BYTES // 1048576} MB"
        )
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    elif suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                rows = list(csv.reader(io.StringIO(data.decode(encoding))))
                break
            except UnicodeDecodeError:
                continue
    else:
        raise ImportRejected(f"文件 {name}：只接受 .csv 或 .xlsx", f"File {name}: only .csv or .xlsx is accepted")
    if not rows:
        raise ImportRejected(f"文件 {name} 是空的", f"File {name} is empty")
    header = [h.strip() for h in rows[0]]
    body = [r + [""] * (len(header) - len(r)) for r in rows[1:] if any(c.strip() for c in r)]
    if len(body) > MAX_ROWS:
        raise ImportRejected(f"文件 {name} 超过 {MAX_ROWS} 行", f"File {name} has more than {MAX_ROWS} rows")
    return pl.DataFrame([r[: len(header)] for r in body], schema=header, orient="row") if body else pl.DataFrame(
        schema=dict.fromkeys(header, pl.Utf8))  # fmt: skip


def _mapped(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    found: dict[str, str] = {}
    for field, (zh, en, _) in COLUMNS.items():
        for header in frame.columns:
            if header in (zh, en):
                found[header] = field
    missing = [f"{zh}（{en}）" for f, (zh, en, req) in COLUMNS.items() if req and f not in found.values()]
    if missing:
        raise ImportRejected(f"文件 {name} 缺少列：{'、'.join(missing)}", f"File {name} lacks columns: {', '.join(missing)}",
                             problems=[{"row": 1, "column": m} for m in missing])  # fmt: skip
    out = frame.select([pl.col(h).cast(pl.Utf8).str.strip_chars().alias(f) for h, f in found.items()])
    return out.with_columns([pl.lit("").alias(f) for f in COLUMNS if f not in out.columns])


def _problems(home: Home, scope: Scope, frame: pl.DataFrame) -> pl.DataFrame:
    """One line per bad cell: row (the header is 1), column, what is allowed."""
    names = {zh: code for code, (zh, _) in districts(home).items()}
    low, high = TEXT_LIMITS
    acting = [c for c in districts(home) if may_act(scope, c)]
    d = pl.col("district_code")
    checks = [
        ("record_id", pl.col("record_id").str.len_chars().is_between(1, 64).not_(), "必填，最多 64 个字符 / required, ≤ 64 characters"),
        ("received_at", pl.col("when").is_null(), "日期时间 YYYY-MM-DD HH:MM[:SS] / a date-time YYYY-MM-DD HH:MM[:SS]"),
        ("district", d.is_null(), "北京市区代码或区名 / a Beijing district code or name"),
        ("district", d.is_not_null() & d.is_in(acting).not_(), "不在您可办理的区内 / outside the districts you act for"),
        ("text", pl.col("text").str.len_chars().is_between(low, high).not_(), f"{low}–{high} 个字 / {low}–{high} characters"),
        ("school", (pl.col("school") != "") & pl.col("school").str.contains(r"^[0-9]{10}$").not_(), "10 位数字 / 10 digits"),
        ("record_id", pl.col("record_id").is_duplicated(), "文件内重复 / repeated in the file"),
    ]  # fmt: skip
    frame = frame.with_row_index("row", offset=2).with_columns(
        pl.col("received_at").str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
        .fill_null(pl.col("received_at").str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M", strict=False)).alias("when"),
        pl.when(pl.col("district").is_in(list(districts(home)))).then(pl.col("district"))
        .otherwise(pl.col("district").replace_strict(names, default=None)).alias("district_code"),
    )  # fmt: skip
    parts = [frame.filter(test).select("row", pl.lit(COLUMNS[col][0]).alias("column"), pl.lit(rule).alias("allowed"))
             for col, test, rule in checks]  # fmt: skip
    return pl.concat(parts).sort("row", "column")


def import_cases(home: Home, principal: Principal, name: str, data: bytes) -> ImportResult:
    """Check and store a hotline file's records as cases in one transaction (all or nothing).

    Raises:
        ImportRejected: a missing column or bad cells (``details["problems"]``: row, column, allowed), a record
            already stored, or a file too large; nothing is stored.
    """
    scope = Scope.of(home, principal)
    if not any(may_act(scope, c) for c in districts(home)):
        raise ImportRejected(f"{principal.name} 不能导入诉求：需区级或市级管理员",
                             f"{principal.name} may not import cases: a district or city administrator may")  # fmt: skip
    frame = _mapped(name, read_table(name, data))
    problems = _problems(home, scope, frame)
    if problems.height:
        _reject(name, problems.head(MAX_PROBLEMS).to_dicts(), problems.height)
    names = {zh: code for code, (zh, _) in districts(home).items()}
    beijing = dt.timezone(dt.timedelta(hours=8))
    key = pseudonym_key(home.settings)
    routings = default_router().route(frame["text"].to_list())
    with session_scope(home.engine) as session:
        stored = set(session.scalars(select(PublicServiceCase.external_id).where(
            PublicServiceCase.external_id.in_(frame["record_id"].to_list()))))  # fmt: skip
        if stored:
            rows = frame.with_row_index("row", offset=2).filter(pl.col("record_id").is_in(list(stored)))
            _reject(name, [{"row": r, "column": "工单编号", "allowed": "已导入过 / already imported"}
                           for r in rows["row"].head(MAX_PROBLEMS)], rows.height)  # fmt: skip
        codes = []
        for rec, routing in zip(frame.iter_rows(named=True), routings, strict=True):
            when = _when(rec["received_at"]).replace(tzinfo=beijing).astimezone(dt.UTC)
            row, _ = new_case(session, key, text=rec["text"], district=names.get(rec["district"], rec["district"]),
                              school=rec["school"] or None, name=rec["name"], phone=rec["phone"], channel="hotline",
                              received_at=when, actor=principal.id, routing=routing, external_id=rec["record_id"])  # fmt: skip
            codes.append(row.code)
    return ImportResult(len(codes), sum(r.triage for r in routings), codes)


def _when(value: str) -> dt.datetime:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise EduBrainError(value, value)  # checked before: unreachable


def _reject(name: str, problems: list[dict[str, object]], total: int) -> None:
    first = problems[0]
    raise ImportRejected(
        f"文件 {name} 未导入（共 {total} 处问题）：第 {first['row']} 行“{first['column']}”列应为 {first['allowed']}",
        f"File {name} was not imported ({total} problems): row {first['row']}, column {first['column']} must be "
        f"{first['allowed']}", file=name, problems=problems, total=total,
    )  # fmt: skip
