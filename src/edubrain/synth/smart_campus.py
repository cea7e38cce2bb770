"""Planted smart-campus self-assessments (智慧校园达标评定), with the truth written beside the generated city.

For the last school year, every school of the city gets one planted kind (drawn with the city's seed, shares in
:data:`SHARES`; each kind but ``meets`` given to at least one school while there are schools), written as the plan ``smart-campus/assessments.csv`` (school, year, kind, state) and as the truth
``smart-campus-truth/status.csv`` (``school_code``, ``school_year``, ``planted``, ``state``, ``meets_standard``):

- ``meets``: every self-assessed indicator at its maximum, approved by the city. The framework's self-assessed
  points alone reach the 达标 rule (77 of 100, every dimension at least 68 %), so it meets the standard whatever
  the platform data say;
- ``below_total``: every self-assessed indicator at half its maximum, approved: at most 38.5 + 23 platform points,
  under the total of 70 whatever the platform data;
- ``below_floor``: full marks except 0 in 数据与资源 (all self-assessed), approved: that dimension is under its floor;
- ``returned``: full marks, returned by the district with a comment (not approved, so not 达标);
- ``recommended``: full marks, recommended by the district, not yet approved by the city (not 达标);
- ``none``: no self-assessment (not 达标).

:func:`load_planted` plays the plan through the workflow (:mod:`edubrain.governance.smart_campus`) as each
school's, district's and city administrator (principals built here, named ``synth-…`` in the audit trail), so
the stored assessments, events and audit entries are those a real campaign leaves.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from edubrain.analytics.smart_campus import load_framework
from edubrain.governance import smart_campus as wf
from edubrain.governance.identity import Grant, Principal
from edubrain.home import Home
from edubrain.synth.rng import stream

PLAN = Path("smart-campus") / "assessments.csv"
TRUTH = Path("smart-campus-truth") / "status.csv"
SHARES = {"meets": 0.80, "below_total": 0.04, "below_floor": 0.04, "returned": 0.04, "recommended": 0.03, "none": 0.05}
"""Share of the city's schools planted with each kind."""
STATES = {"meets": "approved", "below_total": "approved", "below_floor": "approved", "returned": "returned",
          "recommended": "recommended", "none": "none"}  # fmt: skip
"""The workflow state each kind ends in."""


def plant(root: Path, schools: pl.DataFrame, school_year: int, seed: int) -> pl.DataFrame:
    """Draw a kind for each school (``school_code``, ``district_code``), write the plan and the truth; return the plan."""
    ordered = schools.select("school_code", "district_code").unique().sort("school_code")
    rng: np.random.Generator = stream(seed, "smart_campus", school_year)
    kinds = list(SHARES)
    drawn = rng.choice(len(kinds), size=ordered.height, p=np.array(list(SHARES.values())))
    every = [kinds.index(k) for k in kinds if k != "meets"]  # each other kind at least once, while schools last
    chosen = rng.permutation(ordered.height)[: len(every)]
    drawn[chosen] = every[: len(chosen)]
    plan = ordered.with_columns(
        school_year=pl.lit(school_year, pl.Int64),
        planted=pl.Series([kinds[i] for i in drawn], dtype=pl.String),
    ).with_columns(state=pl.col("planted").replace_strict(STATES, return_dtype=pl.String))
    for path in (root / PLAN, root / TRUTH):
        path.parent.mkdir(parents=True, exist_ok=True)
    plan.write_csv(root / PLAN)
    truth = plan.select(
        "school_code", "school_year", "planted", "state", meets_standard=(pl.col("planted") == "meets").cast(pl.Int64)
    )
    truth.write_csv(root / TRUTH)
    return plan


def read_truth(root: Path) -> pl.DataFrame:
    """The planted truth of a generated city."""
    return pl.read_csv(root / TRUTH, schema_overrides={"school_code": pl.String})


def planted_scores(kind: str) -> dict[str, float]:
    """The self-assessed scores of a planted kind."""
    framework = load_framework()
    if kind == "below_total":
        return {i.id: i.max / 2 for i in framework.self_indicators()}
    if kind == "below_floor":
        return {i.id: 0.0 if i.dimension == "data_resources" else i.max for i in framework.self_indicators()}
    return {i.id: i.max for i in framework.self_indicators()}


def _admin(level: str, code: str) -> Principal:
    role = wf.ACTOR_ROLES[level]
    return Principal(id=f"synth-{level}-{code}", name=f"synth {role} {code}", grants=(Grant(role, code, level),))


def load_planted(home: Home, root: Path) -> int:
    """Play the plan of ``root`` through the workflow; return the assessments stored (schools already stored)."""
    plan = pl.read_csv(root / PLAN, schema_overrides={"school_code": pl.String, "district_code": pl.String})
    city = _admin("city", "110000")
    stored = 0
    for row in plan.filter(pl.col("planted") != "none").iter_rows(named=True):
        school, district = _admin("school", row["school_code"]), _admin("district", row["district_code"])
        found = wf.create(home, school, row["school_code"], int(row["school_year"]))
        wf.save_scores(home, school, found.id, planted_scores(row["planted"]))
        wf.transition(home, school, found.id, "submit")
        if row["planted"] == "returned":
            wf.transition(home, district, found.id, "return", "请补充佐证材料（合成数据） / add evidence (synthetic)")
        else:
            wf.transition(home, district, found.id, "recommend")
            if row["state"] == "approved":
                wf.transition(home, city, found.id, "approve")
        stored += 1
    return stored
