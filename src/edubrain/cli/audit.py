"""``edubrain audit``: verify, seal and list the audit trail; the annual minors' information report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from edubrain.cli.common import (
    FORMAT_OPTION,
    JSON_OPTION,
    Col,
    CommandGroup,
    OutputFormat,
    chosen_format,
    console,
    home,
    print_json,
    print_rows,
    t,
)
from edubrain.governance.audit import (
    ACTIONS,
    AuditError,
    VerifyResult,
    list_events,
    parse_key,
    seal_chain,
    verify_chain,
)
from edubrain.governance.audit_report import BEIJING, beijing_time, minors_report, write_report
from edubrain.store.db import session_scope

app = CommandGroup(help="审计日志 / the audit trail.\n\nExample: edubrain audit verify", no_args_is_help=True)

KEY_FILE_HELP = "审计员密钥文件（密钥不放在应用服务器上） / the auditor's key file (kept off the application servers)."


def _read_key(key_file: Path) -> bytes:
    """The auditor's key, read from key_file."""
    try:
        return parse_key(key_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditError(f"无法读取密钥文件 {key_file}：{exc}", f"Cannot read the key file {key_file}: {exc}") from exc


def _key(key_file: Path | None) -> bytes | None:
    return None if key_file is None else _read_key(key_file)


def _when(value: str | None) -> dt.datetime | None:
    """A time from 2026-03-01 or 2026-03-01T08:30[+08:00]; without an offset it is Beijing time."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise AuditError(
            f"无法识别的时间 {value!r}：请写成 2026-03-01 或 2026-03-01T08:30",
            f"Unrecognised time {value!r}: write 2026-03-01 or 2026-03-01T08:30",
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=BEIJING)


def _print_result(result: VerifyResult) -> None:
    if result.ok:
        console.print(t("[green]通过[/green] ", "[green]OK[/green] ") + result.reason(t("zh", "en")))
    else:
        where = f"#{result.first_bad_seq}" if result.first_bad_seq is not None else t("锚点", "the anchor")
        console.print(t(f"[red]未通过[/red]：第一个异常 {where}：", f"[red]FAILED[/red] at {where}: "), end="")
        console.print(result.reason(t("zh", "en")), markup=False)
    console.print(t(f"链头 #{result.head_seq} {result.head_hash}", f"head #{result.head_seq} {result.head_hash}"))


@app.command("verify")
def verify(
    key_file: Path = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出 / print JSON."),
) -> None:
    """校验审计日志的哈希链，找出被修改、删除、插入、调换或截断的事件 / verify the hash chain.

    Exit codes: 0 intact, 1 tampered (the first bad event is named), 2 usage error.

    Example: edubrain audit verify --key-file auditor.key
    """
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        result = verify_chain(session, key=_key(key_file))
    if as_json:
        print_json(result.to_dict())
    else:
        _print_result(result)
    raise typer.Exit(0 if result.ok else 1)


@app.command("seal")
def seal(key_file: Path = typer.Option(..., "--key-file", help=KEY_FILE_HELP)) -> None:
    """审计员用自己的密钥封印当前链头（先校验） / the auditor seals the chain's head with their key.

    Example: edubrain audit seal --key-file auditor.key
    """
    key = _read_key(key_file)
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        result = seal_chain(session, key)
    console.print(t(f"已封印至 #{result.head_seq}", f"Sealed up to #{result.head_seq}") + f" {result.head_hash}")


@app.command("log")
def log(
    since: str = typer.Option(None, "--since", help="起始时间（北京时间） / from (Beijing time), e.g. 2026-03-01."),
    until: str = typer.Option(None, "--until", help="截止时间（不含） / until (exclusive)."),
    actor: str = typer.Option(None, "--actor", help="操作者 / actor (user id, node id or system)."),
    action: str = typer.Option(None, "--action", help=f"动作 / action: {', '.join(ACTIONS)}."),
    limit: int = typer.Option(100, "--limit", help="最多显示最新的若干条 / show at most the newest N events."),
    fmt: OutputFormat = FORMAT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """列出审计事件（最新的若干条，按时间顺序） / list audit events (the newest, oldest first).

    Example: edubrain audit log --since 2026-03-01 --actor u1a2b3c --action read_unmasked
    """
    if action is not None and action not in ACTIONS:
        raise AuditError(
            f"未知动作 {action!r}；可用：{', '.join(ACTIONS)}",
            f"Unknown action {action!r}; known: {', '.join(ACTIONS)}",
        )
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        events = list_events(session, _when(since), _when(until), actor, action, limit)
    fmt = chosen_format(fmt, as_json)
    if fmt is not OutputFormat.table:  # every field, hashes included
        print_rows([e.to_dict() for e in events], fmt, [])
        return
    rows = [
        {**e.to_dict(), "at": beijing_time(e.at), "fields": ",".join(e.fields), "minors": "✓" if e.minors else ""}
        for e in events
    ]
    columns = [
        Col("seq", "#", "#", "num"),
        Col("at", "时间（北京）", "time (Beijing)"),
        Col("actor", "操作者", "actor"),
        Col("action", "动作", "action"),
        Col("dataset", "数据集", "dataset"),
        Col("row_count", "行数", "rows", "num"),
        Col("purpose", "用途", "purpose", "text"),
        Col("minors", "未成年人", "minors"),
    ]
    print_rows(rows, fmt, columns, title=t(f"审计事件（{len(events)} 条）", f"Audit events ({len(events)})"))


@app.command("report")
def report(
    year: int = typer.Option(..., "--year", help="年度（北京时间） / calendar year (Beijing time)."),
    out: Path = typer.Option(..., "-o", "--out", help="输出目录 / output folder."),
    key_file: Path = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
) -> None:
    """生成年度未成年人个人信息合规审计报告（HTML 与 CSV） / write the annual minors' information report.

    Exit code 1 (the report is still written, marked as failed) when the chain does not verify.

    Example: edubrain audit report --year 2026 -o out/audit-2026
    """
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        made = minors_report(session, year, key=_key(key_file))
        written = write_report(made, out)
    console.print(
        t(
            f"已写入 {written[0]} 及 {len(written) - 1} 个 CSV 文件",
            f"Wrote {written[0]} and {len(written) - 1} CSV files",
        )
    )
    if not made.verify.ok:
        _print_result(made.verify)
        raise typer.Exit(1)
