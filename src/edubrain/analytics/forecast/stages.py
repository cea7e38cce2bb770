"""School stages and grades as the forecast counts them (grades 1–12, three stages)."""

from __future__ import annotations

from typing import Literal

Stage = Literal["primary", "junior", "senior"]

STAGES: dict[Stage, tuple[int, int]] = {"primary": (1, 6), "junior": (7, 9), "senior": (10, 12)}
"""First and last grade (1–12) of each stage: 小学 1–6, 初中 7–9, 高中 10–12."""

STAGE_CODES: dict[Stage, str] = {"primary": "2", "junior": "3", "senior": "4"}
"""The stage's code in the ``school_stage`` code table (JY/T 1001 入学学段 RKXD)."""

STAGE_ZH: dict[Stage, str] = {"primary": "小学", "junior": "初中", "senior": "高中"}

GRADE_CODES: dict[str, int] = {
    **{f"1{g}": g for g in range(1, 7)},
    **{f"2{g}": 6 + g for g in range(1, 4)},
    **{f"3{g}": 9 + g for g in range(1, 4)},
}
"""Grade code (``grade`` code table: 11–16, 21–23, 31–33) to grade number 1–12."""

ENTRY_GRADES: dict[Stage, int] = {"primary": 1, "junior": 7, "senior": 10}
"""The grade a pupil enters each stage in."""

N_GRADES = 12


def stage_of(name: str) -> Stage:
    """The stage called ``name``: ``primary|junior|senior``, the code ``2|3|4`` or ``小学|初中|高中``.

    Raises:
        ValueError: ``name`` is not a stage.
    """
    for stage in STAGES:
        if name in (stage, STAGE_CODES[stage], STAGE_ZH[stage]):
            return stage
    raise ValueError(name)


def stage_slice(stage: Stage) -> slice:
    """The positions of the stage's grades in a 12-grade array (grade 1 at position 0)."""
    first, last = STAGES[stage]
    return slice(first - 1, last)
