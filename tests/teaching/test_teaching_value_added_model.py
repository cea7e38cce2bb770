"""The value-added model (analytics.value_added): prior pairs, agreement with statsmodels, planted-effect recovery."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from statsmodels.regression.mixed_linear_model import MixedLM

from edubrain.analytics.value_added import fit_value_added, fit_year_subject, planted_pairs, prior_pairs, recovery
from edubrain.analytics.value_added.model import _design


def test_teaching_prior_pairs_join_last_years_score_in_the_same_subject() -> None:
    rows = []
    for i in range(30):
        for year, grade, bump in ((2024, "14", 0), (2025, "15", 5)):
            rows.append(
                (f"G{i:018d}", "1101080001" if i % 2 else "1101080002", year, 2, grade, "14", 40 + i + bump, 100)
            )
    rows.append((f"G{99:018d}", "1101080001", 2025, 2, "15", "14", 50, 100))  # no prior: left out
    rows.append((f"G{0:018d}", "1101080002", 2025, 1, "15", "13", 10, 100))  # another subject, no prior
    frame = pl.DataFrame(
        rows,
        schema=["student_id", "school_code", "school_year", "term", "grade", "subject", "score", "full_score"],
        orient="row",
    )
    pairs = prior_pairs(frame)
    assert pairs.height == 30 and set(pairs.get_column("school_year")) == {2025}
    # this year's standard score is a linear function of last year's (every pupil gained 5 points)
    assert np.corrcoef(pairs.get_column("score_z").to_numpy(), pairs.get_column("prior_z").to_numpy())[0, 1] > 0.9999
    assert f"G{99:018d}" not in pairs.get_column("student_id").to_list() and pairs.get_column(
        "subject"
    ).unique().to_list() == ["14"]
    assert abs(pairs.get_column("prior_z").mean()) < 1e-9  # standardised within 2024, grade 14, maths


def test_teaching_effects_equal_statsmodels_blups_and_conditional_variances() -> None:
    pairs, _ = planted_pairs(schools=8, seed=3)
    found = fit_year_subject(pairs)
    fit = MixedLM(pairs["score_z"].to_numpy(), _design(pairs), groups=pairs["school_code"].to_numpy()).fit(reml=True)
    blup = {k: float(np.asarray(v)[0]) for k, v in fit.random_effects.items()}
    variance = {k: float(np.asarray(v)[0, 0]) for k, v in fit.random_effects_cov.items()}
    for row in found.to_dicts():
        assert row["effect"] == pytest.approx(blup[row["school_code"]], abs=1e-9)
        assert row["std_error"] == pytest.approx(np.sqrt(variance[row["school_code"]]), abs=1e-9)
        assert row["lower"] == pytest.approx(row["effect"] - 1.959964 * row["std_error"], abs=1e-5)


def test_teaching_planted_school_effects_are_recovered_with_nominal_coverage() -> None:
    results = []
    for seed in range(20):
        pairs, truth = planted_pairs(schools=40, seed=seed)
        results.append(recovery(fit_year_subject(pairs), truth))
    rmse = np.mean([r.rmse for r in results])
    coverage = np.mean([r.coverage for r in results])
    assert rmse < 0.09  # school sd 0.3; measured 0.062
    assert 0.91 <= coverage <= 0.99  # 800 school intervals; measured 0.954
    assert np.mean([r.overlapping_pairs for r in results]) > 0.3  # why ranking misleads: measured 0.44


def test_teaching_small_schools_get_no_effect_and_years_are_fitted_apart() -> None:
    pairs, _ = planted_pairs(schools=10, students=(5, 60), seed=4)
    later = pairs.with_columns(pl.lit(2026).alias("school_year"))
    found = fit_value_added(pl.concat([pairs, later]))
    sizes = pairs.group_by("school_code").len()
    small = set(sizes.filter(pl.col("len") < 10).get_column("school_code"))
    assert small and not small & set(found.get_column("school_code"))
    assert found.group_by("school_year").len().sort("school_year").get_column("len").to_list() == [10 - len(small)] * 2
    assert fit_value_added(pairs, years=[2030]).is_empty()


def test_teaching_no_school_variance_gives_zero_effects_not_an_error() -> None:
    pairs, _ = planted_pairs(schools=6, school_sd=0.0, seed=5)
    found = fit_year_subject(pairs)
    assert found.height == 6 and np.abs(found.get_column("effect").to_numpy()).max() < 0.1
