"""The published facts and the model built on them: births, district shares, grade sizes."""

from __future__ import annotations

import pytest

from edubrain.synth import facts
from edubrain.synth.config import REFERENCE_YEAR, TARGET_STUDENTS, Rates


def test_birth_curve_rises_to_the_two_child_peak_and_falls_after_it() -> None:
    b = facts.city_births()
    assert b[2016] > 1.15 * b[2015], "the 2016 rise after the universal two-child policy"
    assert min(b[2016], b[2017]) > b[2018] > b[2019] > b[2020] > b[2021] > b[2022] >= b[2023]
    assert b[2023] < 0.65 * max(b[2016], b[2017]), "births fell by more than a third after the peak"
    assert b[2010] < 0.75 * b[2016], "births rose through the 2010s"
    assert b[2024] > b[2023], "the 2024 uptick"


def test_district_shares_put_the_big_urban_districts_far_above_the_ecological_ones() -> None:
    share = {d.name_zh: d.student_share for d in facts.districts()}
    assert len(share) == 16
    assert sum(share.values()) == pytest.approx(1.0)
    assert share["海淀区"] == pytest.approx(186_638 / 1_036_485)
    for big in ("海淀区", "朝阳区"):
        for small in ("延庆区", "门头沟区"):
            assert share[big] > 8 * share[small]


def test_intake_factor_gives_the_target_enrolment_in_the_reference_year() -> None:
    rates = Rates()
    total = sum(facts.expected_grade_size(REFERENCE_YEAR, g, rates) for g in range(12))
    assert total == pytest.approx(TARGET_STUDENTS)


def test_grade_one_intake_follows_births_six_years_earlier() -> None:
    rates = Rates()
    ratios = {y: facts.expected_grade_size(y, 0, rates) / facts.cohort_births(y) for y in range(2016, 2031)}
    assert max(ratios.values()) == pytest.approx(min(ratios.values()))
    assert facts.cohort_births(2023) == pytest.approx(facts.births(2016) / 3 + 2 * facts.births(2017) / 3)


def test_senior_grades_are_smaller_than_primary_grades() -> None:
    rates = Rates()
    primary = facts.expected_grade_size(REFERENCE_YEAR, 5, rates)
    senior = facts.expected_grade_size(REFERENCE_YEAR, 11, rates)
    assert senior < 0.7 * primary
