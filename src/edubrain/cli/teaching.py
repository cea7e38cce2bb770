"""``edubrain teaching``: teaching quality (教学质量) — item analysis of exams and school value-added."""

from __future__ import annotations

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
    help="教学质量：试题分析（难度、区分度、信度、干扰项）与学校增值评价 / teaching quality: exam item analysis and "
    "school value-added.\n\nExample: edubrain teaching items EXAM_ID --user analyst",
    no_args_is_help=True,
)
USER_OPTION = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份读取 / read as this user.")


@app.command("run")
def run(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """重算试题分析与学校增值评价 / recompute exam_item_statistics, exam_item_options and school_value_added.

    Reads exam_item_results, exam_scores and schools at their current versions and writes the three derived
    datasets as new lake versions with their lineage. Submitting an input does this by itself.

    Example: edubrain teaching run
    """
    from edubrain.jobs.items import run_items
    from edubrain.jobs.value_added import run_value_added

    h = home()
    h.ensure_initialised()
    print_derived_run(run_items(h), fmt)
    print_derived_run(run_value_added(h), fmt)


@app.command("exams")
def exams_command(
    school: str = typer.Option(None, "--school", help="学校标识码 / school code."),
    year: int = typer.Option(None, "--year", help="学年 / school year."),
    user: str = USER_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """可查看的考试及其 α 系数、需复核题数 / the exams in your scope.

    Example: edubrain teaching exams --user school_admin --format csv
    """
    from edubrain.teaching import exams

    h = home()
    found = exams(h, signed_in(h, user), school=school, year=year)
    columns = [
        Col("exam_id", "考试编号", "exam"), Col("school_code", "学校", "school"), Col("school_year", "学年", "year"),
        Col("subject", "学科", "subject"), Col("persons", "考生", "students", "num"),
        Col("alpha", "α", "alpha", "num"), Col("flagged", "需复核", "flagged", "num"),
    ]  # fmt: skip
    print_rows([asdict(e) for e in found], fmt, columns, title=t("考试", "Exams"))


@app.command("items")
def items_command(
    exam_id: str = typer.Argument(..., help="考试编号 / exam id."),
    item: int = typer.Option(None, "--item", help="显示该题的选项分析 / show this item's options."),
    user: str = USER_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """一次考试的各题统计、整卷信度与复核原因；--item 显示选项分析 / an exam's items table (or an item's options).

    Example: edubrain teaching items IA1101080001202522 --item 11
    """
    from edubrain.teaching import exam_items, item_options

    h = home()
    principal = signed_in(h, user)
    if item is not None:
        found = item_options(h, principal, exam_id, item)
        columns = [
            Col("option", "选项", "option"), Col("is_key", "答案", "key"), Col("rate", "选择率", "rate", "num"),
            Col("rate_upper", "高分组", "upper", "num"), Col("rate_lower", "低分组", "lower", "num"),
            Col("flag", "标记", "flag"),
        ]  # fmt: skip
        print_rows([asdict(o) for o in found.options], fmt, columns, title=f"{exam_id} #{item}")
        return
    result = exam_items(h, principal, exam_id)
    rows = [{**asdict(i), "why": t("；".join(i.reasons_zh), "; ".join(i.reasons_en))} for i in result.items]
    columns = [
        Col("item_no", "题号", "item", "num"), Col("difficulty", "难度", "difficulty", "num"),
        Col("discrimination", "区分度", "D", "num"), Col("point_biserial", "点双列", "r_pb", "num"),
        Col("why", "复核原因", "why review", "text"),
    ]  # fmt: skip
    print_rows(rows, fmt, columns, title=exam_id)
    alpha = result.exam.alpha
    note(t(f"Cronbach's α = {alpha:.3f}" if alpha is not None else "α: -", f"alpha = {alpha}"), fmt)


@app.command("value-added")
def value_added_command(
    year: int = typer.Option(None, "--year", help="学年（默认最新）/ school year."),
    subject: str = typer.Option(None, "--subject", help="学科代码（默认数学 14）/ subject code."),
    user: str = USER_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """学校增值效应及 95% 区间（区间重叠不得排名）/ school effects with 95 % intervals.

    Example: edubrain teaching value-added --year 2025 --subject 14 --user analyst
    """
    from edubrain.teaching import school_effects

    h = home()
    view = school_effects(h, signed_in(h, user), year=year, subject=subject)
    columns = [
        Col("school_code", "学校", "school"), Col("students", "学生", "pupils", "num"),
        Col("effect", "效应", "effect", "num"), Col("lower", "下限", "lower", "num"),
        Col("upper", "上限", "upper", "num"), Col("position", "区间位置", "interval"),
    ]  # fmt: skip
    print_rows([asdict(s) for s in view.schools], fmt, columns, title=f"{view.school_year or '-'} {view.subject or ''}")
    note(t(view.warning_zh, view.warning_en), fmt)


def register(parent: typer.Typer) -> None:
    """Add the teaching command group to parent."""
    parent.add_typer(app, name="teaching")
