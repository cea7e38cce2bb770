"""Comprehensive-quality records and teacher portfolios of the synthetic city (``synth/quality.py``).

Tolerances (0.5% city, three school years, about 8,000 pupils and 950 teachers a year): the rates in
``docs/synth.md`` within the bounds below; rows per pupil-year bound the scale-1.0 estimate there.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from edubrain.catalog import Catalog
from edubrain.home import Home
from edubrain.synth.assemble import with_classes
from edubrain.synth.at_risk import read_truth as read_at_risk_truth
from edubrain.synth.config import SynthConfig
from edubrain.synth.facts import districts
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from edubrain.synth.population import DistrictModel
from edubrain.synth.quality import quality_tables, traits
from edubrain.synth.schools import city_schools
from edubrain.synth.teachers import TeacherModel
from tests.synth.conftest import City

NEW = ("student_activities", "student_awards", "student_conduct", "info_literacy", "teacher_portfolio")
STUDENT_RECORDS = NEW[:4]


def _num(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Float64)


def _year_inputs(seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One district's first roster and staff, as the generator builds them."""
    config = SynthConfig(scale=0.01, seed=seed, years=1, districts=("110119",))
    district = next(d for d in districts() if d.code == "110119")
    schools = city_schools(config).filter(pl.col("district_code") == district.code)
    state = next(DistrictModel(config, district, schools).years())
    students = with_classes(state.students, state.year)
    from edubrain.synth.assemble import class_table

    staff = TeacherModel(config, district).year(state.year, class_table(students))
    return students, staff


def test_quality_tables_are_deterministic_by_seed() -> None:
    students, staff = _year_inputs(5)
    first = quality_tables(students, staff, 5, 15, 2025)
    again = quality_tables(students, staff, 5, 15, 2025)
    other = quality_tables(students, staff, 6, 15, 2025)
    assert set(first) == set(NEW)
    for name in NEW:
        assert first[name].height > 0, name
        assert first[name].equals(again[name]), name
        assert not first[name].equals(other[name]), name


def test_traits_are_standard_normal_persistent_and_independent_of_each_other() -> None:
    ids = pl.Series([f"G1101082015{i:06d}{i % 10}" for i in range(20000)])
    arts = traits(ids, 7, "arts")
    assert np.array_equal(arts, traits(ids, 7, "arts"))
    assert abs(arts.mean()) < 0.05 and abs(arts.std() - 1) < 0.05
    assert abs(np.corrcoef(arts, traits(ids, 7, "civic"))[0, 1]) < 0.05
    assert abs(np.corrcoef(arts, traits(ids, 8, "arts"))[0, 1]) < 0.05


def test_quality_files_are_written_for_every_school_and_year(small_city: City) -> None:
    m = small_city.manifest
    for name in NEW:
        files = m.filter(pl.col("dataset") == name)
        assert set(files.get_column("school_year")) == set(small_city.config.school_years), name
        assert set(files.get_column("mode")) == {"upsert"}
        assert files.get_column("org").n_unique() > 0.9 * small_city.read("schools").height, name
    assert {"gbk", "utf8", "utf8-bom"} <= set(m.filter(pl.col("dataset") == "student_conduct").get_column("format"))
    assert "xlsx" in set(m.filter(pl.col("dataset") == "teacher_portfolio").get_column("format"))


def test_quality_records_name_only_pupils_and_teachers_on_the_schools_roster(small_city: City) -> None:
    for year in small_city.config.school_years:
        roster = small_city.read("students", year).select("student_id", "school_code")
        for name in STUDENT_RECORDS:
            rows = small_city.read(name, year)
            assert rows.height > 0
            assert rows.join(roster, on=["student_id", "school_code"], how="anti").is_empty(), (name, year)
            assert set(rows.get_column("school_year")) == {str(year)}
        staff = small_city.read("teachers", year).select("teacher_id", "school_code")
        portfolio = small_city.read("teacher_portfolio", year)
        assert portfolio.join(staff, on=["teacher_id", "school_code"], how="anti").is_empty()


def test_quality_codes_are_valid_codes_of_their_tables(small_city: City, catalog: Catalog) -> None:
    for name in NEW:
        dataset = catalog.dataset(name)
        rows = small_city.read(name)
        for spec in dataset.fields:
            if spec.type == "code":
                used = set(rows.get_column(spec.name).drop_nulls())
                assert used and used <= set(catalog.code_table(spec.code_table or "").valid_codes()), (name, spec.name)
        key = rows.select(dataset.primary_key)
        assert key.n_unique() == rows.height, name


def test_activities_hours_are_skewed_and_kinds_follow_the_age(small_city: City) -> None:
    year = small_city.config.end_year
    pupils = small_city.read("students", year).select("student_id", pl.col("grade").cast(pl.Int64))
    rows = small_city.read("student_activities", year).join(pupils, on="student_id")
    arts = rows.filter(pl.col("activity_type") == "11").get_column("hours").cast(pl.Float64)
    assert arts.min() >= 1 and arts.max() <= 40
    assert arts.median() < arts.mean()  # skewed: many short clubs, a few long ones
    assert rows.get_column("hours").cast(pl.Float64).max() <= 200
    arts_share = rows.filter(pl.col("activity_type").is_in(["11", "12"])).select("student_id", "term").unique().height
    assert 0.10 < arts_share / (2 * pupils.height) < 0.40
    volunteers = rows.filter(pl.col("activity_type") == "22").group_by(pl.col("grade") >= 30).len()
    by_stage = dict(volunteers.iter_rows())
    senior = pupils.filter(pl.col("grade") >= 30).height
    assert by_stage[True] / senior > 3 * by_stage.get(False, 0) / (pupils.height - senior)
    assert rows.filter(pl.col("activity_type").is_in(["21", "24"]) & (pl.col("grade") < 20)).is_empty()
    labour = rows.filter(pl.col("activity_type") == "25").get_column("student_id").n_unique()
    assert 0.15 < labour / pupils.height < 0.40


def test_awards_go_to_a_minority_mostly_at_school_and_district_level(small_city: City) -> None:
    pupils = small_city.read("students").select("student_id", "school_year")
    awards = small_city.read("student_awards")
    per_pupil = awards.group_by("student_id", "school_year").len()
    assert 0.05 < per_pupil.height / pupils.height < 0.20
    assert set(per_pupil.get_column("len")) <= {1, 2, 3}
    levels = awards.get_column("award_level").value_counts(normalize=True)
    share = dict(levels.iter_rows())
    assert share["60"] + share.get("43", 0) + share.get("51", 0) > 0.8
    assert 0 < share.get("10", 0) < 0.05
    assert (
        awards.filter(pl.col("domain") == "1").get_column("award_rank").null_count()
        == awards.filter(pl.col("domain") == "1").height
    )


def test_conduct_rates_everyone_once_a_year_mostly_excellent_or_good(small_city: City) -> None:
    for year in small_city.config.school_years:
        pupils = small_city.read("students", year).select("student_id", pl.col("grade").cast(pl.Int64))
        rows = small_city.read("student_conduct", year)
        ratings = rows.filter(pl.col("record_type") == "1")
        assert ratings.get_column("student_id").n_unique() == ratings.height == pupils.height
        assert set(ratings.get_column("term")) == {"2"}
        share = dict(ratings.get_column("rating").value_counts(normalize=True).iter_rows())
        assert share["1"] + share["2"] > 0.8 and share["1"] > 0.3 and share.get("4", 0) < 0.03
        others = rows.filter(pl.col("record_type") != "1")
        assert others.get_column("rating").null_count() == others.height
        assert others.get_column("description").null_count() == 0
        praised = others.filter(pl.col("record_type") == "2").height / pupils.height
        assert 0.02 < praised < 0.08
        sanctions = others.filter(pl.col("record_type") == "3").join(pupils, on="student_id")
        planted = read_at_risk_truth(small_city.root).filter(pl.col("kind") == "conduct")  # synth/at_risk.py
        assert sanctions.join(planted, on="student_id", how="anti").height / pupils.height < 0.005
        assert sanctions.filter(pl.col("grade") < 15).is_empty()  # grade 5 up only
        rated = ratings.join(sanctions.select("student_id").unique(), on="student_id")
        assert set(rated.get_column("rating")) <= {"3", "4"}


def test_literacy_in_grades_4_and_8_follows_academic_ability(small_city: City) -> None:
    year = small_city.config.end_year
    pupils = small_city.read("students", year).select("student_id", "grade")
    scores = small_city.read("info_literacy", year).join(pupils, on="student_id")
    assert set(scores.get_column("grade")) == {"14", "22"}
    per_pupil = scores.group_by("student_id").agg(pl.len().alias("n"), _num("score").mean().alias("literacy"))
    assert set(per_pupil.get_column("n")) == {4}
    assert per_pupil.height == pupils.filter(pl.col("grade").is_in(["14", "22"])).height
    values = scores.get_column("score").cast(pl.Float64)
    assert values.min() >= 0 and values.max() <= 100
    spread = dict(scores.group_by("dimension").agg(_num("score").std()).iter_rows())
    assert max(spread, key=lambda k: spread[k]) == "2"  # computational thinking spreads most
    exams = (
        small_city.read("exam_scores", year)
        .group_by("student_id")
        .agg((_num("score") / _num("full_score")).mean().alias("exam"))
    )
    joined = per_pupil.join(exams, on="student_id")
    assert joined.height > 500
    assert np.corrcoef(joined.get_column("literacy"), joined.get_column("exam"))[0, 1] > 0.25


def test_portfolio_gives_every_teacher_two_to_eight_records_with_one_ethics_record(small_city: City) -> None:
    for year in small_city.config.school_years:
        staff = small_city.read("teachers", year)
        rows = small_city.read("teacher_portfolio", year)
        counts = rows.group_by("teacher_id").agg(pl.len(), (pl.col("category") == "1").sum().alias("ethics"))
        assert counts.height == staff.height
        assert counts.get_column("len").min() >= 2 and counts.get_column("len").max() <= 8
        assert set(counts.get_column("ethics")) == {1}
        assert 2.8 < counts.get_column("len").mean() < 3.8
        assert set(rows.get_column("category")) == {"1", "2", "3", "4"}


def test_rows_per_pupil_year_bound_the_scale_estimate(small_city: City) -> None:
    m = small_city.manifest
    rows = dict(m.group_by("dataset").agg(pl.col("rows").sum()).iter_rows())
    pupil_years, teacher_years = rows["students"], rows["teachers"]
    assert 0.8 < rows["student_activities"] / pupil_years < 1.5
    assert 1.0 < rows["student_conduct"] / pupil_years < 1.1
    assert 0.5 < rows["info_literacy"] / pupil_years < 0.9
    assert 0.08 < rows["student_awards"] / pupil_years < 0.2
    assert 2.8 < rows["teacher_portfolio"] / teacher_years < 3.8
    new = sum(rows[name] for name in NEW)
    assert new / (pupil_years + teacher_years / 3) < 3.6  # about 24 M at scale 1.0; see docs/synth.md


def test_quality_files_load_with_zero_problems(home: Home, tmp_path_factory: pytest.TempPathFactory) -> None:
    config = SynthConfig(scale=0.01, seed=4, years=2, out=tmp_path_factory.mktemp("quality"), districts=("110119",))
    manifest = generate(config)
    summary = load_city(home, config.out)
    assert summary.rejected == []
    assert {name: summary.problems.get(name) for name in NEW} == dict.fromkeys(NEW, 0)
    for name in NEW:
        written = manifest.filter(pl.col("dataset") == name).get_column("rows").sum()
        assert written > 0
        assert home.lake.count(name) == written, name
