"""``edubrain transfer``: move stored rows to another organisation (转学 / 学籍异动; a school to another district)."""

from __future__ import annotations

import typer

from edubrain.cli.common import home, signed_in
from edubrain.cli.exchange import print_report
from edubrain.governance.transfers import TransferRequest, transfer_rows


def register(app: typer.Typer) -> None:
    """Add the command to app."""
    app.command("transfer")(transfer)


def transfer(
    dataset: str = typer.Argument(..., help="数据集 id，如 students、schools / dataset id."),
    keys: list[str] = typer.Argument(..., help="要转移的行的主键（如全国学籍号） / primary keys of the rows."),
    to: str = typer.Option(..., "--to", help="转入单位代码（学校标识码或区代码） / receiving organisation."),
    reason: str = typer.Option(..., "--reason", help="转移原因（记入审计） / why (audited)."),
    class_id: str = typer.Option(None, "--class", help="转入班级（学生转学时） / receiving class, for pupils."),
    user: str = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份办理 / act as this user."),
) -> None:
    """把行转移给另一单位（学籍异动、学校调区），经治理审计 / move rows to another organisation, audited.

    Only a user whose submitting scope holds both the present owner and the receiver may move rows (a district
    bureau within its district, the city across districts; schools between districts at city level only). The
    moved rows are validated like a submission. The password is read from EDUBRAIN_PASSWORD or prompted for.
    Exit codes: 0 moved, 1 rejected by validation, 3 refused.

    Example: edubrain transfer students G110108201903150011 --to 1101080002 --class C2025B --reason 转学 --user hd
    """
    h = home()
    principal = signed_in(h, user)
    result = transfer_rows(h, principal, TransferRequest(dataset, keys, to, reason, class_id))
    print_report(result)
    raise typer.Exit(1 if result.report.status == "rejected" else 0)
