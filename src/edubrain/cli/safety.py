"""``edubrain safety``: campus safety (校园安全) — recompute, a school's incidents, district rates, warnings."""

from __future__ import annotations

from dataclasses import asdict

import typer

from edubrain.cli.common import (
    FORMAT_OPTION,
    Col,
    CommandGroup,
    OutputFormat,
    home,
    print_derived_run,
    print_rows,
    signed_in,
    t,
)

app = CommandGroup(
    help="校园安全：事件发生率、类别分布与预警 / campus safety: rates, patterns and early warning.\n\n"
    "Example: edubrain safety run",
    no_args_is_help=True,
)
USER = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份读取 / read as this user.")


@app.command("run")
def run(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """重算校园安全学期统计与预警 / recompute campus_safety_counts and campus_safety_warnings.

    Example: edubrain safety run
    """
    from edubrain.jobs.safety import run_safety

    h = home()
    h.ensure_initialised()
    print_derived_run(run_safety(h), fmt)


@app.command("school")
def school(school: str = typer.Option(None, "--school", help="学校标识码 / school code."), user: str = USER,
           fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """学校安全员：本校事件明细 / the reader's own school's incidents.

    Example: edubrain safety school --school 1101080001 --user school1
    """
    from edubrain.campus_safety import school_incidents

    h = home()
    found = school_incidents(h, signed_in(h, user), school)
    columns = [Col("incident_date", "日期", "date"), Col("incident_type", "类别", "type"), Col("place", "场所", "place"),
               Col("time_band", "时段", "band"), Col("severity", "等级", "severity"),
               Col("injured_count", "受伤", "injured", "num")]  # fmt: skip
    print_rows([asdict(i) for i in found.incidents], fmt, columns, title=found.school_code)


@app.command("district")
def district(district: str = typer.Option(None, "--district", help="区划代码 / district code."),
             term: str = typer.Option(None, "--term", help="学期，如 2025-1 / term."), user: str = USER,
             fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """区级：各校（或全市各区）发生率，少于阈值的格子不显示 / rates by school or district, small cells hidden.

    Example: edubrain safety district --district 110108 --user haidian
    """
    from edubrain.campus_safety import overview

    h = home()
    found = overview(h, signed_in(h, user), district=district, term=term)
    rows = [{k: v for k, v in asdict(r).items() if k != "by_type"} for r in found.rows]
    columns = [Col("org_code", "单位", "organisation"), Col("pupils", "学生数", "pupils", "num"),
               Col("incidents", "事件数", "incidents", "num"), Col("rate_per_1000", "每千人", "per 1000", "num")]  # fmt: skip
    print_rows(rows, fmt, columns, title=t(f"学期 {found.term}（<{found.min_cell} 不显示）", f"Term {found.term}"))


@app.command("warnings")
def warnings(district: str = typer.Option(None, "--district", help="区划代码 / district code."), user: str = USER,
             fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """预警：上升趋势与聚集（泊松 CUSUM 首次告警）/ warnings: first CUSUM alarms.

    Example: edubrain safety warnings --district 110108 --user haidian
    """
    from edubrain.campus_safety import overview

    h = home()
    found = overview(h, signed_in(h, user), district=district)
    columns = [Col("week_start", "周起始", "week"), Col("level", "层级", "level"), Col("org_code", "单位", "organisation"),
               Col("incident_type", "类别", "type"), Col("incidents", "事件数", "incidents", "num"),
               Col("statistic", "CUSUM", "CUSUM", "num")]  # fmt: skip
    print_rows([asdict(w) for w in found.warnings], fmt, columns)


@app.command("evaluate")
def evaluate(seeds: int = typer.Option(20, "--seeds", help="合成城市个数 / synthetic runs."),
             fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """在植入模式上测量检出率、延迟（周）与误报 / detection, delay and false alarms on planted patterns.

    Generates the synthetic incidents of 40 schools in four districts for each seed (no lake needed), runs the
    warning rule and scores it against the planted rising-bullying school and food-safety district.

    Example: edubrain safety evaluate --seeds 20
    """
    from edubrain.synth.safety import evaluate_seeds

    rows = evaluate_seeds(range(1, seeds + 1))
    columns = [Col("level", "层级", "level"), Col("patterns", "植入", "planted", "num"),
               Col("detected", "检出", "detected", "num"), Col("mean_delay_weeks", "平均延迟（周）", "mean delay (weeks)", "num"),
               Col("median_delay_weeks", "中位延迟（周）", "median delay (weeks)", "num"),
               Col("false_alarms_per_100_series_weeks", "误报/100 序列周", "false alarms / 100 series-weeks", "num")]  # fmt: skip
    print_rows(rows, fmt, columns)


def register(parent: typer.Typer) -> None:
    """Add the safety command group to parent."""
    parent.add_typer(app, name="safety")
