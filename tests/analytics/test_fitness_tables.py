"""The data files of 国家学生体质健康标准（2014年修订） against values published in independent transcriptions.

Each sample below was read from a public transcription other than the one the
data files were typed from (source A, see docs/fitness.md): C (primary
grades), D/E (university) and F (senior grades). The junior samples are
confirmed by the later junior sources of docs/fitness.md (K for pull-ups,
sit-ups and sit and reach; P and M for 50 m; M for the long jump) except the
初一 vital-capacity and endurance-run values, which rest on A alone (marked).
"""

from __future__ import annotations

import pytest

from edubrain.analytics.fitness.standard import GRADES, SEXES, load_standard

M, F = "1", "2"
# (item, sex, grade, score, published value) — C: primary; D/E: university; F: senior; A: junior (single source).
PUBLISHED: list[tuple[str, str, str, int, float]] = [
    # C (primary)
    ("vital_capacity", M, "11", 100, 1700),
    ("vital_capacity", M, "11", 60, 700),
    ("vital_capacity", M, "11", 10, 500),
    ("vital_capacity", F, "16", 100, 2500),
    ("vital_capacity", F, "16", 80, 2100),
    ("vital_capacity", F, "16", 10, 1050),
    ("sprint_50m", M, "13", 100, 9.1),
    ("sprint_50m", M, "13", 60, 11.5),
    ("sprint_50m", M, "13", 10, 12.5),
    ("sprint_50m", F, "15", 90, 8.5),
    ("sprint_50m", F, "15", 60, 11.1),
    ("sit_and_reach", F, "12", 100, 18.9),
    ("sit_and_reach", F, "12", 60, 2.3),
    ("sit_and_reach", F, "12", 10, -1.7),
    ("sit_and_reach", M, "16", 60, -4.0),
    ("rope_skipping", M, "14", 100, 137),
    ("rope_skipping", M, "14", 60, 45),
    ("rope_skipping", F, "11", 100, 117),
    ("rope_skipping", F, "11", 10, 2),
    ("sit_ups", M, "13", 100, 48),
    ("sit_ups", M, "13", 60, 16),
    ("sit_ups", F, "16", 85, 42),
    ("shuttle_run_50x8", M, "15", 100, 96),
    ("shuttle_run_50x8", M, "15", 60, 138),
    ("shuttle_run_50x8", M, "15", 10, 158),
    ("shuttle_run_50x8", F, "16", 100, 97),
    ("shuttle_run_50x8", F, "16", 60, 139),
    # D/E (university)
    ("vital_capacity", M, "41", 100, 5040),
    ("vital_capacity", M, "42", 60, 3100),
    ("vital_capacity", F, "43", 100, 3450),
    ("vital_capacity", F, "44", 10, 1850),
    ("sprint_50m", F, "44", 100, 7.4),
    ("sprint_50m", F, "44", 60, 10.2),
    ("standing_long_jump", M, "42", 100, 273),
    ("standing_long_jump", M, "42", 60, 208),
    ("standing_long_jump", F, "43", 80, 182),
    ("sit_and_reach", F, "41", 100, 25.8),
    ("sit_and_reach", F, "41", 60, 6.0),
    ("sit_and_reach", M, "44", 60, 4.2),
    ("pull_ups", M, "41", 100, 19),
    ("pull_ups", M, "41", 60, 10),
    ("pull_ups", M, "41", 10, 5),
    ("pull_ups", M, "43", 76, 15),
    ("sit_ups", F, "41", 100, 56),
    ("sit_ups", F, "41", 60, 26),
    ("run_1000m", M, "41", 100, 197),
    ("run_1000m", M, "41", 60, 272),
    ("run_1000m", M, "41", 10, 372),
    ("run_1000m", M, "43", 100, 195),
    ("run_1000m", M, "43", 50, 290),
    ("run_800m", F, "41", 100, 198),
    ("run_800m", F, "41", 60, 274),
    ("run_800m", F, "41", 10, 324),
    # F (senior)
    ("vital_capacity", M, "31", 100, 4540),
    ("vital_capacity", M, "31", 60, 2600),
    ("vital_capacity", M, "31", 10, 1950),
    ("vital_capacity", F, "33", 100, 3350),
    ("vital_capacity", F, "33", 60, 1950),
    ("sprint_50m", M, "32", 100, 7.0),
    ("sprint_50m", M, "32", 60, 9.4),
    ("sprint_50m", F, "33", 100, 7.6),
    ("sprint_50m", F, "33", 60, 10.4),
    ("standing_long_jump", M, "33", 100, 270),
    ("standing_long_jump", M, "33", 60, 205),
    ("standing_long_jump", F, "33", 100, 206),
    ("standing_long_jump", F, "33", 60, 150),
    ("pull_ups", M, "31", 100, 16),
    ("pull_ups", M, "31", 60, 7),
    ("sit_ups", F, "32", 100, 54),
    ("sit_ups", F, "32", 60, 24),
    ("run_1000m", M, "31", 100, 210),
    ("run_1000m", M, "31", 60, 285),
    ("run_1000m", M, "31", 50, 305),
    ("run_800m", F, "33", 100, 200),
    ("run_800m", F, "31", 100, 204),
    # junior; the 初一/初三 vital capacity and 1000 m / 800 m rows rest on A alone
    ("vital_capacity", M, "21", 100, 3640),
    ("vital_capacity", M, "21", 60, 1700),
    ("vital_capacity", F, "23", 100, 3050),
    ("sprint_50m", M, "21", 100, 7.8),
    ("sprint_50m", M, "21", 60, 10.2),
    ("run_1000m", M, "21", 100, 235),
    ("run_1000m", M, "21", 60, 320),
    ("run_800m", F, "21", 100, 215),
    ("run_800m", F, "21", 60, 295),
    ("standing_long_jump", M, "21", 100, 225),
    ("standing_long_jump", F, "22", 60, 144),
    ("pull_ups", M, "21", 100, 13),
    ("pull_ups", M, "21", 60, 4),
    ("sit_ups", F, "21", 100, 50),
    ("sit_and_reach", M, "21", 100, 17.6),
    ("sit_and_reach", M, "21", 60, -2.6),
]


@pytest.mark.parametrize(("item_id", "sex", "grade", "score", "value"), PUBLISHED)
def test_fitness_table_matches_published_value(item_id: str, sex: str, grade: str, score: int, value: float) -> None:
    std = load_standard()
    item = std.item(item_id)
    table = dict(std.thresholds[(item_id, sex, grade)])
    assert table[score] == round(value * item.scale)


def test_fitness_tables_cover_every_weighted_item_grade_and_sex() -> None:
    std = load_standard()
    for sex in SEXES:
        for grade in GRADES:
            weights = std.weights[(sex, grade)]
            assert sum(weights.values()) == 100, (sex, grade)
            for item_id in weights:
                if item_id != "bmi":
                    assert len(std.thresholds[(item_id, sex, grade)]) >= 13, (item_id, sex, grade)
            assert (sex, grade) in std.bmi_bands


def test_fitness_tables_are_monotonic_with_twenty_scores() -> None:
    std = load_standard()
    for (item_id, sex, grade), pairs in std.thresholds.items():
        scores = [s for s, _ in pairs]
        assert scores == sorted(scores, reverse=True) and scores[0] == 100
        values = [v for _, v in pairs]
        if item_id != "pull_ups":
            assert len(pairs) == 20, (item_id, sex, grade)
        ordered = sorted(values, reverse=std.item(item_id).direction == "higher")
        assert values == ordered and len(set(values)) == len(values), (item_id, sex, grade)


def test_fitness_pull_up_table_leaves_the_official_blanks_open() -> None:
    std = load_standard()
    scores = [s for s, _ in std.thresholds[("pull_ups", "1", "41")]]
    assert scores == [100, 95, 90, 85, 80, 76, 72, 68, 64, 60, 50, 40, 30, 20, 10]
    junior = [s for s, _ in std.thresholds[("pull_ups", "1", "21")]]
    assert junior[-1] == 30  # 初一: one pull-up is the last row of the table


@pytest.mark.parametrize(
    ("sex", "grade", "bands"),
    [
        ("1", "11", (13.5, 18.2, 20.4)),  # C
        ("2", "11", (13.3, 17.4, 19.3)),  # C
        ("1", "16", (14.7, 21.9, 24.6)),  # C
        ("2", "14", (13.7, 19.5, 22.1)),  # C
        ("1", "41", (17.9, 24.0, 28.0)),  # D/E
        ("2", "44", (17.2, 24.0, 28.0)),  # D/E
        ("1", "21", (15.5, 22.2, 25.0)),  # A
        ("2", "33", (17.1, 23.4, 25.8)),  # A
    ],
)
def test_fitness_bmi_bands_match_published(sex: str, grade: str, bands: tuple[float, float, float]) -> None:
    assert load_standard().bmi_bands[(sex, grade)] == tuple(round(b * 10) for b in bands)


def test_fitness_weights_per_grade_group_are_the_standards() -> None:
    w = load_standard().weights
    assert w[("1", "11")] == {
        "bmi": 15,
        "vital_capacity": 15,
        "sprint_50m": 20,
        "sit_and_reach": 30,
        "rope_skipping": 20,
    }
    assert w[("2", "14")]["sit_ups"] == 10 and w[("2", "14")]["sit_and_reach"] == 20
    assert w[("1", "15")] == {
        "bmi": 15,
        "vital_capacity": 15,
        "sprint_50m": 20,
        "sit_and_reach": 10,
        "rope_skipping": 10,
        "sit_ups": 20,
        "shuttle_run_50x8": 10,
    }
    assert w[("1", "31")]["pull_ups"] == 10 and w[("1", "31")]["run_1000m"] == 20 and "sit_ups" not in w[("1", "31")]
    assert w[("2", "44")]["sit_ups"] == 10 and w[("2", "44")]["run_800m"] == 20 and "pull_ups" not in w[("2", "44")]


def test_fitness_bonus_tables_are_the_standards() -> None:
    b = load_standard().bonus
    assert b[("rope_skipping", "1", "11")] == list(range(2, 41, 2))
    assert b[("pull_ups", "1", "21")] == list(range(1, 11))
    assert b[("sit_ups", "2", "44")] == [2, 4, 6, 7, 8, 9, 10, 11, 12, 13]
    assert b[("run_1000m", "1", "33")] == [4, 8, 12, 16, 20, 23, 26, 29, 32, 35]
    assert b[("run_800m", "2", "21")] == list(range(5, 51, 5))
    assert ("sit_ups", "1", "13") not in b and ("shuttle_run_50x8", "1", "15") not in b
