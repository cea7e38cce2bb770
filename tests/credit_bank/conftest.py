from __future__ import annotations

from collections.abc import Iterable
from itertools import count
from typing import Any

import polars as pl
import pytest

from edubrain.credit_bank import RuleSet, select_ruleset
from tests.credit_bank.bank import bank_city  # noqa: F401  (the service tests' city)

_ids = count()


def outcome(
    learner: str = "L1",
    code: str | None = None,
    credits: float | None = 3.0,
    year: int = 2024,
    term: int | None = 1,
    category: str | None = "major",
    kind: str = "course",
    education: str = "non_formal",
    provider: str = "external",
    institution: str | None = "INST-A",
    outcome_id: str | None = None,
) -> dict[str, Any]:
    n = next(_ids)
    return {
        "learner_id": learner,
        "outcome_id": outcome_id or f"E{n:07d}",
        "code": code or f"C{n:07d}",
        "kind": kind,
        "category": category,
        "credits": credits,
        "year": year,
        "term": term,
        "education": education,
        "provider": provider,
        "institution": institution,
    }


def table(rows: Iterable[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema_overrides={"credits": pl.Float64, "term": pl.Int32, "year": pl.Int32})


def spread(
    learner: str,
    plan: list[tuple[str, float]],
    per_term: float = 20,
    first_year: int = 2020,
    institutions: tuple[str, ...] = ("INST-A",),
) -> list[dict]:
    """Courses in the order given, filling terms up to ``per_term`` credits, taken in turn at ``institutions``."""
    rows, year, term, used = [], first_year, 1, 0.0
    for i, (category, credits) in enumerate(plan):
        if used + credits > per_term:
            year, term, used = (year, 2, 0.0) if term == 1 else (year + 1, 1, 0.0)
        rows.append(
            outcome(
                learner,
                credits=credits,
                year=year,
                term=term,
                category=category,
                institution=institutions[i % len(institutions)],
            )
        )
        used += credits
    return rows


@pytest.fixture(scope="session")
def korean() -> RuleSet:
    return select_ruleset("kr-acbs-bachelor", 2025)


@pytest.fixture(scope="session")
def city() -> RuleSet:
    return select_ruleset("cn-city-credit-bank", 2025)
