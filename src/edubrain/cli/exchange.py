"""``edubrain ingest``, ``edubrain history`` and ``edubrain batches``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from sqlalchemy import select

from edubrain.cli.common import (
    FORMAT_OPTION,
    JSON_OPTION,
    Col,
    OutputFormat,
    beijing_minute,
    chosen_format,
    console,
    home,
    print_json,
    print_rows,
    t,
)
from edubrain.exchange.ingest import IngestResult, Mode, ingest_file, settle_pending
from edubrain.store.db import session_scope
from edubrain.store.history import dataset_history
from edubrain.store.lineage import Lineage, derived_lineage
from edubrain.store.models import SubmissionBatch

SHOWN_GROUPS = 30


def register(app: typer.Typer) -> None:
    """Add the commands to app."""
    app.command("ingest")(ingest)
    app.command("history")(history)
    app.command("batches")(batches)


def ingest(
    file: Path = typer.Argument(..., help="CSV（UTF-8/GBK）、XLSX 或 JSON Lines 文件 / the file."),
    dataset: str = typer.Option(..., "--dataset", "-d", help="数据集 id / dataset id."),
    org: str = typer.Option(..., "--org", help="报送单位代码（市、区或学校标识码） / submitting organisation."),
    mode: str = typer.Option("upsert", "--mode", help="upsert | replace-scope"),
    accept_valid: bool = typer.Option(False, "--accept-valid", help="提交有效行，报告其余 / commit the valid rows."),
    sheet: str = typer.Option(None, "--sheet", help="XLSX 工作表名 / XLSX sheet."),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出完整报告 / print the full report as JSON."),
) -> None:
    """校验并提交一个文件 / validate a file and commit it as one batch.

    Exit codes: 0 committed (or unchanged), 1 rejected by validation, 2 usage error or unreadable file.

    Example: edubrain ingest 学生.csv --dataset students --org 1101080001
    """
    if mode not in ("upsert", "replace-scope"):
        typer.echo(
            t("错误 / error: --mode 只能是 upsert 或 replace-scope", "error: --mode must be upsert or replace-scope"),
            err=True,
        )
        raise typer.Exit(2)
    chosen: Mode = "replace-scope" if mode == "replace-scope" else "upsert"
    result = ingest_file(home(), file, dataset, org, mode=chosen, accept_valid=accept_valid, sheet=sheet)
    if as_json:
        print_json(
            {
                **result.report.model_dump(mode="json"),
                "problems": result.problems.to_dicts(),
                "warnings_list": result.warnings.to_dicts(),
            }
        )
    else:
        print_report(result)
    raise typer.Exit(1 if result.report.status == "rejected" else 0)


def print_report(result: IngestResult) -> None:
    """Print a submission report: the summary line and its problems grouped by cause."""
    r = result.report
    console.print(
        t(
            f"{r.file}（{r.file_format}，{r.encoding}）→ {r.dataset}，单位 {r.org}：读取 {r.rows_read} 行，"
            f"接受 {r.rows_accepted}，拒绝 {r.rows_rejected}",
            f"{r.file} ({r.file_format}, {r.encoding}) -> {r.dataset} as {r.org}: {r.rows_read} rows read, "
            f"{r.rows_accepted} accepted, {r.rows_rejected} rejected",
        )
    )
    if r.groups:
        view = Table(
            title=t(f"问题（{r.problem_count} 个，按原因归并）", f"Problems ({r.problem_count}, grouped by cause)")
        )
        for col in (
            t("行数", "rows"),
            t("列", "column"),
            t("规则", "rule"),
            t("示例行", "example rows"),
            t("说明", "message"),
        ):
            view.add_column(col, overflow="fold")
        for g in r.groups[:SHOWN_GROUPS]:
            rows = ", ".join(str(n) for n in g.rows[:5]) or t("整个文件", "whole file")
            view.add_row(str(g.count), g.column, g.rule, rows, g.message_zh if t("zh", "en") == "zh" else g.message_en)
        console.print(view)
        if len(r.groups) > SHOWN_GROUPS:
            console.print(
                t(
                    f"……另有 {len(r.groups) - SHOWN_GROUPS} 类问题，用 --json 查看全部",
                    f"... {len(r.groups) - SHOWN_GROUPS} more causes; use --json",
                )
            )
    for w in r.warnings:
        console.print(
            f"[yellow]{t('提醒', 'Warning')}：{w.message_zh if t('zh', 'en') == 'zh' else w.message_en}[/yellow]"
        )
    style = {"committed": "green", "unchanged": "cyan", "rejected": "red"}[r.status]
    console.print(f"[{style}]{r.message_zh if t('zh', 'en') == 'zh' else r.message_en}[/{style}]")


HISTORY_COLUMNS = [
    Col("version", "版本", "version", "num"),
    Col("time", "时间（北京）", "time (Beijing)"),
    Col("org", "单位", "org"),
    Col("mode", "方式", "mode"),
    Col("file", "文件", "file", "text"),
    Col("added", "新增", "added", "num"),
    Col("changed", "更新", "changed", "num"),
    Col("retired", "退出", "retired", "num"),
]
DERIVED_COLUMNS = [
    Col("version", "版本", "version", "num"),
    Col("time", "时间（北京）", "time (Beijing)"),
    Col("job", "作业", "job"),
    Col("input_versions", "输入（版本）", "inputs (version)"),
    Col("rows_written", "写入行数", "rows written", "num"),
]


def history(dataset: str, fmt: OutputFormat = FORMAT_OPTION, as_json: bool = JSON_OPTION) -> None:
    """列出数据集的版本 / list a dataset's versions.

    A submitted dataset's version shows its organisation, mode, file and the rows it added, changed and retired;
    a derived dataset's (fitness_scores, place_forecasts ...) the job that computed it, the version of each input
    it read and the rows it wrote. csv and json add the batch ids.

    Example: edubrain history students --format csv
    """
    fmt = chosen_format(fmt, as_json)
    h = home()
    derived = h.catalog.dataset(dataset).derived
    h.ensure_initialised()
    with h.write_lock(), h.key_index() as index:
        settle_pending(h, index)
    lineage = derived_lineage(h.lake, dataset)
    rows = [{**e.__dict__, **_lineage_fields(lineage.get(e.version))} for e in dataset_history(h.lake, dataset)]
    if fmt is OutputFormat.table:
        rows = [{**row, "time": beijing_minute(row["time"])} for row in rows]
    columns = DERIVED_COLUMNS if derived else HISTORY_COLUMNS
    print_rows(rows, fmt, columns, title=t(f"{dataset} 的版本", f"Versions of {dataset}"))


def _lineage_fields(lineage: Lineage | None) -> dict[str, Any]:
    """A derived version's job, inputs (``{dataset: version}`` and as lines ``dataset vN``) and rows written."""
    if lineage is None:
        return {}
    lines = [f"{name} v{'-' if v is None else v}" for name, v in lineage.inputs.items()]
    return {"job": lineage.job, "inputs": lineage.inputs, "input_versions": lines, "rows_written": lineage.rows}


BATCH_COLUMNS = [
    Col("time", "时间（北京）", "time (Beijing)"),
    Col("dataset", "数据集", "dataset"),
    Col("org", "单位", "org"),
    Col("result", "结果", "result"),
    Col("read", "读取", "read", "num"),
    Col("rejected", "拒绝", "rejected", "num"),
]
STATUS_ZH = {"committed": "已提交", "rejected": "已拒绝", "unchanged": "无变化", "pending": "处理中"}


def batches(
    org: str = typer.Option(None, "--org", help="只看某单位 / only this organisation."),
    dataset: str = typer.Option(None, "--dataset", "-d", help="只看某数据集 / only this dataset."),
    limit: int = typer.Option(50, "--limit", help="最多显示条数 / at most this many."),
    fmt: OutputFormat = FORMAT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """列出提交批次（含被拒绝的） / list submission batches, rejected ones included.

    The table shows when (Beijing time), which dataset, which organisation, the outcome (the version a committed
    batch made) and the rows read and rejected; csv and json add the batch id, the file name, the status, the
    time in UTC and the rows added, changed and retired.

    Example: edubrain batches --org 1101080001 --format json
    """
    fmt = chosen_format(fmt, as_json)
    h = home()
    h.ensure_initialised()
    query = select(SubmissionBatch).order_by(SubmissionBatch.created_at.desc()).limit(limit)
    if org:
        query = query.where(SubmissionBatch.org_code == org)
    if dataset:
        query = query.where(SubmissionBatch.dataset == dataset)
    with session_scope(h.engine) as session:
        data = [_batch_row(b, fmt) for b in session.scalars(query)]
    print_rows(data, fmt, BATCH_COLUMNS, title=t("提交批次", "Submission batches"))


def _batch_row(b: SubmissionBatch, fmt: OutputFormat) -> dict[str, Any]:
    row: dict[str, Any] = {
        "batch": b.id,
        "time": b.created_at.isoformat(timespec="seconds"),
        "dataset": b.dataset,
        "org": b.org_code,
        "file": b.source_name,
        "status": b.status,
        "version": b.lake_version,
        "read": b.rows_read,
        "rejected": b.rows_rejected,
        "added": b.rows_added,
        "changed": b.rows_changed,
        "retired": b.rows_retired,
    }
    if fmt is OutputFormat.table:  # the version a committed batch made, or what became of it
        row["time"] = beijing_minute(b.created_at)
        row["result"] = (
            f"v{b.lake_version}" if b.status == "committed" else t(STATUS_ZH.get(b.status, b.status), b.status)
        )
    return row
