"""The governed smart-campus facade: the workflow's steps (each followed by a refresh of the scores) and reads.

Writes go through :mod:`edubrain.governance.smart_campus` and :mod:`edubrain.governance.smart_campus_evidence`
(scope and audit there); after a step that changes scores or states the derived dataset ``smart_campus_scores`` is
recomputed by its registered derivation (entry point ``smart_campus``, :mod:`edubrain.exchange.derive`; the facade,
like the adapters, never imports a job). Reads of scores go through the governed read path
(:func:`~edubrain.governance.readpath.read_dataset`: a school sees its own rows, a district its schools', the city
all), so a rate, a count or a shortlist entry is never computed from rows outside the viewer's scope.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import polars as pl

from edubrain.analytics.smart_campus import SCORE_COLUMNS, load_framework, standard_rates
from edubrain.exchange import derive
from edubrain.governance import smart_campus as wf
from edubrain.governance import smart_campus_designate as designation
from edubrain.governance import smart_campus_evidence as ev
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied, viewpoint
from edubrain.home import Home
from edubrain.smart_campus.models import AreaRate, IndicatorScore, Overview, SchoolScores, ShortlistEntry

CITY = "110000"
DATASET = "smart_campus_scores"
DERIVATION = "smart_campus"
MONITORING = "monitoring"


def refresh(home: Home) -> None:
    """Recompute ``smart_campus_scores`` and then what reads it: the monitoring indicators, when stale.

    Both through their registered derivations by name (:data:`DERIVATION`, :data:`MONITORING`), so the 七个全面
    tree's 达标率 and demonstration-school count change with the step that changed them, from the one computation
    that writes them (with its lineage), never a second one.
    """
    derive.derivation(DERIVATION).run(home)
    monitoring = derive.derivation(MONITORING)
    if monitoring.is_stale(home):
        monitoring.run(home)


def create(home: Home, principal: Principal, school: str, school_year: int) -> wf.Assessment:
    """Draft a self-assessment (see :func:`edubrain.governance.smart_campus.create`) and refresh the scores."""
    found = wf.create(home, principal, school, school_year)
    refresh(home)
    return found


def save_scores(home: Home, principal: Principal, assessment_id: str, scores: Mapping[str, Any]) -> wf.Assessment:
    """Save self-assessment scores and refresh the scores."""
    found = wf.save_scores(home, principal, assessment_id, scores)
    refresh(home)
    return found


def act(home: Home, principal: Principal, assessment_id: str, action: str, comment: str | None = None) -> wf.Assessment:
    """Take one workflow step (submit, recommend, return, approve, designate, revoke) and refresh the scores.

    ``designate`` needs the school-year on the shortlist: its rank is read through the governed read path as the
    principal (a reader who may not act is refused by the step itself, before the rank matters).
    """
    if action == "designate":
        current = wf.get(home, principal, assessment_id)  # not_found outside the scope
        rows = scores_frame(home, principal, school_code=current.school_code, school_year=current.school_year)
        rank = rows.item(0, "shortlist_rank") if rows.height else None
        found = designation.designate(home, principal, assessment_id, None if rank is None else int(rank), comment)
    elif action == "revoke":
        found = designation.revoke(home, principal, assessment_id, comment)
    else:
        found = wf.transition(home, principal, assessment_id, action, comment)
    refresh(home)
    return found


def add_evidence(home: Home, principal: Principal, assessment_id: str, indicator: str, name: str, data: bytes) -> str:
    """Keep one evidence file (see :func:`edubrain.governance.smart_campus_evidence.add_evidence`)."""
    return ev.add_evidence(home, principal, assessment_id, indicator, name, data)


def evidence_file(home: Home, principal: Principal, evidence_id: str) -> ev.EvidenceFile:
    """The bytes of one evidence file, for a reader of its assessment (audited)."""
    return ev.read_evidence(home, principal, evidence_id)


def _refused(principal: Principal) -> AccessDenied:
    return AccessDenied(
        f"{principal.name} 无权查看智慧校园达标评定", f"{principal.name} may not see the smart-campus evaluation"
    )


def scores_frame(home: Home, principal: Principal, **filters: Any) -> pl.DataFrame:
    """The rows of ``smart_campus_scores`` in the principal's scope (empty before the first run)."""
    if not wf.may_use(principal):
        raise _refused(principal)
    if home.lake.version(DATASET) is None:
        return pl.DataFrame(schema={f: pl.String for f in home.catalog.dataset(DATASET).field_names})
    found = pl.from_arrow(read_dataset(home, principal, DATASET, filters=filters or None).table)
    assert isinstance(found, pl.DataFrame)
    return found


def overview(home: Home, principal: Principal, year: int | None = None) -> Overview:
    """达标率 of the viewer's areas against the target, states counted, and the shortlisted schools of the year."""
    framework = load_framework()
    rows = scores_frame(home, principal)
    years = sorted({int(y) for y in rows.get_column("school_year").to_list()}) if rows.height else []
    chosen = year if year in years else (years[-1] if years else None)
    level = viewpoint(principal).level or "school"
    plan = framework.plan
    if chosen is None:
        return Overview(None, [], level, [], {}, [], plan.target_rate, plan.demonstration_schools, plan.quote, 0)
    rows = rows.filter(pl.col("school_year") == chosen)
    rates = standard_rates(rows.with_columns(pl.col("meets_standard").cast(pl.Int64)), plan.target_rate)
    if level != "city":  # a district sees its own rate; a school's one row is no area's rate
        rates = rates.filter(pl.col("district_code") != CITY) if level == "district" else rates.clear()
    states = dict(rows.group_by("state").len().iter_rows())
    short = rows.filter(pl.col("shortlist_rank").is_not_null()).sort("shortlist_rank")
    return Overview(
        chosen, years, level, [AreaRate(**r) for r in rates.iter_rows(named=True)], {str(k): int(v) for k, v in states.items()},
        [_entry(r) for r in short.iter_rows(named=True)], plan.target_rate, plan.demonstration_schools, plan.quote,
        int(rows.get_column("designated").cast(pl.Int64).sum() or 0) if "designated" in rows.columns else 0,
    )  # fmt: skip


def _entry(row: dict[str, Any]) -> ShortlistEntry:
    return ShortlistEntry(
        int(row["shortlist_rank"]), row["school_code"], row["district_code"], int(row["school_year"]),
        float(row["total"]), float(row["platform_points"]), float(row["self_points"]),
        {c.removeprefix("score_"): float(row[c]) for c in SCORE_COLUMNS}, row["explanation_zh"], row["explanation_en"],
        int(row.get("designated") or 0) == 1,  # absent in a version written before designations existed
    )  # fmt: skip


def school_scores(home: Home, principal: Principal, school: str, year: int) -> SchoolScores:
    """One school-year: scores per dimension and indicator, its assessment, and the viewer's possible actions.

    Raises:
        AssessmentNotFound: the school is outside the viewer's scope (or not stored).
    """
    assessment = wf.find(home, principal, school, year)  # refuses a school outside the scope (not_found)
    framework = load_framework()
    rows = scores_frame(home, principal, school_code=school, school_year=year)
    row = rows.row(0, named=True) if rows.height else None
    detail = {d["id"]: d for d in json.loads(row["detail"])} if row else {}
    counts: dict[str, int] = {}
    for item in assessment.evidence if assessment else []:
        counts[item.indicator_id] = counts.get(item.indicator_id, 0) + 1
    indicators = [
        IndicatorScore(i.id, i.dimension, i.name_zh, i.name_en, i.source, i.max, detail.get(i.id, {}).get("value"),
                       float(detail.get(i.id, {}).get("points") or 0.0), bool(detail.get(i.id, {}).get("missing", True)),
                       counts.get(i.id, 0))
        for i in framework.indicators
    ]  # fmt: skip
    rule = framework.standard.rule
    dims = [
        {"id": d.id, "name_zh": d.name_zh, "name_en": d.name_en, "max": d.max,
         "points": float(row[f"score_{d.id}"]) if row else 0.0, "floor": round(rule.dimension_share_at_least * d.max, 2)}
        for d in framework.dimensions
    ]  # fmt: skip
    return SchoolScores(
        school, year, assessment.state if assessment else "none", float(row["total"]) if row else None,
        bool(row and int(row["meets_standard"]) == 1), float(row["platform_points"]) if row else None,
        float(row["self_points"]) if row else None,
        int(row["shortlist_rank"]) if row and row["shortlist_rank"] is not None else None,
        row["explanation_zh"] if row else None, row["explanation_en"] if row else None, dims, indicators, assessment,
        may_draft=assessment is None and wf.may_draft(home, principal, school),
        rule={"total_at_least": rule.total_at_least, "dimension_share_at_least": rule.dimension_share_at_least},
    )  # fmt: skip
