"""Golden values of the smart-campus scoring, 达标, 达标率 and shortlist on a hand-made example."""

from __future__ import annotations

import json

import polars as pl
import pytest

from edubrain.analytics.smart_campus import load_framework, parse_framework, score_schools, shortlist, standard_rates
from edubrain.errors import CatalogError

FRAMEWORK = load_framework()
SELF_MAX = {i.id: i.max for i in FRAMEWORK.self_indicators()}
A, B, C, D = "1101080001", "1101080002", "1101080003", "1101050001"


def _base() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_code": [A, B, C, D],
            "district_code": ["110108", "110108", "110108", "110105"],
            "school_year": [2025] * 4,
            "state": ["approved", "approved", "approved", "submitted"],
        }
    )


def _platform() -> pl.DataFrame:
    values = {"gigabit_access": 500.0, "class_100m_access": 100.0, "wireless_coverage": 90.0, "device_online": 0.9,
              "active_users": 0.4, "satisfaction": 4.0, "training_met": 50.0}  # fmt: skip
    return pl.DataFrame({"school_code": [A] * 7, "school_year": [2025] * 7, "indicator_id": list(values),
                         "value": list(values.values())})  # fmt: skip


def _self() -> pl.DataFrame:
    rows = []
    for school in (A, B, C, D):
        for ind in FRAMEWORK.self_indicators():
            score = 0.0 if school == B and ind.dimension == "data_resources" else ind.max
            rows.append((school, 2025, ind.id, score))
    return pl.DataFrame(rows, schema=["school_code", "school_year", "indicator_id", "score"], orient="row")


@pytest.fixture(scope="module")
def scores() -> pl.DataFrame:
    return score_schools(FRAMEWORK, _base(), _platform(), _self())


def test_smart_campus_framework_weights_sum_to_100_with_five_dimensions() -> None:
    assert FRAMEWORK.max_total == 100
    assert [d.max for d in FRAMEWORK.dimensions] == [25, 15, 20, 25, 15]
    assert sum(SELF_MAX.values()) == 77
    assert FRAMEWORK.plan.target_rate == 85 and FRAMEWORK.plan.demonstration_schools == 100


def test_smart_campus_golden_scores_of_a_school_with_platform_data(scores: pl.DataFrame) -> None:
    a = scores.filter(pl.col("school_code") == A).row(0, named=True)
    assert a["score_infrastructure"] == pytest.approx(23.3)  # 1.5 (500/1000 x 3) + 2 + 1.8 + 18
    assert a["score_support"] == pytest.approx(14.6)  # 0.9 x 4 + 11
    assert a["score_data_resources"] == pytest.approx(20.0)
    assert a["score_applications"] == pytest.approx(21.75)  # 0.4/0.8 x 5 + (4-1)/(5-1) x 3 + 17
    assert a["score_assurance"] == pytest.approx(13.0)  # 50 % x 4 + 11
    assert a["total"] == pytest.approx(92.65)
    assert a["platform_points"] == pytest.approx(15.65) and a["self_points"] == pytest.approx(77.0)
    assert a["meets_standard"] == 1
    detail = {d["id"]: d for d in json.loads(a["detail"])}
    assert detail["gigabit_access"] == {"id": "gigabit_access", "dimension": "infrastructure", "source": "platform",
                                        "max": 3.0, "value": 500.0, "points": 1.5, "missing": False}  # fmt: skip
    assert detail["smart_teaching"]["source"] == "self" and detail["smart_teaching"]["points"] == 9.0


def test_smart_campus_dimension_floor_total_and_approval_decide_the_standard(scores: pl.DataFrame) -> None:
    by = {r["school_code"]: r for r in scores.iter_rows(named=True)}
    assert by[B]["total"] == pytest.approx(57.0) and by[B]["meets_standard"] == 0  # data_resources 0 < 60 % of 20
    assert by[C]["total"] == pytest.approx(77.0) and by[C]["meets_standard"] == 1  # no platform data, still above
    assert by[C]["platform_points"] == 0 and all(
        d["missing"] for d in json.loads(by[C]["detail"]) if d["source"] == "platform"
    )
    assert by[D]["total"] == pytest.approx(77.0) and by[D]["meets_standard"] == 0  # not approved by the city


def test_smart_campus_rates_and_progress_to_the_target(scores: pl.DataFrame) -> None:
    rates = standard_rates(scores, 85.0)
    city = rates.filter(pl.col("district_code") == "110000").row(0, named=True)
    assert (city["schools"], city["meeting"], city["rate"], city["gap"], city["schools_needed"]) == (
        4,
        2,
        50.0,
        35.0,
        2,
    )
    haidian = rates.filter(pl.col("district_code") == "110108").row(0, named=True)
    assert haidian["rate"] == pytest.approx(66.67) and haidian["schools_needed"] == 1


def test_smart_campus_shortlist_ranks_approved_schools_and_explains(scores: pl.DataFrame) -> None:
    short = shortlist(scores, FRAMEWORK)
    assert short.get_column("school_code").to_list() == [A, C]
    assert short.get_column("rank").to_list() == [1, 2]
    first = short.row(0, named=True)
    assert first["median_total"] == pytest.approx(77.0)  # median of A 92.65, B 57, C 77
    assert "总分 92.65" in first["explanation_zh"] and "平台数据得分 15.65" in first["explanation_zh"]
    assert first["explanation_en"].startswith("Total 92.65 (median of the city's approved schools 77.0)")
    assert "数据与资源 20.0/20.0" in first["explanation_zh"]  # its strongest dimension (100 %)


def test_smart_campus_shortlist_tie_break_is_platform_points_then_school_code() -> None:
    base = pl.DataFrame({"school_code": ["1101080009", "1101080005", "1101080007"], "district_code": ["110108"] * 3,
                         "school_year": [2025] * 3, "state": ["approved"] * 3})  # fmt: skip
    own = pl.DataFrame([(s, 2025, i.id, i.max) for s in base["school_code"] for i in FRAMEWORK.self_indicators()],
                       schema=["school_code", "school_year", "indicator_id", "score"], orient="row")  # fmt: skip
    platform = pl.DataFrame({"school_code": ["1101080009"], "school_year": [2025], "indicator_id": ["training_met"],
                             "value": [100.0]})  # fmt: skip
    short = shortlist(score_schools(FRAMEWORK, base, platform, own), FRAMEWORK, size=2)
    assert short.get_column("school_code").to_list() == ["1101080009", "1101080005"]


def test_smart_campus_framework_errors_are_bilingual_and_name_the_place() -> None:
    text = (FRAMEWORK_TEXT := _packaged()).replace("max: 6, source: self}", "max: 6, source: guess}", 1)
    with pytest.raises(CatalogError) as err:
        parse_framework(text)
    assert "smart_campus.yaml" in err.value.zh and "dimensions.0.indicators.3.source" in err.value.en
    assert FRAMEWORK_TEXT != text


def _packaged() -> str:
    from importlib import resources

    return resources.files("edubrain.analytics").joinpath("data", "smart_campus.yaml").read_text(encoding="utf-8")
