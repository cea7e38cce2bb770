"""Recognition (认定) by an authorised institution, accumulation and conversion, credentials and their revocation.

A reviewer of the institution a deposit is addressed to decides it with the rule engine
(:func:`edubrain.credit_bank.evaluate`) under the version of the learner's programme rules in force in the year of
the decision (:func:`edubrain.credit_bank.select_ruleset`). The deposit is evaluated together with the learner's
outcomes already recognised (at the credits recognised), so caps and "a course counts once" see the whole record.

- ``recognise``: the credits the rules grant (``partial`` is stored when they grant less than claimed);
- ``partial``: fewer credits than the rules grant, with a reason;
- ``refuse``: none, with a reason.

The engine's decision (granted, rule, reasons in Chinese and English, the trail of rules that changed the credits)
is stored with the reviewer's. A recognition issues an Open Badges 3.0 credential signed ``eddsa-rdfc-2022`` by the
platform's issuer key with a Bitstring Status List entry; revoking it flips its bit and re-signs the list. Each
step is one transaction with its workflow and audit events.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.credit_bank import RuleSet, evaluate, explain_learner, select_ruleset
from edubrain.governance import credit_bank as cb
from edubrain.governance import credit_bank_views as views
from edubrain.governance.credit_bank_credential import issue_credential
from edubrain.governance.credit_bank_models import CreditBankDecision, CreditBankDeposit, CreditBankLearner
from edubrain.governance.credit_bank_records import DECISIONS, ENGINE_PROVIDERS, Deposit
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.store.db import session_scope

COUNTED = ("recognised", "partial")
"""Deposit states whose recognised credits count toward the programme."""


def ruleset_for(learner: CreditBankLearner, year: int | None = None) -> RuleSet:
    """The version of the learner's programme rules in force in ``year`` (default: this year)."""
    return select_ruleset(learner.programme or cb.DEFAULT_PROGRAMME, year or dt.datetime.now(dt.UTC).year)


def _outcome(row: CreditBankDeposit, credits: float | None, category: str | None) -> dict[str, Any]:
    details = row.details or {}
    kind = details.get("engine_kind", "course")
    if kind == "qualification" and not credits:
        credits = None  # the conversion table gives a certificate its credits
    return {"learner_id": row.learner_id, "outcome_id": row.id, "code": details.get("code") or row.id, "kind": kind,
            "category": category, "credits": credits, "date": row.completed_on.isoformat(),
            "education": row.formality, "provider": ENGINE_PROVIDERS[row.setting], "institution": row.provider}  # fmt: skip


_COLUMNS = {"learner_id": pl.String, "outcome_id": pl.String, "code": pl.String, "kind": pl.String,
            "category": pl.String, "credits": pl.Float64, "date": pl.String, "education": pl.String,
            "provider": pl.String, "institution": pl.String}  # fmt: skip


def _recognised(session: Session, learner_id: str, but: str | None = None) -> list[dict[str, Any]]:
    """The learner's counted outcomes at the credits and category recognised."""
    rows = session.execute(
        select(CreditBankDeposit, CreditBankDecision)
        .join(CreditBankDecision, CreditBankDecision.deposit_id == CreditBankDeposit.id)
        .where(CreditBankDeposit.learner_id == learner_id, CreditBankDeposit.state.in_(COUNTED),
               CreditBankDecision.outcome.in_(COUNTED))
    ).all()  # fmt: skip
    return [_outcome(d, c.credits_recognised, c.category) for d, c in rows if d.id != but]


def engine_decision(
    session: Session, row: CreditBankDeposit, learner: CreditBankLearner
) -> tuple[RuleSet, dict[str, Any]]:
    """The rule engine's explained decision about ``row`` with the learner's recognised record.

    Outcomes already recognised keep their credits: the deposit is granted at most what it adds to the learner's
    total (the record evaluated with it, less the record without it). When a rule would rather keep the new
    deposit and cut a recognised one ("largest first"), the deposit is cut instead, by that rule and its reason.
    """
    ruleset = ruleset_for(learner)
    history = _recognised(session, learner.id, row.id)
    mine_row = _outcome(row, row.credits_claimed, (row.details or {}).get("category"))
    evaluation = evaluate(pl.DataFrame([*history, mine_row], schema=_COLUMNS), ruleset)
    explained = explain_learner(evaluation, learner.id)
    mine = next(o for o in explained["outcomes"] if o["outcome_id"] == row.id)
    if not history:
        return ruleset, mine
    alone = evaluate(pl.DataFrame(history, schema=_COLUMNS), ruleset)
    before = dict(zip(alone.decisions["outcome_id"].to_list(), alone.decisions["granted"].to_list(), strict=True))
    room = max(0.0, round(_total(evaluation) - _total(alone), 4))
    if float(mine["granted"]) <= room:
        return ruleset, mine
    cut = [o for o in explained["outcomes"] if o["outcome_id"] in before and o["granted"] < before[o["outcome_id"]]]
    source = cut[0] if cut else mine
    keys = ("rule_id", "rule_name_zh", "rule_name_en", "reason_zh", "reason_en", "trail")
    return ruleset, {**mine, **{k: source[k] for k in keys}, "granted": room,
                     "decision": "refused" if room <= 0 else "reduced"}  # fmt: skip


def _total(evaluation: Any) -> float:
    return float(evaluation.decisions["granted"].sum() or 0.0)


def preview(home: Home, principal: Principal, deposit_id: str) -> dict[str, Any]:
    """The engine's decision about a deposit before a reviewer decides (its institution's reviewers only)."""
    with session_scope(home.engine) as session:
        row = _reviewable(session, principal, deposit_id)
        learner = session.get(CreditBankLearner, row.learner_id)
        assert learner is not None
        ruleset, mine = engine_decision(session, row, learner)
        return {"ruleset_id": ruleset.id, "ruleset_version": ruleset.version, **mine}


def _reviewable(session: Session, principal: Principal, deposit_id: str) -> CreditBankDeposit:
    row = cb.load_deposit(session, principal, deposit_id)
    if row.institution_code not in cb.institutions_of(principal):
        raise cb.not_found(deposit_id[:64])  # its learner reads it, but only the institution decides
    return row


def _refuse(what_zh: str, what_en: str, **details: Any) -> cb.CreditBankError:
    return cb.CreditBankError(what_zh, what_en, **details)


def decide(home: Home, principal: Principal, deposit_id: str, action: str, *, credits: float | None = None,
           reason: str | None = None, category: str | None = None) -> Deposit:  # fmt: skip
    """Recognise, partly recognise or refuse a deposit (a reviewer of its institution); see the module docstring.

    Raises:
        CreditBankNotFound: unknown, or not addressed to one of the principal's institutions.
        CreditBankError: not awaiting a decision, an unknown action or category, a missing reason, credits above
            what the rules grant, or a recognition of what the rules refuse.
    """
    reason = (reason or "").strip()[:1000] or None
    with session_scope(home.engine) as session:
        row = _reviewable(session, principal, deposit_id)
        if action not in DECISIONS:
            raise _refuse(f"未知的认定操作 {action!r}；可选：{' / '.join(DECISIONS)}",
                          f"Unknown decision {action!r}; one of {', '.join(DECISIONS)}", field="action")  # fmt: skip
        if row.state != "deposited":
            raise _refuse("该成果已有认定结论，不能再次认定", "This deposit has been decided already", state=row.state)
        learner = session.get(CreditBankLearner, row.learner_id)
        assert learner is not None
        ruleset, mine = engine_decision(session, row, learner)
        granted = float(mine["granted"])
        chosen = category or mine["category"]
        if chosen is not None and chosen not in ruleset.categories:
            raise _refuse(f"学分类别 {chosen!r} 不在《{ruleset.name_zh}》中；可选：{' / '.join(ruleset.categories)}",
                          f"Category {chosen!r} is not in {ruleset.name_en}; one of {', '.join(ruleset.categories)}",
                          field="category")  # fmt: skip
        if action != "recognise" and reason is None:
            raise _refuse(
                "部分认定或不予认定时必须填写理由", "A partial recognition or a refusal needs a reason", field="reason"
            )
        if action == "recognise" and granted <= 0:
            raise _refuse(f"按规则不能认定任何学分（{mine['reason_zh']}）：请选择不予认定",
                          f"The rules grant no credits ({mine['reason_en']}): refuse instead", rule=mine["rule_id"])  # fmt: skip
        if action == "partial" and not (credits is not None and 0 < credits <= granted):
            raise _refuse(f"部分认定的学分应大于 0 且不超过规则给出的 {granted:g} 学分",
                          f"Partial credits must be above 0 and at most the {granted:g} the rules grant",
                          field="credits", allowed=[0, granted])  # fmt: skip
        given = {"recognise": granted, "partial": round(float(credits or 0), 2), "refuse": 0.0}[action]
        outcome = "refused" if action == "refuse" else ("recognised" if given >= float(mine["claimed"]) else "partial")
        made = CreditBankDecision(
            id=uuid.uuid4().hex, deposit_id=row.id, institution_code=row.institution_code, outcome=outcome,
            credits_recognised=given, category=chosen, ruleset_id=ruleset.id, ruleset_version=ruleset.version,
            engine_decision={k: mine[k] for k in ("decision", "claimed", "granted", "rule_id", "rule_name_zh",
                                                  "rule_name_en", "reason_zh", "reason_en", "category", "year")},
            trail=list(mine["trail"]), reason=reason, decided_by=principal.id,
        )  # fmt: skip
        session.add(made)
        before, row.state = row.state, outcome
        session.flush()
        issued = None
        if outcome in COUNTED:
            issued = issue_credential(home, session, row, made, learner, ruleset)
        cb.record(session, principal, row, action, before, reason, credits=given, engine=mine["decision"],
                  rule=mine["rule_id"], ruleset=f"{ruleset.id}@{ruleset.version}", credential=issued)  # fmt: skip
        return views.deposit_view(session, row, learner.name)


def progress(home: Home, principal: Principal) -> dict[str, Any] | None:
    """The principal's own accumulation and conversion: totals, per category, each requirement and what is missing.

    None when the principal has no account. Each counted outcome is explained (rule, reason, trail).
    """
    with session_scope(home.engine) as session:
        learner = cb.own_learner(session, principal)
        if learner is None:
            return None
        ruleset = ruleset_for(learner)
        outcomes = _recognised(session, learner.id)
        cb.record_event_read(session, principal, learner.id, "progress")
    evaluation = evaluate(pl.DataFrame(outcomes, schema=_COLUMNS), ruleset)
    explained = explain_learner(evaluation, learner.id)
    if not explained["requirements"]:
        explained["requirements"] = [{"requirement_id": q.id, "name_zh": q.name_zh, "name_en": q.name_en,
                                      "required": float(q.min_credits), "earned": 0.0, "missing": float(q.min_credits),
                                      "met": False} for q in ruleset.requirements]  # fmt: skip
        explained["degree_met"] = not ruleset.requirements
    row = evaluation.progress.filter(pl.col("learner_id") == learner.id)
    per = {c: float(row.item(0, f"credits_{c}")) if row.height else 0.0 for c in ruleset.categories}
    explained["total"] = float(row.item(0, "accepted_credits")) if row.height else 0.0
    explained["categories"] = [{"id": c, "name_zh": lab.zh, "name_en": lab.en, "credits": per[c]}
                               for c, lab in ruleset.categories.items()]  # fmt: skip
    return explained
