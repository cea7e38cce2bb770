"""``edubrain monitoring``: recompute the monitoring indicators (信息化监测) and list them with their targets."""

from __future__ import annotations

from pathlib import Path

import typer

from edubrain.cli.common import (
    FORMAT_OPTION,
    Col,
    CommandGroup,
    OutputFormat,
    console,
    home,
    print_derived_run,
    print_rows,
    signed_in,
    state,
    t,
)

app = CommandGroup(
    help="信息化监测：规划目标的监测指标 / monitoring: the plan's targets as indicators."
    "\n\nExample: edubrain monitoring indicators",
    no_args_is_help=True,
)


@app.command("run")
def run(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """重算监测指标 / recompute monitoring_indicators for every school, district and the city.

    Reads the inputs the indicator formulas name (school_infrastructure, classes, teacher_assignments, schools
    at their current versions; students over every stored version) on the engine of EDUBRAIN_ENGINE and writes
    monitoring_indicators as one new lake version with its lineage. Submitting an input does this automatically
    at the end of the session; use this command after changing the indicator declarations. Prints the version
    written, its rows and the inputs read (--format json for programs).

    Example: edubrain monitoring run
    """
    from edubrain.jobs.monitoring import run_monitoring

    h = home()
    h.ensure_initialised()
    print_derived_run(run_monitoring(h), fmt)


@app.command("indicators")
def indicators(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """列出监测指标及目标 / list the monitoring indicators with their goal, target, unit and owner.

    The declarations of analytics/data/monitoring_indicators.yaml, checked against the catalog: one row per
    indicator under its goal (one of the plan's seven), with its target (empty where the plan sets no number),
    the direction that is better, and the section of the plan that sets it. --format csv or json adds the
    formula in words and the quoted sentence.

    Example: edubrain monitoring indicators --format json
    """
    from edubrain.analytics.monitoring import load_monitoring
    from edubrain.analytics.monitoring.words import formula_words

    spec = load_monitoring()
    goals = {g.id: g for g in spec.goals}
    lang = state.lang
    rows = [
        {
            "id": i.id,
            "goal": i.parent,
            "goal_name": goals[i.parent].name_zh if lang == "zh" else goals[i.parent].name_en,
            "name": i.name_zh if lang == "zh" else i.name_en,
            "target": i.target,
            "unit": i.unit_label(lang),
            "direction": i.direction,
            "period": i.period,
            "owner": spec.owners[i.owner].zh if lang == "zh" else spec.owners[i.owner].en,
            "source_section": i.source.section,
            "source_quote": i.source.quote,
            "formula": formula_words(i, lang),
        }
        for i in spec.indicators
    ]
    columns = [
        Col("id", "指标编号", "id"),
        Col("name", "指标", "indicator", "text"),
        Col("target", "目标", "target", "num"),
        Col("unit", "单位", "unit"),
    ]
    print_rows(rows, fmt, columns, title=t("信息化监测指标", "Monitoring indicators"))


@app.command("report")
def report(
    year: int = typer.Option(..., "--year", help="学年（开始年份）/ school year (its first year), e.g. 2025."),
    area: str = typer.Option(..., "--area", help="110000（全市）或区划代码 / 110000 (city) or a district code."),
    fmt: str = typer.Option("pdf", "--format", help="pdf 或 xlsx / pdf or xlsx."),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件 / output file."),
    user: str = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份读取 / read as this user."),
) -> None:
    """生成年度信息化监测报告（供督导）/ write the annual monitoring report of the city or a district.

    Signs in (password from EDUBRAIN_PASSWORD or prompted): city staff and auditors may have any area, district
    staff only their own district. The report holds the seven goals' indicators against their targets with the
    year-on-year change, the districts compared (city) or the schools below target (district), training coverage
    (counts only), facilities, the methods and the data versions read; the download is audited.

    Example: edubrain monitoring report --year 2025 --area 110108 --format pdf --out 海淀区2025监测报告.pdf --user hd
    """
    from edubrain.reports.monitoring_report import monitoring_report

    h = home()
    found = monitoring_report(h, signed_in(h, user), year=year, area=area, fmt=fmt)
    out.write_bytes(found.content)
    console.print(t(f"已生成 {found.report.title_zh}：{out}", f"{found.report.title_en} written to {out}"))


def register(parent: typer.Typer) -> None:
    """Add the monitoring command group to parent."""
    parent.add_typer(app, name="monitoring")
