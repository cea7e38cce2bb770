"""``edubrain at-risk``: students-at-risk early warning (学生发展风险预警) — recompute, counts, list, explain."""

from __future__ import annotations

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
    help="学生发展风险预警：出勤、成绩、体质、学籍异动、品德的可解释积分 / students-at-risk early warning: an "
    "explained points score over attendance, results, fitness, status changes and conduct.\n\n"
    "Example: edubrain at-risk run",
    no_args_is_help=True,
)
USER = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份读取 / read as this user.")
PURPOSE = typer.Option(None, "--purpose", help="用途（必填，审计），如 teaching / purpose (required, audited).")


@app.command("run")
def run(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """重算学生发展风险预警派生数据集 / recompute student_risk_flags.

    Reads students, student_attendance, exam_scores, fitness_scores, student_status_changes, student_conduct and
    schools at their current versions, scores every pupil of the roster's newest school year with the points
    model of analytics/data/at_risk.yaml and writes student_risk_flags as one new lake version with its lineage.
    Submitting an input does this by itself at the end of the session.

    Example: edubrain at-risk run
    """
    from edubrain.jobs.at_risk import run_at_risk

    h = home()
    h.ensure_initialised()
    result = run_at_risk(h)
    print_derived_run(result, fmt)
    note(t(f"学年：{result.school_year or '-'}；预警 {result.flagged} 人", f"year {result.school_year or '-'}; "
           f"{result.flagged} flagged"), fmt)  # fmt: skip


@app.command("summary")
def summary(user: str = USER, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """各单位预警人数 / flagged pupils per organisation of your scope.

    The city counts per district, a district per school (cells below EDUBRAIN_SMALL_CELL_MIN suppressed), a
    school or teacher per class. Pupils and parents are refused.

    Example: edubrain at-risk summary --user haidian_admin
    """
    from edubrain.early_warning import flag_summary

    h = home()
    found = flag_summary(h, signed_in(h, user))
    rows = [{**r.__dict__, "share": "-" if r.share is None else f"{r.share:.1%}"} for r in found.rows]
    columns = [
        Col("org_code", "单位", "organisation"), Col("assessed", "评估人数", "assessed", "num"),
        Col("flagged", "预警", "flagged", "num"), Col("high", "重点关注", "high", "num"),
        Col("share", "预警占比", "share", "num"),
    ]  # fmt: skip
    print_rows(rows if fmt is OutputFormat.table else [r.__dict__ for r in found.rows], fmt, columns,
               title=t(f"{found.school_year or '-'} 学年预警人数", f"Flagged pupils, {found.school_year or '-'}"))  # fmt: skip
    if found.min_count:
        note(t(f"少于 {found.min_count} 人的单元格已抑制（-）", f"cells under {found.min_count} suppressed (-)"), fmt)


@app.command("list")
def list_students(
    purpose: str = PURPOSE,
    class_id: str = typer.Option(None, "--class", help="只看此班 / only this class."),
    user: str = USER,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """本班或本校预警学生及主要原因 / flagged pupils of your classes or school, with the main reasons.

    For teachers and school staff; a purpose is required and every read is audited with it.

    Example: edubrain at-risk list --user teacher1 --purpose teaching
    """
    from edubrain.early_warning import flagged_students

    h = home()
    found = flagged_students(h, signed_in(h, user), purpose=purpose, class_id=class_id)
    rows = [
        {"pseudonym": s.pseudonym, "name": s.name, "class_id": s.class_id, "risk_score": s.risk_score,
         "risk_band": s.risk_band,
         "reasons": "；".join(t(c.title_zh, c.title_en) + f" {c.points:g}" for c in s.contributions)}
        for s in found.students
    ]  # fmt: skip
    columns = [
        Col("pseudonym", "学生假名", "pseudonym"), Col("name", "姓名", "name", "text"), Col("class_id", "班级", "class"),
        Col("risk_score", "总分", "score", "num"), Col("risk_band", "等级", "band"),
        Col("reasons", "贡献指标", "contributing", "text"),
    ]  # fmt: skip
    print_rows(rows, fmt, columns, title=t(f"预警学生（用途：{found.purpose}）", f"Flagged pupils ({found.purpose})"))


@app.command("explain")
def explain(
    pseudonym: str = typer.Argument(..., help="学生假名 / the pupil's pseudonym."),
    purpose: str = PURPOSE,
    user: str = USER,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """一名学生的预警与各指标贡献 / one pupil's flag, indicator by indicator.

    Example: edubrain at-risk explain PABCDEFGHIJKLMNOPQRST --user teacher1 --purpose teaching
    """
    from edubrain.early_warning import student_flag

    h = home()
    found = student_flag(h, signed_in(h, user), pseudonym, purpose=purpose)
    rows = [
        {"indicator": t(c.title_zh, c.title_en), "domain": t(c.domain_zh, c.domain_en), "value": c.value,
         "points": c.points, "rule": t(c.rule_zh, c.rule_en)}
        for c in found.contributions
    ]  # fmt: skip
    columns = [
        Col("indicator", "指标", "indicator", "text"), Col("domain", "领域", "domain"), Col("value", "值", "value", "num"),
        Col("points", "得分", "points", "num"), Col("rule", "规则", "rule", "text"),
    ]  # fmt: skip
    title = t(f"{found.name or found.pseudonym}：{found.risk_score:g} 分（{found.risk_band}）",
              f"{found.name or found.pseudonym}: {found.risk_score:g} points ({found.risk_band})")  # fmt: skip
    print_rows(rows, fmt, columns, title=title)


def register(parent: typer.Typer) -> None:
    """Add the at-risk command group to parent."""
    parent.add_typer(app, name="at-risk")
