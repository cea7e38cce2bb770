"""Scenarios: the arithmetic of each change, and clear errors for malformed scenario files."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edubrain.analytics.forecast import (
    ForecastSettings,
    ScenarioError,
    compare_scenarios,
    forecast_places,
    scenario_from_mapping,
    scenario_from_text,
)
from tests.analytics.forecast_cases import TRUE_RATIOS, constructed_history

SETTINGS = ForecastSettings(simulations=50)


def _run(changes: list[dict[str, object]], horizon: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    history = constructed_history(districts=2, years=8)
    scenario = scenario_from_mapping({"name": "test", "changes": changes})
    base, other = forecast_places(history, horizon, SETTINGS, [scenario])
    return base.point, other.point, base.school_years


def test_forecast_scenario_births_minus_ten_percent_from_2025() -> None:
    history = constructed_history(districts=2, years=8)
    base, point, years = _run([{"kind": "births", "factor": 0.9, "from_year": 2025}])
    year = dict(zip(years.tolist(), range(len(years)), strict=True))
    assert np.allclose(point[:, : year[2030] + 1], base[:, : year[2030] + 1])  # cohorts born before 2025
    held = history.births[:, -3:].mean(axis=1)  # births after 2024 are held at the 2022-2024 mean
    b2024 = history.births[:, -1]
    expected_2031 = TRUE_RATIOS[0] * (1 + 0.05 * np.arange(2)) * (2 / 3 * 0.9 * held + 1 / 3 * b2024)
    assert point[:, year[2031], 0] == pytest.approx(expected_2031)
    assert point[:, year[2032], 0] == pytest.approx(0.9 * base[:, year[2032], 0])
    assert point[:, year[2033], 1] == pytest.approx(0.9 * base[:, year[2033], 1])  # the cohort moves on
    assert point[:, year[2032], 1] == pytest.approx(
        base[:, year[2032], 1] * point[:, year[2031], 0] / base[:, year[2031], 0]
    )


def test_forecast_scenario_transition_rate_sets_senior_entry() -> None:
    base, point, years = _run([{"kind": "transition", "stage": "senior", "rate": 0.8, "from_year": 2027}], 4)
    assert np.allclose(point[:, 0], base[:, 0])
    assert point[:, 1, 9] == pytest.approx(0.8 * base[:, 0, 8])  # grade 10 in 2027 from grade 9 in 2026
    assert np.allclose(point[:, 1, :9], base[:, 1, :9])


def test_forecast_scenario_transition_factor_and_district_limit() -> None:
    base, point, _ = _run([{"kind": "transition", "stage": "junior", "factor": 1.1, "districts": ["110101"]}], 2)
    assert point[1, 0, 6] == pytest.approx(1.1 * base[1, 0, 6])
    assert np.allclose(point[0], base[0])


def test_forecast_scenario_migration_adds_to_progression_inside_stages() -> None:
    base, point, _ = _run([{"kind": "migration", "delta": 0.02, "stage": "primary", "to_year": 2026}], 2)
    history = constructed_history(districts=2, years=8)
    start = history.counts[:, -1, :]
    ratios = np.vstack([TRUE_RATIOS * (1 + 0.05 * d) for d in range(2)])
    assert point[:, 0, 1:6] == pytest.approx((ratios[:, 1:6] + 0.02) * start[:, 0:5])
    assert np.allclose(point[:, 0, 6:], base[:, 0, 6:]) and np.allclose(point[:, 0, 0], base[:, 0, 0])


def test_forecast_scenario_intake_factor_and_comparison_table() -> None:
    history = constructed_history(districts=1, years=8)
    scenario = scenario_from_mapping(
        {"name": "更多入学", "changes": [{"kind": "intake", "factor": 1.2, "from_year": 2027}]}
    )
    base, other = forecast_places(history, 3, SETTINGS, [scenario])
    table = compare_scenarios(base.stage_table(), other.stage_table())
    row = table.filter(
        (table["district_code"] == "110100") & (table["stage"] == "primary") & (table["school_year"] == 2027)
    )
    assert row["difference"][0] == pytest.approx(0.2 * base.point[0, 1, 0])
    assert row["scenario"][0] == "更多入学"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("name: x\nchanges:\n  - {kind: births}\n", "changes[0].factor"),
        ("name: x\nchanges:\n  - {kind: weather, factor: 2}\n", "changes[0].kind"),
        ("name: x\nchanges:\n  - {kind: births, factor: -1}\n", "changes[0].factor"),
        ("name: x\nchanges:\n  - {kind: transition, stage: primary, rate: 0.9}\n", "changes[0].stage"),
        ("name: x\nchanges:\n  - {kind: transition, stage: senior, rate: 0.9, factor: 1}\n", "changes[0].rate"),
        ("name: x\nchanges:\n  - {kind: births, factor: 0.9, from_year: twenty}\n", "changes[0].from_year"),
        ("name: x\nchanges:\n  - {kind: births, factor: 0.9, delta: 0.1}\n", "changes[0].delta"),
        ("name: x\nchanges: []\n", "changes"),
        ("changes:\n  - {kind: births, factor: 0.9}\n", "name"),
    ],
)
def test_forecast_scenario_errors_name_the_file_and_field(text: str, field: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(text, "low-births.yaml")
    error = caught.value
    assert "low-births.yaml" in error.zh and "low-births.yaml" in error.en
    assert field in error.zh and field in error.en
    assert error.details == {"file": "low-births.yaml", "field": field}


def test_forecast_scenario_file_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(ScenarioError, match="not valid YAML/JSON"):
        scenario_from_text('{"name": "x", "changes": [', "s.json")


def test_forecast_scenario_with_an_unknown_district_is_refused() -> None:
    history = constructed_history(districts=1, years=8)
    scenario = scenario_from_mapping(
        {"name": "x", "changes": [{"kind": "births", "factor": 0.9, "districts": ["110119"]}]}
    )
    with pytest.raises(ScenarioError, match="110119"):
        forecast_places(history, 2, SETTINGS, [scenario])


@settings(max_examples=25, deadline=None)
@given(factor=st.floats(min_value=0.1, max_value=3.0), start=st.integers(min_value=2020, max_value=2030))
def test_forecast_scenario_births_factor_scales_whole_cohorts_exactly(factor: float, start: int) -> None:
    """Any births factor from any year: cohorts born wholly after it scale by the factor, earlier ones not at all."""
    base, point, years = _run([{"kind": "births", "factor": factor, "from_year": start}], 10)
    for h, year in enumerate(years.tolist()):
        if year - 7 >= start:
            assert point[:, h, 0] == pytest.approx(factor * base[:, h, 0])
        elif year - 6 < start:
            assert point[:, h, 0] == pytest.approx(base[:, h, 0])
