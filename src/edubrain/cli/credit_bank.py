"""``edubrain credit-bank``: the credit bank (学分银行) — accounts, deposits, recognition, progress, credentials."""

from __future__ import annotations

import json
from pathlib import Path

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
    state,
    t,
)

app = CommandGroup(
    help="学分银行：开户、存入、认定、积累与证书 / credit bank: accounts, deposits, recognition, progress, credentials."
    "\n\nExample: edubrain credit-bank queue --user reviewer",
    no_args_is_help=True,
)
USER_OPTION = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份操作 / act as this user.")


def _zh() -> bool:
    return state.lang == "zh"


@app.command("open-account")
def open_account(
    name: str = typer.Option(..., "--name", help="学习者姓名 / the learner's name."),
    username: str = typer.Option(None, "--username", help="关联的登录用户（角色 learner）/ the learner's user."),
    student_number: str = typer.Option(None, "--student-number", help="学籍号，仅以假名保存 / kept as a pseudonym only."),
    programme: str = typer.Option(None, "--programme", help="学分规则编号 / rule set id (cn-city-credit-bank)."),
    user: str = USER_OPTION,
) -> None:  # fmt: skip
    """开设学习者账户（市级管理员）/ open a learner account (city administrator); prints the account number.

    Example: edubrain credit-bank open-account --user city --name 王小明 --username wxm --student-number G110108…
    """
    from edubrain.credit_bank.service import open_account as opened

    h = home()
    found = opened(h, signed_in(h, user), name, username=username, student_number=student_number, programme=programme)
    note(t(f"已开户：账户号 {found.id}", f"account opened: {found.id}"))


@app.command("deposit")
def deposit(
    institution: str = typer.Option(..., "--institution", help="认定机构代码 / the authorised institution's code."),
    kind: str = typer.Option("course", "--kind", help="course | certificate | vocational | non_formal"),
    formality: str = typer.Option("non_formal", "--formality", help="formal | non_formal"),
    setting: str = typer.Option("out_of_school", "--setting", help="in_school | out_of_school"),
    title: str = typer.Option(..., "--title", help="成果名称 / the outcome's title."),
    provider: str = typer.Option(..., "--provider", help="学习机构 / where it was learnt."),
    credits: float = typer.Option(0.0, "--credits", help="申请学分 / credits claimed."),
    completed_on: str = typer.Option(..., "--completed-on", help="完成日期 YYYY-MM-DD / completion date."),
    code: str = typer.Option(None, "--code", help="课程或证书代码 / course or certificate code."),
    category: str = typer.Option(None, "--category", help="学分类别 / credit category."),
    learner: str = typer.Option(None, "--learner", help="学习者账户号（认定机构代存）/ account (reviewers)."),
    evidence: list[Path] = typer.Option([], "--evidence", help="佐证文件（PDF/JPEG/PNG）/ evidence files."),
    user: str = USER_OPTION,
) -> None:  # fmt: skip
    """存入一项学习成果 / deposit one learning outcome (the learner itself, or a reviewer for a learner).

    Example: edubrain credit-bank deposit --user learner1 --institution 110108 --title 数据分析基础 --provider 社区学院
    --credits 4 --completed-on 2025-06-30 --category major --evidence transcript.pdf
    """
    from edubrain.credit_bank.service import add_evidence
    from edubrain.credit_bank.service import deposit as deposited

    h = home()
    principal = signed_in(h, user)
    fields = {"kind": kind, "formality": formality, "setting": setting, "title": title, "provider": provider,
              "credits": credits, "completed_on": completed_on, "code": code, "category": category}  # fmt: skip
    found = deposited(h, principal, institution, fields, learner)
    for path in evidence:
        add_evidence(h, principal, found.id, path.name, path.read_bytes())
    note(t(f"已存入：{found.id}（{len(evidence)} 份佐证）", f"deposited: {found.id} ({len(evidence)} evidence files)"))


@app.command("queue")
def queue(user: str = USER_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """本机构待认定的成果及规则引擎建议 / the institution's queue with the rule engine's proposal.

    Example: edubrain credit-bank queue --user reviewer --format csv
    """
    from edubrain.credit_bank.service import preview
    from edubrain.credit_bank.service import queue as waiting

    h = home()
    principal = signed_in(h, user)
    rows = []
    for d in waiting(h, principal):
        p = preview(h, principal, d.id)
        rows.append({"deposit": d.id, "learner": d.learner_name, "title": d.title, "claimed": d.credits_claimed,
                     "proposal": p["decision"], "granted": p["granted"], "rule": p["rule_id"],
                     "reason": p["reason_zh"] if _zh() else p["reason_en"]})  # fmt: skip
    columns = [Col("deposit", "存入编号", "deposit"), Col("learner", "学习者", "learner"), Col("title", "成果", "outcome"),
               Col("claimed", "申请", "claimed", "num"), Col("proposal", "建议", "proposal"),
               Col("granted", "可认定", "grantable", "num"), Col("rule", "规则", "rule"),
               Col("reason", "依据", "why", "text")]  # fmt: skip
    print_rows(rows, fmt, columns, title=t("学分认定队列", "Recognition queue"))


@app.command("decide")
def decide(
    deposit_id: str = typer.Argument(..., help="存入编号 / the deposit id."),
    decision: str = typer.Option("recognise", "--decision", help="recognise | partial | refuse"),
    credits: float = typer.Option(None, "--credits", help="部分认定的学分 / credits for partial."),
    reason: str = typer.Option(None, "--reason", help="理由（部分认定或不予认定必填）/ reason (partial, refuse)."),
    user: str = USER_OPTION,
) -> None:  # fmt: skip
    """认定、部分认定或不予认定（认定机构）/ recognise, partly recognise or refuse; a recognition issues a credential.

    Example: edubrain credit-bank decide 3f2a… --user reviewer --decision refuse --reason "佐证不足"
    """
    from edubrain.credit_bank.service import decide as decided

    h = home()
    found = decided(h, signed_in(h, user), deposit_id, decision, credits=credits, reason=reason)
    given = found.decision.credits_recognised if found.decision else 0
    cred = f"; credential {found.credential.id}" if found.credential else ""
    note(t(f"{found.id}：{found.state}，{given:g} 学分{cred}", f"{found.id}: {found.state}, {given:g} credits{cred}"))


@app.command("archive")
def archive(user: str = USER_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """本人的学习成果档案与学分进度 / the learner's own outcomes, decisions and progress to the programme.

    Example: edubrain credit-bank archive --user learner1
    """
    from edubrain.credit_bank.service import my_deposits, progress

    h = home()
    principal = signed_in(h, user)
    rows = [{"completed_on": str(d.completed_on), "title": d.title, "state": d.state, "claimed": d.credits_claimed,
             "recognised": d.decision.credits_recognised if d.decision else None,
             "why": (d.decision.engine.get("reason_zh" if _zh() else "reason_en") if d.decision else "")}
            for d in my_deposits(h, principal)]  # fmt: skip
    columns = [Col("completed_on", "完成日期", "completed"), Col("title", "成果", "outcome"), Col("state", "状态", "state"),
               Col("claimed", "申请", "claimed", "num"), Col("recognised", "认定", "recognised", "num"),
               Col("why", "依据", "why", "text")]  # fmt: skip
    print_rows(rows, fmt, columns, title=t("学习成果档案", "Learning record"))
    found = progress(h, principal)
    if found is not None:
        missing = ", ".join(f"{r['requirement_id']} {r['missing']:g}" for r in found["requirements"] if not r["met"])
        note(
            t(
                f"已认定 {found['total']:g} 学分；尚缺：{missing or '无'}",
                f"{found['total']:g} credits; missing: {missing or 'none'}",
            ),
            fmt,
        )


@app.command("credential")
def credential(credential_id: str = typer.Argument(..., help="证书编号 urn:uuid:… / the credential id."),
               user: str = USER_OPTION) -> None:  # fmt: skip
    """输出已签名的证书（JSON）/ print the signed credential (JSON, Open Badges 3.0).

    Example: edubrain credit-bank credential urn:uuid:… --user learner1 > badge.json
    """
    from edubrain.credit_bank.service import credential_document

    h = home()
    print_json(credential_document(h, signed_in(h, user), credential_id))


@app.command("revoke")
def revoke(credential_id: str = typer.Argument(..., help="证书编号 / the credential id."),
           reason: str = typer.Option(..., "--reason", help="撤销理由 / why."), user: str = USER_OPTION) -> None:  # fmt: skip
    """撤销证书（认定机构）：状态列表对应位置位 / revoke a credential (its institution): its status bit is set.

    Example: edubrain credit-bank revoke urn:uuid:… --user reviewer --reason "证书造假"
    """
    from edubrain.credit_bank.service import revoke as revoked

    h = home()
    found = revoked(h, signed_in(h, user), credential_id, reason)
    note(t(f"已撤销：{found.id}（状态列表 {found.status_list_id} 第 {found.status_index} 位）",
           f"revoked: {found.id} (list {found.status_list_id}, bit {found.status_index})"))  # fmt: skip


@app.command("status-list")
def status_list(list_id: str = typer.Argument(..., help="状态列表编号 / the status list id.")) -> None:
    """输出公开的状态列表凭证 / print the public status list credential (JSON).

    Example: edubrain credit-bank status-list 5c1e…
    """
    from edubrain.credit_bank.service import CreditBankNotFound
    from edubrain.credit_bank.status import status_list_credential

    found = status_list_credential(home(), list_id)
    if found is None:
        raise CreditBankNotFound(f"没有状态列表 {list_id}", f"No status list {list_id}", id=list_id)
    print(json.dumps(found, ensure_ascii=False, indent=2))


def register(parent: typer.Typer) -> None:
    """Add the credit-bank command group to parent."""
    parent.add_typer(app, name="credit-bank")
