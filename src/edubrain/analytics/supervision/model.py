"""The credit model of graded supervision (信用分级分类监管) as data, with its grades and inspection intervals.

Declared in ``analytics/data/provider_credit.yaml``; every number there is the city's setting (the national
guidance, 国办发〔2019〕35号, asks for grades and for more frequent checks of poorer credit, without numbers).
Pure: reads only the package's own data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FILE = "provider_credit.yaml"


@dataclass(frozen=True)
class Grade:
    """One grade: the lowest score it takes (None for the last), months between inspections and its meaning."""

    grade: str
    min: float | None
    months: int
    zh: str
    en: str


@dataclass(frozen=True)
class CreditModel:
    """The scoring rules (see the YAML for each number's meaning)."""

    version: str
    start_score: float
    window_days: int
    half_life_days: float
    finding_points: dict[str, float]
    complaint_points: float
    rectify_share: float
    overdue_points: float
    grade_d_licence: tuple[str, ...]
    unlicensed_grade: str
    grades: tuple[Grade, ...]

    def grade(self, name: str) -> Grade:
        """The grade called ``name``.

        Raises:
            KeyError: no such grade.
        """
        return next(g for g in self.grades if g.grade == name)


def parse_model(spec: dict[str, Any]) -> CreditModel:
    """A :class:`CreditModel` from the YAML's mapping.

    Raises:
        ValueError: grades not in descending order of ``min``, or the last grade has a ``min``.
    """
    grades = tuple(
        Grade(str(g["grade"]), None if g["min"] is None else float(g["min"]), int(g["months"]), g["zh"], g["en"])
        for g in spec["grades"]
    )
    mins = [g.min for g in grades[:-1]]
    if grades[-1].min is not None or any(m is None for m in mins) or mins != sorted(mins, reverse=True):  # type: ignore[type-var]
        raise ValueError("grades must have descending min scores and the last grade no min")
    return CreditModel(
        version=str(spec["version"]),
        start_score=float(spec["start_score"]),
        window_days=int(spec["window_days"]),
        half_life_days=float(spec["half_life_days"]),
        finding_points={str(k): float(v) for k, v in spec["finding_points"].items()},
        complaint_points=float(spec["complaint_points"]),
        rectify_share=float(spec["rectify_share"]),
        overdue_points=float(spec["overdue_points"]),
        grade_d_licence=tuple(str(c) for c in spec["grade_d_licence"]),
        unlicensed_grade=str(spec["unlicensed_grade"]),
        grades=grades,
    )


@lru_cache(maxsize=1)
def load_credit_model() -> CreditModel:
    """The model declared in ``provider_credit.yaml``."""
    text = resources.files("edubrain.analytics").joinpath("data", FILE).read_text(encoding="utf-8")
    return parse_model(yaml.safe_load(text))
