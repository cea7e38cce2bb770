"""``edubrain service``: 接诉即办 cases — import hotline records, the queue, steps, SLA figures, burst alerts, router."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import typer

from edubrain.cli.common import FORMAT_OPTION, Col, CommandGroup, OutputFormat, home, note, print_rows, signed_in, t

app = CommandGroup(
    help="接诉即办与未诉先办：导入、工作台、办理、时限统计、预警 / public service cases: import, queue, steps, SLA, alerts."
    "\n\nExample: edubrain service queue --user haidian",
    no_args_is_help=True,
)
USER_OPTION = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份 / act as this user.")
CASE_COLUMNS = [
    Col("code", "诉求编号", "case"), Col("district_code", "区", "district"), Col("category", "类别", "category"),
    Col("office", "承办处室", "office"), Col("status", "状态", "status"), Col("received_at", "受理时间", "received"),
    Col("sla_due", "时限", "due"), Col("overdue", "超期", "overdue"), Col("id", "编号", "id"),
]  # fmt: skip


@app.command("import")
def import_file(path: Path = typer.Argument(..., help="CSV 或 XLSX / a CSV or XLSX file."), user: str = USER_OPTION,
                fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """导入 12345 热线工单（全部导入或全部不导入）/ import hotline records, all or nothing.

    Columns (Chinese or English header): 工单编号 record_id, 受理时间 received_at (Beijing time, YYYY-MM-DD HH:MM),
    所在区 district (code or name), 诉求内容 text; optional 学校标识码 school, 诉求人 name, 联系电话 phone.

    Example: edubrain service import hotline.csv --user haidian
    """
    from edubrain.public_service import import_cases

    h = home()
    found = import_cases(h, signed_in(h, user), path.name, path.read_bytes())
    note(t(f"已导入 {found.imported} 件，其中 {found.triage} 件待人工分拨",
           f"imported {found.imported} cases, {found.triage} awaiting manual triage"), fmt)  # fmt: skip


@app.command("queue")
def queue(user: str = USER_OPTION, district: str = typer.Option(None, "--district"),
          office: str = typer.Option(None, "--office"), status: str = typer.Option(None, "--status"),
          overdue: bool = typer.Option(False, "--overdue", help="只列超期未办 / only overdue open cases."),
          fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """工作台：范围内的诉求（脱敏）/ the cases in your scope, masked, newest first.

    Example: edubrain service queue --user haidian --overdue
    """
    from edubrain.public_service import list_cases

    h = home()
    found = list_cases(h, signed_in(h, user), district=district, office=office, status=status, overdue=overdue)
    print_rows([asdict(c) for c in found], fmt, CASE_COLUMNS, title=t("诉求工作台", "Case queue"))


@app.command("step")
def step(case_id: str = typer.Argument(..., help="诉求编号（32 位）/ case id."),
         action: str = typer.Argument(..., help="route | reroute | respond | close"), user: str = USER_OPTION,
         category: str = typer.Option(None, "--category"), office: str = typer.Option(None, "--office"),
         response: str = typer.Option(None, "--response"), note_text: str = typer.Option(None, "--note"),
         fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """分拨、改派、答复、办结 / route, reroute, respond to or close a case (administrators).

    Example: edubrain service step 3f2a… respond --user haidian --response "已责成学校整改"
    """
    from edubrain.public_service import act

    h = home()
    found = act(h, signed_in(h, user), case_id, action, category=category, office=office, response=response,
                note=note_text)  # fmt: skip
    note(
        t(f"诉求 {found.line.code} 现为 {found.line.status}", f"case {found.line.code} is now {found.line.status}"), fmt
    )


@app.command("sla")
def sla(user: str = USER_OPTION, by: str = typer.Option("office", "--by", help="office | district_code | category"),
        since: str = typer.Option(None, "--since", help="YYYY-MM-DD"), fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """答复率、按时答复率、超期未办、满意度 / response rate, on-time rate, overdue, satisfaction.

    Example: edubrain service sla --user city --by district_code
    """
    from edubrain.public_service import sla_summary

    h = home()
    found = sla_summary(h, signed_in(h, user), by, dt.date.fromisoformat(since) if since else None)
    columns = [
        Col("key", "处室/区", "office/district"), Col("received", "受理", "received", "num"),
        Col("responded", "已答复", "answered", "num"), Col("response_rate", "答复率", "response rate", "num"),
        Col("on_time_rate", "按时率", "on-time rate", "num"), Col("overdue_open", "超期未办", "overdue", "num"),
        Col("satisfaction", "满意度", "satisfaction", "num"), Col("rated", "评价数", "rated", "num"),
    ]  # fmt: skip
    print_rows([asdict(x) for x in found], fmt, columns, title=t("接诉即办时限统计", "Public service SLA"))


@app.command("alerts")
def alerts(user: str = USER_OPTION, today: str = typer.Option(None, "--today", help="YYYY-MM-DD"),
           fmt: OutputFormat = FORMAT_OPTION) -> None:  # fmt: skip
    """未诉先办：近 7 天诉求量异常升高的区与类别 / burst alerts of the last 7 days (CUSUM, EARS C2).

    Example: edubrain service alerts --user city
    """
    from edubrain.public_service import burst_alerts

    h = home()
    found = burst_alerts(h, signed_in(h, user), dt.date.fromisoformat(today) if today else None)
    rows = [asdict(a) | {"methods": ",".join(a.methods)} for a in found]
    columns = [
        Col("district_code", "区", "district"), Col("category", "类别", "category"),
        Col("first_alarm", "首次预警", "first alarm"), Col("recent_cases", "近 7 天", "last 7 days", "num"),
        Col("expected", "基线预期", "expected", "num"), Col("methods", "方法", "methods"),
    ]  # fmt: skip
    print_rows(rows, fmt, columns, title=t("未诉先办预警", "Burst alerts"))


@app.command("router")
def router_quality(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """分类器在留出集上的准确率与宏平均 F1 / the router's held-out accuracy and macro-F1 (synthetic corpus).

    Example: edubrain service router
    """
    from edubrain.analytics.routing import evaluate

    found = evaluate()
    rows = [{"category": k, "f1": v} for k, v in found.per_category_f1.items()]
    print_rows(rows, fmt, [Col("category", "类别", "category"), Col("f1", "F1", "F1", "num")],
               title=t(f"准确率 {found.accuracy}，宏平均 F1 {found.macro_f1}，人工分拨 {found.triage_share}",
                       f"accuracy {found.accuracy}, macro-F1 {found.macro_f1}, triage share {found.triage_share}"))  # fmt: skip


def register(parent: typer.Typer) -> None:
    """Add the public-service command group to parent."""
    parent.add_typer(app, name="service")
