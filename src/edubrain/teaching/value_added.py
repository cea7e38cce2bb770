"""School value-added read through governance: each school's effect and interval, with the ranking warning.

Rules (docs/value-added.md): ``school_value_added`` is scoped by school — the city sees every school, a district its
schools, a school only its own effect; teachers, students, parents and the public none. The warning against
ranking schools whose intervals overlap goes with every answer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from edubrain.analytics.value_added.model import OVERLAP_WARNING
from edubrain.governance.aggregates import count_rows
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied, reads_rows
from edubrain.home import Home
from edubrain.teaching.models import SchoolEffect, ValueAddedView

DATASET = "school_value_added"
DEFAULT_SUBJECT = "14"


def may_read_value_added(home: Home, principal: Principal) -> bool:
    """Whether ``principal`` has a dashboard and a row scope on ``school_value_added``."""
    return reads_rows(home, principal, DATASET)


def _position(lower: float, upper: float) -> str:
    return "above" if lower > 0 else "below" if upper < 0 else "average"


def overlapping_share(lower: np.ndarray, upper: np.ndarray) -> float | None:
    """Share of pairs of intervals that overlap (None with fewer than 2 intervals)."""
    n = lower.size
    if n < 2:
        return None
    overlap = (lower[:, None] <= upper[None, :]) & (lower[None, :] <= upper[:, None])
    return float((overlap.sum() - n) / 2 / (n * (n - 1) / 2))


def _choices(home: Home, principal: Principal) -> tuple[tuple[int, ...], tuple[str, ...]]:
    found = count_rows(home, principal, DATASET, by=["school_year", "subject"])
    if not found.height:
        return (), ()
    years = tuple(sorted({int(y) for y in found.get_column("school_year").to_list()}))
    return years, tuple(sorted({str(s) for s in found.get_column("subject").to_list()}))


def school_effects(
    home: Home, principal: Principal, *, year: int | None = None, subject: str | None = None
) -> ValueAddedView:
    """The effects of the schools in the reader's scope in ``year`` and ``subject`` (default newest, maths).

    Raises:
        AccessDenied: the reader may not read value-added (teachers, students, parents, the public).
    """
    if not may_read_value_added(home, principal):
        raise AccessDenied(
            f"{principal.name} 不能查看学校增值评价：仅市、区的分析人员与学校管理人员可查看",
            f"{principal.name} may not read school value-added: city, district and school staff only",
        )
    years, subjects = _choices(home, principal)
    chosen_year = year if year in years else (years[-1] if years else None)
    chosen_subject = subject if subject in subjects else (DEFAULT_SUBJECT if DEFAULT_SUBJECT in subjects else None)
    chosen_subject = chosen_subject or (subjects[0] if subjects else None)
    empty: dict[str, Any] = dict.fromkeys(
        ("prior_slope", "school_variance", "residual_variance", "model_students", "model_schools", "overlapping_pairs")
    )
    if chosen_year is None:
        return ValueAddedView(
            None, None, years, subjects, (), **empty, warning_zh=OVERLAP_WARNING[0], warning_en=OVERLAP_WARNING[1]
        )
    filters = {"school_year": chosen_year, "subject": chosen_subject}
    frame = pl.from_arrow(read_dataset(home, principal, DATASET, filters=filters, sort=["effect"]).table)
    assert isinstance(frame, pl.DataFrame)
    schools = tuple(
        SchoolEffect(
            school_code=str(r["school_code"]),
            district_code=r.get("district_code"),
            students=int(r["students"]),
            effect=float(r["effect"]),
            std_error=float(r["std_error"]),
            lower=float(r["lower"]),
            upper=float(r["upper"]),
            position=_position(float(r["lower"]), float(r["upper"])),
        )  # fmt: skip
        for r in frame.to_dicts()
    )
    head = frame.row(0, named=True) if frame.height else {}
    share = (
        overlapping_share(frame.get_column("lower").to_numpy(), frame.get_column("upper").to_numpy())
        if frame.height
        else None
    )
    return ValueAddedView(
        school_year=chosen_year, subject=chosen_subject, years=years, subjects=subjects, schools=schools,
        prior_slope=head.get("prior_slope"), school_variance=head.get("school_variance"),
        residual_variance=head.get("residual_variance"), model_students=head.get("model_students"),
        model_schools=head.get("model_schools"), overlapping_pairs=share,
        warning_zh=OVERLAP_WARNING[0], warning_en=OVERLAP_WARNING[1],
    )  # fmt: skip


def school_names(home: Home, principal: Principal, codes: list[str]) -> dict[str, str]:
    """Names of the schools ``codes`` the reader may see (read through the read path; unknown ones left out)."""
    if not codes:
        return {}
    try:
        read = read_dataset(home, principal, "schools", filters={"school_code": sorted(set(codes))})
    except AccessDenied:
        return {}
    return {str(r["school_code"]): str(r["name"]) for r in read.table.to_pylist() if r.get("name")}
