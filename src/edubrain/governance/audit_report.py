"""The annual minors' personal information report (未成年人个人信息处理年度合规审计证据).

《未成年人网络保护条例》第三十七条 requires a yearly compliance audit of the
processing of minors' personal information; under the PIPL (个人信息保护法,
第二十八条) the personal information of children under 14 is sensitive. This
module turns a year of the audit trail into the evidence for that audit:
who accessed minors' personal information, how often, for which purposes and
datasets, by month; exports, incidents, failed logins and changes of access
rights; and whether the hash chain verified when the report was made.

:func:`build_minors_report` is pure (events in, report out);
:func:`report_tables` lays it out as tables, which :func:`render_html` and
:func:`write_report` turn into one printable, self-contained HTML page
(zh-CN first, no scripts, no outside resources) and one CSV file per table.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from html import escape
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.governance import policy
from edubrain.governance.audit import ACTIONS, AuditEvent, VerifyResult, iter_events, verify_chain
from edubrain.governance.export_safety import safe_cell
from edubrain.store.models import Organisation

BEIJING = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")
"""The report's calendar: China Standard Time (no daylight saving)."""

ACCESS_ACTIONS = ("read_unmasked", "read_masked", "export", "report_read", "lrs_read")
"""Actions that access personal information; counted when the event touched minors.

A profile read is counted through the lake reads it makes (``read_unmasked``, ``read_masked``), not again as
``profile_read``; the learning record store reads no lake table, so its ``lrs_read`` counts itself.
"""

RIGHTS_ACTIONS = ("role_change", "key_change", "user_change", "token_issued", "token_revoked")
"""Actions that change who may access what."""


@dataclass
class AccessCount:
    """Accesses to minors' personal information grouped by one key (actor, role, purpose, dataset, month)."""

    key: str
    events: int = 0
    unmasked_reads: int = 0
    masked_reads: int = 0
    exports: int = 0
    rows: int = 0
    actors: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    purposes: set[str] = field(default_factory=set)
    datasets: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    def add(self, event: AuditEvent) -> None:
        """Count one event."""
        self.events += 1
        self.unmasked_reads += event.action == "read_unmasked"
        self.masked_reads += event.action == "read_masked"
        self.exports += event.action == "export"
        self.rows += event.row_count or 0
        self.actors.add(event.actor)
        for values, value in ((self.roles, event.actor_role), (self.orgs, event.org_code)):
            values.update([value] if value else [])
        for values, value in ((self.purposes, event.purpose), (self.datasets, event.dataset)):
            values.update([value] if value else [])
        self.fields.update(event.fields)
        self.first = event.at if self.first is None else min(self.first, event.at)
        self.last = event.at if self.last is None else max(self.last, event.at)


@dataclass
class MinorsReport:
    """The year's evidence, built by :func:`build_minors_report`.

    An *access* is an event of :data:`ACCESS_ACTIONS` that touched minors' personal information.

    Attributes:
        year: Calendar year (Beijing time).
        generated_at: When the report was made.
        verify: The result of verifying the whole chain when the report was made.
        events: Events of any kind in the year.
        by_actor: Accesses per actor.
        by_role: Accesses per role.
        by_purpose: Accesses per purpose.
        by_dataset: Accesses per dataset.
        by_month: Accesses per month ``YYYY-MM`` (all twelve present).
        month_other: Per month: exports (all), incidents, failed logins.
        exports: Every export event, of minors' information or not.
        incidents: Every incident event.
        failed_logins: Failed logins per actor.
        rights_changes: Every change of roles, users, tokens or keys.
        org_names: Organisation names by code, for display.
    """

    year: int
    generated_at: dt.datetime
    verify: VerifyResult
    events: int = 0
    by_actor: dict[str, AccessCount] = field(default_factory=dict)
    by_role: dict[str, AccessCount] = field(default_factory=dict)
    by_purpose: dict[str, AccessCount] = field(default_factory=dict)
    by_dataset: dict[str, AccessCount] = field(default_factory=dict)
    by_month: dict[str, AccessCount] = field(default_factory=dict)
    month_other: dict[str, dict[str, int]] = field(default_factory=dict)
    exports: list[AuditEvent] = field(default_factory=list)
    incidents: list[AuditEvent] = field(default_factory=list)
    failed_logins: dict[str, AccessCount] = field(default_factory=dict)
    rights_changes: list[AuditEvent] = field(default_factory=list)
    org_names: dict[str, str] = field(default_factory=dict)

    def total_access(self) -> AccessCount:
        """All accesses of the year as one count."""
        total = AccessCount("total")
        for month in self.by_month.values():
            for name in ("events", "unmasked_reads", "masked_reads", "exports", "rows"):
                setattr(total, name, getattr(total, name) + getattr(month, name))
            total.actors |= month.actors
        return total


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The start (inclusive) and end (exclusive) of ``year`` in Beijing time, as UTC."""
    start = dt.datetime(year, 1, 1, tzinfo=BEIJING)
    return start.astimezone(dt.UTC), start.replace(year=year + 1).astimezone(dt.UTC)


def month_of(at: dt.datetime) -> str:
    """``YYYY-MM`` of ``at`` in Beijing time."""
    return at.astimezone(BEIJING).strftime("%Y-%m")


def _count(table: dict[str, AccessCount], key: str, event: AuditEvent) -> None:
    table.setdefault(key, AccessCount(key)).add(event)


def _add_event(report: MinorsReport, event: AuditEvent) -> None:
    """Count one event of the year into ``report``."""
    report.events += 1
    month = month_of(event.at)
    other = report.month_other[month]
    if event.action in ACCESS_ACTIONS and event.minors:
        _count(report.by_actor, event.actor, event)
        _count(report.by_role, event.actor_role or "", event)
        _count(report.by_purpose, event.purpose or "", event)
        _count(report.by_dataset, event.dataset or "", event)
        report.by_month[month].add(event)
    if event.action == "export":
        report.exports.append(event)
        other["exports"] += 1
    elif event.action == "incident":
        report.incidents.append(event)
        other["incidents"] += 1
    elif event.action == "login_failed":
        _count(report.failed_logins, event.actor, event)
        other["failed_logins"] += 1
    elif event.action in RIGHTS_ACTIONS:
        report.rights_changes.append(event)


def build_minors_report(
    events: Iterable[AuditEvent],
    *,
    year: int,
    verify: VerifyResult,
    generated_at: dt.datetime,
    org_names: Mapping[str, str] | None = None,
) -> MinorsReport:
    """Build the year's report from audit events (pure: no I/O).

    Args:
        events: Audit events in any order; those outside ``year`` (Beijing time) are ignored.
        year: The calendar year reported on.
        verify: The result of :func:`~edubrain.governance.audit.verify_chain` at report time.
        generated_at: When the report is made.
        org_names: Organisation names by code (shown beside codes).

    Returns:
        The report. An access is an event of :data:`ACCESS_ACTIONS` with ``minors`` set.
    """
    report = MinorsReport(year=year, generated_at=generated_at, verify=verify, org_names=dict(org_names or {}))
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    report.by_month = {m: AccessCount(m) for m in months}
    report.month_other = {m: {"exports": 0, "incidents": 0, "failed_logins": 0} for m in months}
    start, end = year_bounds(year)
    for event in events:
        if start <= event.at < end:
            _add_event(report, event)
    for listed in (report.exports, report.incidents, report.rights_changes):
        listed.sort(key=lambda e: e.seq)
    return report


def minors_report(
    session: Session, year: int, *, key: bytes | None = None, now: dt.datetime | None = None
) -> MinorsReport:
    """Verify the chain, then build the report for ``year`` from the database.

    Args:
        session: A session on the operational database.
        year: The calendar year (Beijing time).
        key: The auditor's key, to check the seal's HMAC (optional).
        now: The report time (default: now).
    """
    verify = verify_chain(session, key=key)
    names = {o.code: o.name_zh for o in session.scalars(select(Organisation))}
    start, end = year_bounds(year)
    return build_minors_report(
        iter_events(session, start, end),
        year=year,
        verify=verify,
        generated_at=now or dt.datetime.now(dt.UTC),
        org_names=names,
    )


def role_title(role_ids: str) -> str:
    """``id（中文名）`` of each comma-separated role; an undeclared role shows as its id."""
    known = policy.roles()
    titles = [f"{r}（{known[r].title_zh}）" if r in known else r for r in role_ids.split(",") if r]
    return "、".join(titles)


def purpose_title(purpose_id: str) -> str:
    """``id（中文名）`` of a purpose, or the id when it is not declared."""
    known = policy.purposes().get(purpose_id)
    return f"{purpose_id}（{known.title_zh}）" if known else purpose_id


def beijing_time(at: dt.datetime | None) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in Beijing time ('' for None)."""
    return "" if at is None else at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: a section of the HTML page and one CSV file, ``<name>.csv``."""

    name: str
    title_zh: str
    title_en: str
    columns: tuple[str, ...]
    rows: list[list[object]]


ACCESS_COLUMNS = ("访问次数/accesses", "明文读取/unmasked", "脱敏读取/masked", "导出/exports", "行数/rows")
EVENT_COLUMNS = tuple(
    "序号/seq 时间/time 操作者/actor 角色/role 单位/organisation 动作/action 数据集/dataset 行数/rows 用途/purpose "
    "涉及未成年人/minors 详情/detail".split()
)


def _org(report: MinorsReport, code: str | None) -> str:
    return "" if not code else f"{code} {report.org_names.get(code, '')}".strip()


def _joined(values: set[str], title: Callable[[str], str] = str) -> str:
    return "、".join(title(v) for v in sorted(values))


def _access_cells(count: AccessCount) -> list[object]:
    return [count.events, count.unmasked_reads, count.masked_reads, count.exports, count.rows]


def _ranked(table: dict[str, AccessCount]) -> list[AccessCount]:
    return sorted(table.values(), key=lambda c: (-c.events, c.key))


def _summary_table(report: MinorsReport) -> ReportTable:
    v, total = report.verify, report.total_access()
    sealed = f"#{v.sealed_seq}" + ("（HMAC 已校验 / checked）" if v.mac_checked else "（HMAC 未校验 / not checked）")
    rows: list[list[object]] = [
        ["报告年度（北京时间）/year (Beijing time)", report.year],
        ["生成时间/generated at", beijing_time(report.generated_at)],
        ["审计链校验/chain verification", f"{'通过 / passed' if v.ok else '未通过 / FAILED'}：{v.reason_zh}"],
        ["链头/chain head", f"#{v.head_seq} {v.head_hash}"],
        ["审计员封印/auditor's seal", sealed if v.sealed_seq else "无 / none"],
        ["本年度全部事件/events in the year", report.events],
        ["访问未成年人个人信息/accesses to minors' information", total.events],
        ["其中明文读取/unmasked reads", total.unmasked_reads],
        ["其中脱敏读取/masked reads", total.masked_reads],
        ["其中导出/exports", total.exports],
        ["涉及行数/rows", total.rows],
        ["访问人员数/distinct actors", len(total.actors)],
        ["全部导出/all exports", len(report.exports)],
        ["安全事件/incidents", len(report.incidents)],
        ["登录失败/failed logins", sum(c.events for c in report.failed_logins.values())],
        ["角色、用户、令牌与密钥变更/changes of roles, users, tokens, keys", len(report.rights_changes)],
    ]
    return ReportTable("summary", "概要", "Summary", ("项目/item", "值/value"), rows)


def _actor_table(report: MinorsReport) -> ReportTable:
    columns: tuple[str, ...] = ("操作者/actor", "角色/roles", "单位/organisations", *ACCESS_COLUMNS)
    columns += ("用途/purposes", "数据集/datasets", "首次/first", "最近/last")
    rows = [
        [c.key, _joined(c.roles, role_title), _joined(c.orgs, partial(_org, report)), *_access_cells(c)]
        + [_joined(c.purposes, purpose_title), _joined(c.datasets), beijing_time(c.first), beijing_time(c.last)]
        for c in _ranked(report.by_actor)
    ]
    return ReportTable(
        "access_by_actor", "谁访问了未成年人个人信息", "Who accessed minors' personal information", columns, rows
    )


def _group_tables(report: MinorsReport) -> list[ReportTable]:
    def label(key: str, title: Callable[[str], str] = str) -> str:
        return title(key) if key else "（未记录）/ not recorded"

    by_purpose = [[label(c.key, purpose_title), *_access_cells(c), len(c.actors)] for c in _ranked(report.by_purpose)]
    by_role = [[label(c.key, role_title), *_access_cells(c), len(c.actors)] for c in _ranked(report.by_role)]
    by_dataset = [
        [label(c.key), *_access_cells(c), len(c.actors), _joined(c.fields)] for c in _ranked(report.by_dataset)
    ]
    by_month = [[m, *_access_cells(c), *report.month_other[m].values()] for m, c in report.by_month.items()]
    return [
        ReportTable(
            "access_by_purpose", "按用途", "By purpose", ("用途/purpose", *ACCESS_COLUMNS, "人员数/actors"), by_purpose
        ),
        ReportTable("access_by_role", "按角色", "By role", ("角色/role", *ACCESS_COLUMNS, "人员数/actors"), by_role),
        ReportTable(
            "access_by_dataset",
            "按数据集",
            "By dataset",
            ("数据集/dataset", *ACCESS_COLUMNS, "人员数/actors", "字段/fields"),
            by_dataset,
        ),
        ReportTable(
            "by_month",
            "按月",
            "By month",
            ("月份/month", *ACCESS_COLUMNS, "全部导出/all exports", "安全事件/incidents", "登录失败/failed logins"),
            by_month,
        ),
    ]


def _event_row(report: MinorsReport, e: AuditEvent) -> list[object]:
    detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""
    row: list[object] = [e.seq, beijing_time(e.at), e.actor, role_title(e.actor_role or ""), _org(report, e.org_code)]
    row += [ACTIONS.get(e.action, (e.action,))[0], e.dataset or "", "" if e.row_count is None else e.row_count]
    return row + [purpose_title(e.purpose or ""), "是" if e.minors else "否", detail]


def _event_tables(report: MinorsReport) -> list[ReportTable]:
    failed = [[c.key, c.events, beijing_time(c.first), beijing_time(c.last)] for c in _ranked(report.failed_logins)]
    rights = [_event_row(report, e) for e in report.rights_changes]
    return [
        ReportTable("exports", "数据导出", "Exports", EVENT_COLUMNS, [_event_row(report, e) for e in report.exports]),
        ReportTable(
            "incidents", "安全事件", "Incidents", EVENT_COLUMNS, [_event_row(report, e) for e in report.incidents]
        ),
        ReportTable(
            "failed_logins",
            "登录失败",
            "Failed logins",
            ("操作者/actor", "次数/count", "首次/first", "最近/last"),
            failed,
        ),
        ReportTable(
            "rights_changes",
            "角色、用户、令牌与密钥变更",
            "Changes of roles, users, tokens and keys",
            EVENT_COLUMNS,
            rights,
        ),
    ]


def report_tables(report: MinorsReport) -> list[ReportTable]:
    """The report as tables, in print order (each also one CSV file)."""
    return [_summary_table(report), _actor_table(report), *_group_tables(report), *_event_tables(report)]


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
 font-size:12px;color:#111;margin:2em auto;max-width:1200px;line-height:1.5}
h1{font-size:20px;margin-bottom:0}h2{font-size:15px;border-bottom:1px solid #888;margin-top:1.8em}
.en{color:#555}.status{border:2px solid;padding:.6em 1em;margin:1em 0}.ok{border-color:#1a7f37}.bad{border-color:#b42318}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:2px 5px;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}td{word-break:break-all}
.sign{margin-top:3em;display:flex;gap:6em}
@page{size:A4 landscape;margin:12mm}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}thead{display:table-header-group}tr{break-inside:avoid}}
"""

_INTRO = (
    "本报告依据《未成年人网络保护条例》第三十七条（个人信息处理者每年对处理未成年人个人信息遵守法律、行政法规的情况进行合规审计）"
    "和《个人信息保护法》第二十八条（不满十四周岁未成年人的个人信息属于敏感个人信息）、第五十四条，由审计日志自动生成，"
    "作为年度合规审计的证据。“访问”指涉及未成年人个人信息的明文读取、脱敏读取和导出。时间均为北京时间。"
)
_INTRO_EN = (
    "Evidence for the annual compliance audit of the processing of minors' personal information (Regulations on the "
    "Protection of Minors Online, Art. 37; PIPL Art. 28 and 54), generated from the audit trail. An access is an "
    "unmasked read, a masked read or an export touching minors' personal information. Times are Beijing time."
)


def _html_table(table: ReportTable) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = (
        "".join(
            "<tr>"
            + "".join(f'<td class="n">{v}</td>' if isinstance(v, int) else f"<td>{escape(str(v))}</td>" for v in row)
            + "</tr>"
            for row in table.rows
        )
        or f'<tr><td colspan="{len(table.columns)}">无记录 / none</td></tr>'
    )
    return (
        f'<section id="{table.name}"><h2>{escape(table.title_zh)} <span class="en">/ {escape(table.title_en)}</span></h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>\n"
    )


def render_html(report: MinorsReport) -> str:
    """The report as one self-contained, printable HTML page (zh-CN first; no scripts, no outside resources)."""
    v = report.verify
    title = f"{report.year} 年度未成年人个人信息处理合规审计报告"
    status = "审计链校验通过" if v.ok else "审计链校验未通过：日志可能被篡改"
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_CSS}</style></head><body>\n<header><h1>{title}</h1>"
        f'<p class="en">Annual compliance report on the processing of minors\' personal information, {report.year}</p>'
        f'<p>{_INTRO}</p><p class="en">{_INTRO_EN}</p></header>\n'
        f'<div class="status {"ok" if v.ok else "bad"}"><strong>{status}</strong>：{escape(v.reason_zh)}<br>'
        f'<span class="en">{escape(v.reason_en)}</span><br>链头 / head #{v.head_seq} <code>{v.head_hash}</code></div>\n'
        + "".join(_html_table(t) for t in report_tables(report))
        + '<div class="sign"><p>审计人（签字）/ auditor: ____________</p><p>日期 / date: ____________</p></div>'
        + "</body></html>\n"
    )


def write_report(report: MinorsReport, out_dir: Path) -> list[Path]:
    """Write ``minors_report_<year>.html`` and one ``minors_report_<year>_<table>.csv`` per table.

    CSV files are UTF-8 with a byte-order mark, so spreadsheet programs on Chinese Windows read them.

    Returns:
        The files written, the HTML first.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / f"minors_report_{report.year}.html"
    page.write_text(render_html(report), encoding="utf-8")
    written = [page]
    for table in report_tables(report):
        path = out_dir / f"minors_report_{report.year}_{table.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            writer.writerows([safe_cell(v) for v in row] for row in table.rows)  # actor names may start with =
        written.append(path)
    return written
