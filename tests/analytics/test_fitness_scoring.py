"""Scoring by 国家学生体质健康标准（2014年修订）: every threshold from both sides, BMI, bonus, weights, levels."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubrain.analytics.fitness.standard import GRADES, SEXES, load_standard
from tests.analytics.test_fitness_helpers import field_of, score_rows

STD = load_standard()


def _at(item_id: str, sex: str, grade: str, score: int) -> float:
    item = STD.item(item_id)
    return dict(STD.thresholds[(item_id, sex, grade)])[score] / item.scale


def _one_unit(item_id: str) -> float:
    return 1 / STD.item(item_id).scale


def test_fitness_every_threshold_scores_its_points_and_one_unit_worse_scores_less() -> None:
    rows: list[dict[str, Any]] = []
    expected: list[tuple[str, int, str]] = []
    for (item_id, sex, grade), pairs in STD.thresholds.items():
        item = STD.item(item_id)
        step = _one_unit(item_id) * (1 if item.direction == "higher" else -1)
        for i, (score, scaled) in enumerate(pairs):
            value = scaled / item.scale
            below = pairs[i + 1][0] if i + 1 < len(pairs) else 0
            worse = round(value - step, 3)
            rows.append({"sex": sex, "grade": grade, field_of(item_id): value})
            expected.append((f"{item_id}_score", score, f"{item_id} {sex} {grade} at {value}"))
            if i + 1 < len(pairs) and pairs[i + 1][1] == round(worse * item.scale):
                below = pairs[i + 1][0]
            rows.append({"sex": sex, "grade": grade, field_of(item_id): worse})
            expected.append((f"{item_id}_score", below, f"{item_id} {sex} {grade} at {worse}"))
    scored = score_rows(rows)
    wrong = [
        (label, row[column], want)
        for row, (column, want, label) in zip(scored, expected, strict=True)
        if row[column] != want
    ]
    assert not wrong, wrong[:10]
    assert len(rows) > 5000


def test_fitness_results_between_rows_score_the_lower_row() -> None:
    # 一年级男 50米跑 10.5 s = 85, 10.6 s = 80: 10.55 is recorded as 10.6 (rounded up) → 80.
    # 一年级男 肺活量 1399 ml is below the 85 value 1400 → 80. 大一女 坐位体前屈 25.75 cm → 25.8 → 100.
    scored = score_rows(
        [
            {"sex": "1", "grade": "11", "sprint_50m_s": 10.55},
            {"sex": "1", "grade": "11", "vital_capacity_ml": 1399},
            {"sex": "2", "grade": "41", "sit_and_reach_cm": 25.75},
            {"sex": "2", "grade": "41", "sit_and_reach_cm": 25.74},
        ]
    )
    assert [r["sprint_50m_score"] for r in scored[:1]] == [80]
    assert scored[1]["vital_capacity_score"] == 80
    assert scored[2]["sit_and_reach_score"] == 100 and scored[3]["sit_and_reach_score"] == 95


def test_fitness_bmi_band_edges_for_every_sex_and_grade() -> None:
    rows, expected = [], []
    for sex in SEXES:
        for grade in GRADES:
            normal, over, obese = STD.bmi_bands[(sex, grade)]
            cases = [(normal - 1, "低体重", 80), (normal, "正常", 100), (over - 1, "正常", 100), (over, "超重", 80)]
            cases += [(obese - 1, "超重", 80), (obese, "肥胖", 60)]
            for tenths, band, score in cases:
                # 150 cm: weight = BMI × 2.25 gives that BMI exactly.
                rows.append({"sex": sex, "grade": grade, "height_cm": 150.0, "weight_kg": round(tenths / 10 * 2.25, 4)})
                expected.append((tenths / 10, band, score))
    scored = score_rows(rows)
    got = [(r["bmi"], r["bmi_band"], r["bmi_score"]) for r in scored]
    assert got == expected


def test_fitness_bmi_is_rounded_half_up_to_one_decimal() -> None:
    # 160 cm: 18.15 kg/m² is 46.464 kg → 18.2 (超重 for 一年级女 ≥ 17.4); 46.46 kg is 18.148 → 18.1.
    scored = score_rows(
        [
            {"sex": "1", "grade": "11", "height_cm": 160.0, "weight_kg": 46.464},
            {"sex": "1", "grade": "11", "height_cm": 160.0, "weight_kg": 46.46},
        ]
    )
    assert [r["bmi"] for r in scored] == [18.2, 18.1]
    assert [r["bmi_band"] for r in scored] == ["超重", "正常"]


def _full_row(sex: str, grade: str, scores: dict[str, int]) -> dict[str, Any]:
    """A complete test whose every item sits exactly on the threshold of the wanted score; BMI normal."""
    normal, over, _ = STD.bmi_bands[(sex, grade)]
    bmi = (normal + over) // 2 / 10
    row: dict[str, Any] = {"sex": sex, "grade": grade, "height_cm": 150.0, "weight_kg": round(bmi * 2.25, 3)}
    for item_id in STD.weights[(sex, grade)]:
        if item_id != "bmi":
            row[field_of(item_id)] = _at(item_id, sex, grade, scores.get(item_id, 100))
    return row


def test_fitness_weights_make_the_standard_score() -> None:
    # 一年级: BMI 15 % × 100 + 肺活量 15 % × 85 + 50米 20 % × 90 + 坐位体前屈 30 % × 85 + 跳绳 20 % × 90 = 89.25 → 89.3
    primary = _full_row("1", "11", {"vital_capacity": 85, "sprint_50m": 90, "sit_and_reach": 85, "rope_skipping": 90})
    # 初一男: 15 + 0.15×85 + 0.2×95 + 0.1×100 + 0.1×72 + 0.1×100 + 0.2×80 = 89.95 → 90.0 (优秀)
    junior = _full_row("1", "21", {"vital_capacity": 85, "sprint_50m": 95, "standing_long_jump": 72, "run_1000m": 80})
    # 五年级女: 15 + 0.15×78 + 0.2×60 + 0.1×50 + 0.1×100 + 0.2×64 + 0.1×62 = 72.7
    fifth = _full_row(
        "2",
        "15",
        {"vital_capacity": 78, "sprint_50m": 60, "sit_and_reach": 50, "sit_ups": 64, "shuttle_run_50x8": 62},
    )
    scored = score_rows([primary, junior, fifth])
    assert [r["standard_score"] for r in scored] == [89.3, 90.0, 72.7]
    assert [r["level"] for r in scored] == ["良好", "优秀", "及格"]
    assert all(r["status"] == "complete" for r in scored)


@pytest.mark.parametrize(
    ("scores", "total", "level"),
    [(90, 91.5, "优秀"), (80, 83.0, "良好"), (78, 81.3, "良好"), (60, 66.0, "及格"), (50, 57.5, "不及格")],
)
def test_fitness_levels(scores: int, total: float, level: str) -> None:
    row = _full_row("2", "32", dict.fromkeys(STD.weights[("2", "32")], scores))
    scored = score_rows([row])[0]
    assert (scored["total_score"], scored["level"]) == (total, level)


@pytest.mark.parametrize(
    ("item_id", "sex", "grade", "beyond", "bonus"),
    [
        ("rope_skipping", "1", "11", 1, 0),
        ("rope_skipping", "1", "11", 2, 1),
        ("rope_skipping", "2", "16", 39, 19),
        ("rope_skipping", "2", "16", 40, 20),
        ("rope_skipping", "2", "16", 80, 20),
        ("pull_ups", "1", "21", 1, 1),
        ("pull_ups", "1", "44", 9, 9),
        ("pull_ups", "1", "44", 12, 10),
        ("sit_ups", "2", "31", 1, 0),
        ("sit_ups", "2", "31", 2, 1),
        ("sit_ups", "2", "31", 6, 3),
        ("sit_ups", "2", "31", 7, 4),
        ("sit_ups", "2", "31", 13, 10),
        ("run_1000m", "1", "41", 3, 0),
        ("run_1000m", "1", "41", 4, 1),
        ("run_1000m", "1", "41", 22, 5),
        ("run_1000m", "1", "41", 23, 6),
        ("run_1000m", "1", "41", 35, 10),
        ("run_800m", "2", "22", 4, 0),
        ("run_800m", "2", "22", 5, 1),
        ("run_800m", "2", "22", 49, 9),
        ("run_800m", "2", "22", 50, 10),
    ],
)
def test_fitness_bonus_tables(item_id: str, sex: str, grade: str, beyond: int, bonus: int) -> None:
    top = _at(item_id, sex, grade, 100)
    direction = 1 if STD.item(item_id).direction == "higher" else -1
    row = _full_row(sex, grade, {})
    row[field_of(item_id)] = top + direction * beyond
    scored = score_rows([row])[0]
    assert scored[f"{item_id}_bonus"] == bonus
    assert scored["bonus"] == bonus and scored["total_score"] == 100.0 + bonus


def test_fitness_no_bonus_below_the_hundred_point_value_or_outside_its_grades() -> None:
    row = _full_row("1", "12", {"rope_skipping": 95})
    primary_sit_ups = _full_row("1", "14", {})
    primary_sit_ups["sit_ups_count"] = 80
    scored = score_rows([row, primary_sit_ups])
    assert scored[0]["rope_skipping_bonus"] == 0
    assert scored[1]["sit_ups_bonus"] is None and scored[1]["bonus"] == 0


def test_fitness_exempt_missing_and_unknown_rows() -> None:
    complete = _full_row("1", "33", {})
    exempt = dict(complete, exempt=True)
    missing = dict(complete)
    missing.pop("run_1000m_s")
    unknown = dict(complete, grade="51")
    scored = score_rows([complete, exempt, missing, unknown])
    assert [r["status"] for r in scored] == ["complete", "exempt", "incomplete", "unscored"]
    assert scored[1]["total_score"] is None and scored[1]["vital_capacity_score"] is None
    assert scored[2]["total_score"] is None and scored[2]["vital_capacity_score"] == 100
    assert scored[2]["run_1000m_score"] is None and scored[3]["level"] is None


def test_fitness_items_of_the_other_sex_or_stage_are_not_scored() -> None:
    row = _full_row("2", "21", {})
    row["pull_ups_count"] = 30
    row["rope_skipping_count"] = 200
    scored = score_rows([row])[0]
    assert scored["pull_ups_score"] is None and scored["rope_skipping_score"] is None
    assert scored["total_score"] == 100.0 and scored["status"] == "complete"


@st.composite
def _pairs(draw: st.DrawFn) -> list[tuple[str, str, str, float, float]]:
    keys = sorted(STD.thresholds)
    out = []
    for _ in range(draw(st.integers(10, 40))):
        item_id, sex, grade = draw(st.sampled_from(keys))
        values = [v / STD.item(item_id).scale for _, v in STD.thresholds[(item_id, sex, grade)]]
        lo, hi = min(values) * 0.8 - 5, max(values) * 1.2 + 5
        a = draw(st.floats(lo, hi, allow_nan=False))
        b = draw(st.floats(lo, hi, allow_nan=False))
        out.append((item_id, sex, grade, a, b))
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pairs())
def test_fitness_a_better_result_never_scores_lower(pairs: list[tuple[str, str, str, float, float]]) -> None:
    rows = []
    for item_id, sex, grade, a, b in pairs:
        rows.append({"sex": sex, "grade": grade, field_of(item_id): a})
        rows.append({"sex": sex, "grade": grade, field_of(item_id): b})
    scored = score_rows(rows)
    for i, (item_id, _, _, a, b) in enumerate(pairs):
        sa, sb = scored[2 * i][f"{item_id}_score"], scored[2 * i + 1][f"{item_id}_score"]
        better_b = b >= a if STD.item(item_id).direction == "higher" else b <= a
        assert (sb >= sa) if better_b else (sa >= sb), (item_id, a, b, sa, sb)
