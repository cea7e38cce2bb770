"""A generated city: files and formats, district shares, grade sizes, cohorts, identities.

Tolerances (0.5% scale, about 8,000 pupils a year): a district's share of pupils within
2.5 points of the model's share; each grade within 20% of the model's expected size;
at least 90% of a non-final grade moves up one grade with the same 学籍号 the next year.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from edubrain.exchange.fields import gb11643_check_char
from edubrain.synth import facts
from edubrain.synth.facilities import DATASETS as FACILITY_DATASETS
from edubrain.synth.generate import YEARLY
from edubrain.synth.safety import DATASETS as SAFETY_DATASETS
from edubrain.synth.supervision import DATASETS as SUPERVISION_DATASETS
from tests.synth.conftest import City


def test_manifest_lists_every_file_in_every_format(small_city: City) -> None:
    m = small_city.manifest
    assert all((small_city.root / p).is_file() for p in m.get_column("path"))
    assert set(m.get_column("dataset")) == {
        "districts",
        "births",
        "schools",
        *YEARLY,
        *FACILITY_DATASETS,
        *SUPERVISION_DATASETS,
        *SAFETY_DATASETS,
    }
    assert set(m.get_column("format")) == {"utf8", "utf8-bom", "gbk", "xlsx"}
    assert m.get_column("seq").to_list() == list(range(1, m.height + 1))
    assert m.filter(pl.col("dataset") == "students").get_column("mode").unique().to_list() == ["replace-scope"]
    schools = m.filter(pl.col("dataset") == "students").get_column("org").n_unique()
    assert schools == small_city.read("schools").height


def test_gbk_files_are_gbk_with_chinese_headers(small_city: City) -> None:
    path = small_city.manifest.filter(pl.col("format") == "gbk").get_column("path")[0]
    data = (small_city.root / path).read_bytes()
    header = data.decode("gbk").splitlines()[0]
    assert "学校标识码" in header
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_district_shares_follow_the_published_enrolment(small_city: City) -> None:
    students = small_city.read("students", small_city.config.end_year)
    shares = students.group_by(pl.col("school_code").str.slice(0, 6).alias("d")).len()
    total = shares.get_column("len").sum()
    got = dict(zip(shares.get_column("d"), shares.get_column("len") / total, strict=True))
    for d in facts.districts():
        assert got[d.code] == pytest.approx(d.student_share, abs=0.025), d.name_zh
    assert got["110108"] > 5 * got["110119"]


def test_grade_sizes_follow_the_cohort_model(small_city: City) -> None:
    config = small_city.config
    students = small_city.read("students", config.end_year)
    sizes = dict(students.group_by("grade").len().iter_rows())
    for index, code in enumerate(facts.GRADES):
        expected = facts.expected_grade_size(config.end_year, index, config.rates, config.scale)
        assert sizes[str(code)] == pytest.approx(expected, rel=0.2), code


def test_cohorts_move_up_a_grade(small_city: City) -> None:
    first, second = small_city.config.school_years[-2:]
    before = small_city.read("students", first).select("student_id", pl.col("grade").cast(pl.Int64))
    after = small_city.read("students", second).select("student_id", pl.col("grade").cast(pl.Int64).alias("next"))
    joined = before.filter(~pl.col("grade").is_in([16, 23, 33])).join(after, on="student_id", how="left")
    step = {11: 12, 12: 13, 13: 14, 14: 15, 15: 16, 21: 22, 22: 23, 31: 32, 32: 33}
    moved = joined.filter(pl.col("next") == pl.col("grade").replace_strict(step, return_dtype=pl.Int64))
    assert moved.height > 0.9 * joined.height
    graduates = before.filter(pl.col("grade") == 33).join(after, on="student_id", how="inner")
    assert graduates.height == 0


def test_identities_are_well_formed_and_consistent_with_the_grade(small_city: City) -> None:
    year = small_city.config.end_year
    students = small_city.read("students", year)
    assert students.get_column("student_id").n_unique() == students.height
    for row in students.head(300).iter_rows(named=True):
        nid = row["id_number"]
        assert gb11643_check_char(nid[:17]) == nid[17]
        assert row["student_id"] == "G" + nid
        birth = dt.date.fromisoformat(row["birth_date"])
        assert nid[6:14] == birth.strftime("%Y%m%d")
        assert (int(nid[16]) % 2 == 1) == (row["sex"] in ("1", "男性"))
        index = facts.GRADES.index(int(row["grade"]))
        age = year - birth.year - (birth.month > 8)
        assert abs(age - (6 + index)) <= 1
        assert nid[:6] in {d.code for d in facts.districts()}


def test_no_pupil_is_more_than_a_year_older_than_usual(small_city: City) -> None:
    for year in small_city.config.school_years:
        students = small_city.read("students", year).with_columns(pl.col("birth_date").str.to_date())
        age = year - pl.col("birth_date").dt.year() - (pl.col("birth_date").dt.month() > 8).cast(pl.Int32)
        usual = pl.col("grade").replace_strict(
            {str(g): 6 + i for i, g in enumerate(facts.GRADES)}, return_dtype=pl.Int32
        )
        gap = students.select((age - usual).alias("gap")).get_column("gap")
        assert gap.min() >= -1 and gap.max() <= 1


def test_births_file_follows_the_city_curve(small_city: City) -> None:
    births = small_city.read("births").with_columns(pl.col("births").cast(pl.Int64), pl.col("year").cast(pl.Int64))
    assert births.height == 16 * 15
    by_year = dict(births.group_by("year").agg(pl.col("births").sum()).iter_rows())
    for year in (2010, 2016, 2023):
        assert by_year[year] == pytest.approx(facts.births(year) * small_city.config.scale, rel=0.01)


def test_exam_scores_carry_school_effects(small_city: City) -> None:
    scores = small_city.read("exam_scores", small_city.config.end_year).with_columns(
        (pl.col("score").cast(pl.Float64) / pl.col("full_score").cast(pl.Float64)).alias("p")
    )
    by_school = scores.group_by("school_code").agg(pl.col("p").mean(), pl.len()).filter(pl.col("len") > 200)
    assert by_school.get_column("p").std() > 0.03
    assert 0.6 < scores.get_column("p").mean() < 0.85
