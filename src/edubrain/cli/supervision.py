"""``edubrain supervision``: graded supervision of training providers (信用分级分类监管)."""

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
    help="信用分级分类监管：校外培训机构信用分、等级、监管频次与扣分说明 / graded supervision of training providers: "
    "credit score, grade, inspection interval and the explanation.\n\nExample: edubrain supervision run",
    no_args_is_help=True,
)
USER = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份读取 / read as this user.")
DISTRICT = typer.Option(None, "--district", help="区划代码 / district code, e.g. 110108.")
GRADE = typer.Option(None, "--grade", help="信用等级 A–D / grade.")


@app.command("run")
def run(
    as_of: str = typer.Option(None, "--as-of", help="评估日 YYYY-MM-DD（默认：最近的检查或投诉日期）/ judgement date."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """重算信用等级派生数据集 / recompute provider_credit_items, provider_credit_grades and provider_public_grades.

    Reads the provider register, inspections and complaints at their current versions and scores every provider
    with the city's model (analytics/data/provider_credit.yaml). Submitting an input does this by itself.

    Example: edubrain supervision run --as-of 2026-06-30
    """
    from edubrain.jobs.supervision import run_supervision

    try:
        day = None if as_of is None else dt.date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter(t(f"日期应为 YYYY-MM-DD：{as_of}", f"a date is YYYY-MM-DD: {as_of}")) from None
    h = home()
    h.ensure_initialised()
    result = run_supervision(h, as_of=day)
    print_derived_run(result, fmt)
    note(t(f"评估日：{result.as_of}", f"judgement date: {result.as_of}"), fmt)


@app.command("grades")
def grades(district: str = DISTRICT, grade: str = GRADE, user: str = USER, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """辖区机构信用等级与下次检查到期日 / the providers supervised, soonest inspection first.

    A district's officers see their district, the city all (read through governance).

    Example: edubrain supervision grades --district 110108 --grade D --user haidian
    """
    from edubrain.supervision import grade_board

    h = home()
    board = grade_board(h, signed_in(h, user), district=district, grade=grade)
    columns = [
        Col("provider_code", "统一社会信用代码", "code"), Col("name", "机构名称", "name", "text"),
        Col("district_code", "区", "district"), Col("score", "信用分", "score", "num"), Col("grade", "等级", "grade"),
        Col("next_inspection_due", "下次检查", "next due"), Col("top_items", "主要扣分事项", "largest items", "text"),
    ]  # fmt: skip
    print_rows(
        [asdict(p) for p in board.providers], fmt, columns, title=t(f"评估日 {board.as_of}", f"As of {board.as_of}")
    )


@app.command("explain")
def explain(code: str = typer.Argument(..., help="统一社会信用代码 / the provider's code."), user: str = USER,
            fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """一个机构的每一项加减分及来源记录 / every item of one provider's score and its record.

    Example: edubrain supervision explain 91110108MA01ABCD2X --user haidian
    """
    from edubrain.supervision import provider_detail

    h = home()
    found = provider_detail(h, signed_in(h, user), code)
    columns = [
        Col("record_date", "日期", "date"), Col("source_dataset", "来源", "source"), Col("record_id", "记录", "record"),
        Col("kind", "类型", "kind"), Col("base_points", "基础分", "base", "num"), Col("weight", "权重", "weight", "num"),
        Col("points", "计入", "points", "num"),
    ]  # fmt: skip
    p = found.provider
    title = t(f"{p.name} 信用分 {p.score}，等级 {p.grade}", f"{p.name}: score {p.score}, grade {p.grade}")
    print_rows([asdict(i) for i in found.items], fmt, columns, title=title)


@app.command("public")
def public(district: str = DISTRICT, grade: str = GRADE, user: str = USER, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """公示名单：机构与等级（无分数）/ the public list of grades.

    Example: edubrain supervision public --district 110105 --user citizen
    """
    from edubrain.supervision import public_list

    h = home()
    found = public_list(h, signed_in(h, user), district=district, grade=grade)
    columns = [Col("provider_code", "统一社会信用代码", "code"), Col("name", "机构名称", "name", "text"),
               Col("district_code", "区", "district"), Col("grade", "等级", "grade")]  # fmt: skip
    print_rows([asdict(p) for p in found.providers], fmt, columns)


def register(parent: typer.Typer) -> None:
    """Add the supervision command group to parent."""
    parent.add_typer(app, name="supervision")
