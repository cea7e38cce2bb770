"""``edubrain identity``: duplicate student records (学籍身份合并) — find, list, merge, reject, undo.

A thin shell over :mod:`edubrain.governance.identity_merge` (scope, masking and audit live there).
"""

from __future__ import annotations

from typing import Any

import typer

from edubrain.cli.common import (
    FORMAT_OPTION,
    Col,
    CommandGroup,
    OutputFormat,
    home,
    note,
    print_json,
    print_rows,
    signed_in,
    t,
)
from edubrain.governance import identity_merge as im

app = CommandGroup(
    help="学籍身份识别：查找、审核、合并、驳回、撤销 / identity resolution of student records.\n\n"
    "Example: edubrain identity list --user district",
    no_args_is_help=True,
)
USER = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份办理 / act as this user.")
REASON = typer.Option("", "--reason", help="理由（记入审计） / why (audited).")
COLUMNS = [
    Col("id", "候选编号", "Candidate"),
    Col("probability", "概率", "Probability", "num"),
    Col("rule", "依据", "Rule"),
    Col("status", "状态", "Status"),
    Col("left_name", "记录一姓名", "Left name", "text"),
    Col("left_school", "记录一学校", "Left school"),
    Col("right_name", "记录二姓名", "Right name", "text"),
    Col("right_school", "记录二学校", "Right school"),
]


def register(app_: typer.Typer) -> None:
    """Add the command group to the app."""
    app_.add_typer(app, name="identity")


@app.command("find")
def find(
    purpose: str = typer.Option(im.DEFAULT_PURPOSE, "--purpose", help="读取学籍的用途（审计） / purpose (audited)."),
    threshold: float = typer.Option(im.MATCH_THRESHOLD, "--threshold", help="匹配概率阈值 / match threshold."),
    user: str = USER,
) -> None:
    """查找疑似重复学籍并存为待审核 / score the rosters in scope and store likely duplicates for review.

    Example: edubrain identity find --user city
    """
    h = home()
    found = im.find_candidates(h, signed_in(h, user), purpose=purpose, threshold=threshold)
    print_json({"records": found.records, "pairs": found.pairs, "new": found.new, "updated": found.updated,
                "threshold": found.threshold})  # fmt: skip


def _row(c: im.CandidateView) -> dict[str, Any]:
    return {**c.to_dict(), "left_name": c.left.get("name"), "left_school": c.left.get("school_code"),
            "right_name": c.right.get("name"), "right_school": c.right.get("school_code")}  # fmt: skip


@app.command("list")
def list_(
    status: str = typer.Option("open", "--status", help="open | merged | rejected | all"),
    purpose: str = typer.Option(None, "--purpose", help="解除脱敏的用途（审计） / purpose to unmask (audited)."),
    limit: int = typer.Option(50, "--limit"),
    offset: int = typer.Option(0, "--offset"),
    fmt: OutputFormat = FORMAT_OPTION,
    user: str = USER,
) -> None:
    """列出本人管辖范围内的疑似重复学籍（按权限脱敏） / candidates in scope, masked to the clearance.

    Example: edubrain identity list --status all --format csv --user district
    """
    h = home()
    page = im.list_candidates(h, signed_in(h, user), status=None if status == "all" else status, purpose=purpose,
                              limit=limit, offset=offset)  # fmt: skip
    print_rows([_row(c) for c in page.items], fmt, COLUMNS, title=t("疑似重复学籍", "Duplicate candidates"))
    note(t(f"共 {page.total} 条", f"{page.total} in all"), fmt)


@app.command("merge")
def merge(
    candidate: str = typer.Argument(..., help="候选编号 / candidate id."),
    keep: str = typer.Option(..., "--keep", help="保留哪条记录：left 或 right / the record kept."),
    reason: str = REASON,
    user: str = USER,
) -> None:
    """合并两条记录（审计；档案随后重算） / merge the pair (audited; profiles are recomputed).

    Example: edubrain identity merge 12 --keep right --reason "转学重复注册" --user district
    """
    h = home()
    typer.echo(im.merge(h, signed_in(h, user), candidate, keep, reason=reason))


@app.command("reject")
def reject(candidate: str = typer.Argument(..., help="候选编号 / candidate id."), reason: str = REASON,
           user: str = USER) -> None:  # fmt: skip
    """驳回：不是同一学生（审计） / mark the pair as two different children (audited).

    Example: edubrain identity reject 12 --reason "双胞胎" --user district
    """
    h = home()
    typer.echo(im.reject(h, signed_in(h, user), candidate, reason=reason))


@app.command("undo")
def undo(candidate: str = typer.Argument(..., help="候选编号 / candidate id."), reason: str = REASON,
         user: str = USER) -> None:  # fmt: skip
    """撤销合并或驳回（审计） / undo the decision on a candidate (audited).

    Example: edubrain identity undo 12 --reason "合并有误" --user district
    """
    h = home()
    typer.echo(im.undo(h, signed_in(h, user), candidate, reason=reason))
