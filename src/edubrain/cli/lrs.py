"""``edubrain lrs``: the learning record store's lake export and its retention run."""

from __future__ import annotations

import datetime as dt

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
    t,
)

app = CommandGroup(
    help="学习记录存储（xAPI LRS）：导出到数据湖、按保留期限删除 / the learning record store: export to the lake, "
    "delete under the retention policy.\n\nExample: edubrain lrs export",
    no_args_is_help=True,
)


@app.command("export")
def export(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """把有效语句导出为数据集 learning_statements / export the valid statements as learning_statements.

    Writes the pseudonymous copy of every statement that is neither voided nor voiding as one new version of
    learning_statements (pupils only under their keyed student pseudonym) and removes the older versions, so a
    statement deleted from the LRS leaves the lake too.

    Example: edubrain lrs export
    """
    from edubrain.jobs.lrs_export import run_lrs_export

    h = home()
    h.ensure_initialised()
    print_derived_run(run_lrs_export(h), fmt)


@app.command("retention")
def retention(
    apply: bool = typer.Option(False, "--apply", help="真正删除（默认只统计）/ delete (default: count only)."),
    today: str = typer.Option(None, "--today", help="从哪天倒推保留期 YYYY-MM-DD（默认今天）/ count back from."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """按保留期限删除过期语句 / delete statements older than the retention period.

    The period is governance/data/retention.yaml (keep_years after the statement was stored). Without --apply it
    only counts, per school. With --apply it deletes them with their references in one transaction, audits one
    lrs_retention event per school, removes attachment files no statement names any more, and re-exports
    learning_statements so the lake forgets them too.

    Example: edubrain lrs retention --apply
    """
    from edubrain.lrs.retention import apply_retention

    day = None
    if today:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            raise typer.BadParameter(t(f"日期应为 YYYY-MM-DD：{today}", f"a date is YYYY-MM-DD: {today}")) from None
    h = home()
    h.ensure_initialised()
    run = apply_retention(h, today=day, dry_run=not apply)
    rows = [{"school": org, "statements": n} for org, n in run.per_school.items()]
    columns = [Col("school", "学校", "school"), Col("statements", "过期语句", "expired statements", "num")]
    title = t("已删除", "Deleted") if not run.dry_run else t("将删除（未执行）", "Would delete (dry run)")
    print_rows(rows, fmt, columns, title=title)
    note(
        t(
            f"保留截止：{run.cutoff.isoformat()}，合计 {run.total} 条",
            f"cut-off {run.cutoff.isoformat()}, {run.total} in all",
        ),
        fmt,
    )
    if apply and run.total:
        from edubrain.jobs.lrs_export import run_lrs_export

        print_derived_run(run_lrs_export(h), fmt)


def register(parent: typer.Typer) -> None:
    """Add the lrs command group to parent."""
    parent.add_typer(app, name="lrs")
