"""The typed results of the governed teaching-quality facade (:mod:`edubrain.teaching`).

Frozen dataclasses, already scoped and read through governance: an adapter (API, web page, CLI) renders them and
never reads the lake itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from edubrain.errors import EduBrainError


class ExamNotFound(EduBrainError):
    """No exam with this id inside the reader's scope (the same answer whether it exists elsewhere or not)."""

    code = "not_found"
    exit_code = 4


@dataclass(frozen=True)
class ExamSummary:
    """One exam in the reader's scope: where, when, what, how many students and how reliable."""

    exam_id: str
    school_code: str
    district_code: str | None
    school_year: int | None
    grade: str | None
    subject: str | None
    persons: int
    items: int
    alpha: float | None
    flagged: int


@dataclass(frozen=True)
class ItemRow:
    """One item's statistics and its review reasons (codes with Chinese and English text)."""

    item_no: int
    item_type: str | None
    max_score: float | None
    key: str | None
    difficulty: float | None
    discrimination: float | None
    point_biserial: float | None
    corrected_item_total: float | None
    alpha_if_deleted: float | None
    flags: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]


@dataclass(frozen=True)
class ExamItems:
    """An exam's items table and reliability (alpha with Feldt's 95 % interval; KR-20 when every item is 0/1)."""

    exam: ExamSummary
    alpha_lower: float | None
    alpha_upper: float | None
    kr20: float | None
    items: tuple[ItemRow, ...]


@dataclass(frozen=True)
class OptionRow:
    """One option of an objective item: who chose it, overall and in the upper and lower 27 %."""

    option: str
    is_key: bool
    rate: float
    rate_upper: float
    rate_lower: float
    discrimination: float
    flag: str | None


@dataclass(frozen=True)
class ItemOptions:
    """The distractor table of one item of one exam."""

    exam_id: str
    item_no: int
    options: tuple[OptionRow, ...]


@dataclass(frozen=True)
class SchoolEffect:
    """One school's value-added effect (standard-score units) and its 95 % interval."""

    school_code: str
    district_code: str | None
    students: int
    effect: float
    std_error: float
    lower: float
    upper: float
    position: str
    """``above`` (the whole interval above 0), ``below`` (below 0) or ``average`` (the interval holds 0)."""


@dataclass(frozen=True)
class ValueAddedView:
    """The schools' effects in one year and subject, the model's facts and the ranking warning."""

    school_year: int | None
    subject: str | None
    years: tuple[int, ...]
    subjects: tuple[str, ...]
    schools: tuple[SchoolEffect, ...]
    prior_slope: float | None
    school_variance: float | None
    residual_variance: float | None
    model_students: int | None
    model_schools: int | None
    overlapping_pairs: float | None
    """Share of pairs of the shown schools whose intervals overlap (None with fewer than 2 schools)."""
    warning_zh: str
    warning_en: str
