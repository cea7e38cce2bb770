"""``edubrain training``: training coverage (培训覆盖) — recompute it, backtest its forecast, list who is behind."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import typer

from edubrain.cli.common import (
    FORMAT_OPTION,
    Col,
    CommandGroup,
    OutputFormat,
    home,
    note,
    print_derived_run,
    print_rows,
    signed_in,
    t,
)

app = CommandGroup(
    help="培训覆盖：校长、教师培训学时与三年覆盖、未达标预测、区级行动清单 / training coverage: hours against the "
    "targets, three-year coverage, who will miss, the district's action list.\n\nExample: edubrain training run",
    no_args_is_help=True,
)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(t(f"日期应为 YYYY-MM-DD：{value}", f"a date is YYYY-MM-DD: {value}")) from None


@app.command("run")
def run(
    as_of: str = typer.Option(
        None, "--as-of", help="评估日 YYYY-MM-DD（默认：最近一条培训的结束日期）/ judgement date."
    ),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """重算培训覆盖派生数据集 / recompute training_coverage.

    Reads training_records, teachers, teacher_assignments and schools at their current versions (the engine of
    EDUBRAIN_ENGINE), judges every principal's and teacher's hours on the date (default: the end date of the
    latest training reported) and writes training_coverage as one new lake version with its lineage. Submitting
    an input does this by itself at the end of the session; use --as-of to judge on another date.

    Example: edubrain training run --as-of 2025-06-30
    """
    from edubrain.jobs.training import run_training

    h = home()
    h.ensure_initialised()
    result = run_training(h, as_of=_date(as_of))
    print_derived_run(result, fmt)
    day = "-" if result.as_of is None else result.as_of.isoformat()
    note(t(f"评估日：{day}", f"judgement date: {day}"), fmt)


@app.command("backtest")
def backtest(
    year: list[int] = typer.Option([], "--year", help="回测年度，可重复（默认：有历史且已结束的年度）/ years."),
    day: str = typer.Option(None, "--day", help="每年预测的日期 MM-DD（默认 06-30）/ forecast day of each year."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """回测未达标预测：各年在同一日期预测，与年底结果比较 / backtest the forecast of who will miss.

    For every year, forecasts on the day (default 30 June) from what had been reported by then, compares with
    the year's end and prints people counted, forecast to miss, missed, hits, precision and recall.

    Example: edubrain training backtest --day 09-30
    """
    from edubrain.jobs.training import run_backtest

    h = home()
    h.ensure_initialised()
    try:
        result = run_backtest(h, years=year or None, day=day)
    except ValueError as exc:
        raise typer.BadParameter(t(f"无法回测：{exc}", f"cannot backtest: {exc}")) from None
    columns = [
        Col("year", "年度", "year"), Col("as_of", "预测日", "forecast on"), Col("people", "人数", "people", "num"),
        Col("forecast_miss", "预测未达标", "forecast to miss", "num"), Col("missed", "实际未达标", "missed", "num"),
        Col("hits", "命中", "hits", "num"), Col("precision", "精确率", "precision", "num"),
        Col("recall", "召回率", "recall", "num"),
    ]  # fmt: skip
    rows = [{**r, "precision": _pct(r["precision"]), "recall": _pct(r["recall"])} for r in result.rows]
    print_rows(rows if fmt is OutputFormat.table else result.rows, fmt, columns, title=t("预测回测", "Backtest"))


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


@app.command("at-risk")
def at_risk(
    district: str = typer.Option(None, "--district", help="区划代码 / district code, e.g. 110108."),
    school: str = typer.Option(None, "--school", help="学校标识码 / school code."),
    year: int = typer.Option(None, "--year", help="培训年度（默认最新）/ training year (default the newest)."),
    user: str = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份读取 / read as this user."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """区级行动清单：预计或已未达标的校长、教师 / the principals and teachers behind the target.

    Signs in (password from EDUBRAIN_PASSWORD or prompted) and reads through governance: a district sees its
    schools, a school its own staff; names are masked below the clearance for personal information, and an
    unmasked read is audited (--format csv or json is recorded as an export). Lists school, name, role, status,
    hours so far, hours still needed and the year-end forecast.

    Example: edubrain training at-risk --district 110108 --format csv
    """
    from edubrain.training import action_list

    h = home()
    principal = signed_in(h, user)
    export = None if fmt is OutputFormat.table else fmt.value
    found = action_list(h, principal, year=year, district=district, school=school, export_format=export)
    rows = [asdict(p) for p in found.people]
    columns = [
        Col("school_code", "学校", "school"), Col("name", "姓名", "name", "text"), Col("role", "角色", "role"),
        Col("status", "状态", "status"), Col("hours", "已完成", "hours", "num"),
        Col("hours_needed", "尚需", "needed", "num"), Col("projected_hours", "预测", "projected", "num"),
    ]  # fmt: skip
    title = t(
        f"{found.year or '-'} 年度未达标及有风险人员（评估日 {found.as_of or '-'}）", f"Behind in {found.year or '-'}"
    )
    shown = (
        rows
        if fmt is not OutputFormat.table
        else [{**r, "projected_hours": round(r["projected_hours"], 1)} for r in rows]
    )
    print_rows(shown, fmt, columns, title=title)
    if found.masked:
        note(t(f"已脱敏：{', '.join(found.masked)}", f"masked: {', '.join(found.masked)}"), fmt)


def register(parent: typer.Typer) -> None:
    """Add the training command group to parent."""
    parent.add_typer(app, name="training")
