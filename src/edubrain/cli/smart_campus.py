"""``edubrain smart-campus``: recompute the smart-campus scores (智慧校园达标评定), read the 达标率 and the shortlist."""

from __future__ import annotations

from pathlib import Path

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
    state,
    t,
)

app = CommandGroup(
    help="智慧校园达标评定：得分、达标率与示范校候选名单 / smart-campus evaluation: scores, rate, shortlist."
    "\n\nExample: edubrain smart-campus status --user city",
    no_args_is_help=True,
)
USER_OPTION = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份读取 / read as this user.")
YEAR_OPTION = typer.Option(None, "--year", help="学年（默认最新）/ school year (default the newest).")


@app.command("run")
def run(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """重算智慧校园评定得分 / recompute smart_campus_scores for every school and year of evaluation.

    Reads school_infrastructure, facility_indicators, training_coverage and schools (current versions) on the
    engine of EDUBRAIN_ENGINE and the self-assessments of the workflow, scores every school against
    analytics/data/smart_campus.yaml and writes smart_campus_scores as one new lake version with its lineage
    (the workflow's revision included). Each workflow step does this already; use it after changing the framework.

    Example: edubrain smart-campus run
    """
    from edubrain.jobs.smart_campus import run_smart_campus

    h = home()
    h.ensure_initialised()
    print_derived_run(run_smart_campus(h), fmt)


@app.command("status")
def status(year: int = YEAR_OPTION, user: str = USER_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """达标率与 85% 目标 / the share of schools meeting the standard per area against the plan's 85 %.

    Signs in (password from EDUBRAIN_PASSWORD or prompted) and reads through governance: the city sees every
    district and the city, a district itself. Prints schools, schools meeting the standard, the rate, the gap to
    the target and how many more schools must meet it, and the count of schools in each workflow state.

    Example: edubrain smart-campus status --user city --year 2025
    """
    from edubrain.smart_campus import STATE_NAMES, overview

    h = home()
    found = overview(h, signed_in(h, user), year)
    if found.year is None:
        note(t("尚无评定数据", "No evaluation yet"), fmt)
        return
    rows = [{**r.__dict__} for r in found.rates]
    columns = [
        Col("district_code", "区域", "area"), Col("schools", "学校数", "schools", "num"),
        Col("meeting", "达标学校", "meeting", "num"), Col("rate", "达标率%", "rate %", "num"),
        Col("target", "目标%", "target %", "num"), Col("gap", "距目标", "gap", "num"),
        Col("schools_needed", "还需达标", "more needed", "num"),
    ]  # fmt: skip
    print_rows(rows, fmt, columns, title=t(f"智慧校园达标率 {found.year} 学年", f"Smart-campus standard, {found.year}"))
    lang = 0 if state.lang == "zh" else 1
    counts = "; ".join(f"{STATE_NAMES.get(k, (k, k))[lang]} {v}" for k, v in sorted(found.states.items()))
    note(t(f"评定状态：{counts}", f"workflow states: {counts}"), fmt)


@app.command("shortlist")
def shortlist(year: int = YEAR_OPTION, user: str = USER_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """示范校候选名单（含说明）/ the ranked demonstration shortlist with each school's explanation.

    Only schools the city approved that meet the standard, ranked by total, then platform points, then school
    code; at most the plan's 100 per year. Read through governance (a district sees its own schools).

    Example: edubrain smart-campus shortlist --user city --format csv
    """
    from edubrain.smart_campus import overview

    h = home()
    found = overview(h, signed_in(h, user), year)
    zh = state.lang == "zh"
    rows = [
        {"rank": e.rank, "school_code": e.school_code, "district_code": e.district_code, "total": e.total,
         "platform_points": e.platform_points, "self_points": e.self_points,
         "explanation": e.explanation_zh if zh else e.explanation_en, "designated": int(e.designated)}
        for e in found.shortlist
    ]  # fmt: skip
    columns = [
        Col("rank", "名次", "rank", "num"), Col("school_code", "学校", "school"), Col("district_code", "区", "district"),
        Col("total", "总分", "total", "num"), Col("platform_points", "平台得分", "platform", "num"),
        Col("self_points", "自评得分", "self", "num"), Col("explanation", "说明", "explanation", "text"),
        Col("designated", "示范校", "designated", "num"),
    ]  # fmt: skip
    print_rows(rows, fmt, columns, title=t("新型智慧校园示范校候选名单", "Demonstration shortlist"))


SCHOOL_OPTION = typer.Option(..., "--school", help="学校标识码 / the school's 10-digit code.")
STEP_YEAR_OPTION = typer.Option(..., "--year", help="学年 / school year.")


def _designation(action: str, school: str, year: int, user: str | None, comment: str | None) -> None:
    from edubrain.smart_campus import act, school_scores

    h = home()
    principal = signed_in(h, user)
    found = school_scores(h, principal, school, year).assessment
    if found is None:
        from edubrain.governance.smart_campus import AssessmentNotFound

        raise AssessmentNotFound(
            f"学校 {school} 的 {year} 学年没有自评", f"School {school} has no self-assessment for {year}",
            school=school, school_year=year,
        )  # fmt: skip
    after = act(h, principal, found.id, action, comment)
    word = t("是示范校", "designated") if after.designated else t("不是示范校", "not designated")
    note(t(f"学校 {school} {year} 学年：{word}", f"school {school}, {year}: {word}"))


@app.command("designate")
def designate(
    school: str = SCHOOL_OPTION, year: int = STEP_YEAR_OPTION, user: str = USER_OPTION,
    comment: str = typer.Option(None, "--comment", help="意见（可选）/ an optional comment."),
) -> None:  # fmt: skip
    """认定新型智慧校园示范校 / designate a shortlisted school-year a demonstration school (city administrator).

    The school-year must be approved, meet the standard and be on the ranked shortlist. Audited; the monitoring
    indicator smart_campus_demonstration_schools is recomputed at once.

    Example: edubrain smart-campus designate --user city --school 1101080001 --year 2025
    """
    _designation("designate", school, year, user, comment)


@app.command("revoke")
def revoke(
    school: str = SCHOOL_OPTION, year: int = STEP_YEAR_OPTION, user: str = USER_OPTION,
    reason: str = typer.Option(..., "--reason", help="撤销原因（必填）/ why (required)."),
) -> None:  # fmt: skip
    """撤销示范校认定 / revoke a demonstration designation, with a reason (city administrator).

    Example: edubrain smart-campus revoke --user city --school 1101080001 --year 2025 --reason "复核未通过"
    """
    _designation("revoke", school, year, user, reason)


@app.command("plant")
def plant(root: Path = typer.Argument(..., help="合成城市目录 / the generated city's folder.")) -> None:
    """把合成城市的自评计划走完评定流程 / play a synthetic city's planted self-assessments through the workflow.

    Reads <root>/smart-campus/assessments.csv (written by edubrain synth; the truth is in
    <root>/smart-campus-truth/status.csv), drafts, scores, submits, reviews and approves each as its school's,
    district's and the city's administrator (audited as synth-…), then recomputes smart_campus_scores.
    Load the city first (edubrain synth --load <root>).

    Example: edubrain smart-campus plant synth-city
    """
    from edubrain.jobs.smart_campus import run_smart_campus
    from edubrain.synth.smart_campus import load_planted

    h = home()
    h.ensure_initialised()
    stored = load_planted(h, root)
    run_smart_campus(h)
    note(t(f"已写入 {stored} 份自评并重算得分", f"stored {stored} self-assessments and recomputed the scores"))


def register(parent: typer.Typer) -> None:
    """Add the smart-campus command group to parent."""
    parent.add_typer(app, name="smart-campus")
