"""What leaves the platform: formula injection in exports, small cells of aggregates, classification of derived data.

Red-team findings of issue 12 (H3), each tested as an attacker would try it:

1. a school name such as ``=HYPERLINK(...)`` stored through the API must not become a live formula in any CSV or
   XLSX the platform writes (API export, ``edubrain query --format csv``, ``edubrain fitness score -o x.xlsx``);
2. ``fitness_indicators`` is public: a cell of 1 … 9 pupils must not be shown to a reader whose scope does not
   cover the cell's organisation, nor be recoverable from a total (complementary suppression);
3. a derived dataset may not be classified below its inputs without a stated reason: ``fitness_scores`` comes from
   health data (L4), so its personal fields are L4 and withheld from L3 roles without a purpose.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import yaml
from openpyxl import load_workbook

from edubrain.catalog import get_catalog
from edubrain.catalog.registry import DATA_DIR, load_catalog
from edubrain.config import Settings
from edubrain.errors import CatalogError
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.export_safety import neutralise_frame, safe_cell
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.readpath import read_dataset
from edubrain.governance.suppression import SUPPRESSED, suppress_cells
from edubrain.home import Home
from tests.api.conftest import PASSWORD, ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CLASS, OTHER_SCHOOL, SCHOOL, schools_rows, student_rows, write_csv

EVIL = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1+2", "\t=1+1", "\r=1+1"]
"""School names an attacker stores, hoping a spreadsheet runs them."""
SUBMIT = "/api/v1/submissions"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _store_evil_schools(city: ApiCity, folder: Path) -> None:
    rows = schools_rows()
    for i, name in enumerate(EVIL):
        rows.append([f"11010800{i + 10:02d}", name, "110108", "211", "是", 100])
    path = write_csv(folder / "evil.csv", rows)
    files = {"file": ("evil.csv", path.read_bytes(), "text/csv")}
    response = city.client.post(SUBMIT, data={"dataset": "schools"}, files=files, headers=city.auth("haidian"))
    assert response.status_code == 201, response.text
    assert response.json()["report"]["status"] == "committed", response.text


def _assert_neutral(value: object) -> None:
    text = str(value)
    assert not text.startswith(FORMULA_START), f"live formula: {text!r}"


# 1. formula injection


def test_export_csv_and_xlsx_never_carry_a_live_formula(fresh: ApiCity, tmp_path: Path) -> None:
    _store_evil_schools(fresh, tmp_path)
    csv_bytes = fresh.client.get("/api/v1/datasets/schools/export?format=csv", headers=fresh.auth("citizen"))
    assert csv_bytes.status_code == 200, csv_bytes.text
    rows = list(csv.DictReader(io.StringIO(csv_bytes.content.decode("utf-8-sig"))))
    names = {r["school_code"]: r["name"] for r in rows}
    for i, evil in enumerate(EVIL):
        shown = names[f"11010800{i + 10:02d}"]
        _assert_neutral(shown)
        assert shown == "'" + evil.strip()  # the text is kept (as stored: trimmed), only defused
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in csv_bytes.content.decode("utf-8-sig")  # quoted field
    xlsx = fresh.client.get("/api/v1/datasets/schools/export?format=xlsx", headers=fresh.auth("citizen"))
    assert xlsx.status_code == 200, xlsx.text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {str(c.value) for c in cells if isinstance(c.value, str)}
    assert {"'" + e.strip() for e in EVIL} <= texts
    for c in cells:
        if isinstance(c.value, str):
            _assert_neutral(c.value)


def test_export_leaves_numbers_as_numbers_and_defuses_only_text() -> None:
    frame = pl.DataFrame({"n": [-3, 4], "x": [-1.5, 2.0], "s": ["-3", "ok"], "z": [None, "@x"]})
    out = neutralise_frame(frame)
    assert out["n"].to_list() == [-3, 4] and out["n"].dtype == pl.Int64
    assert out["x"].to_list() == [-1.5, 2.0]
    assert out["s"].to_list() == ["'-3", "ok"] and out["z"].to_list() == [None, "'@x"]
    assert safe_cell(-3) == -3 and safe_cell("=1") == "'=1" and safe_cell("a=1") == "a=1"


def test_cli_query_csv_defuses_formulas(fresh: ApiCity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edubrain.cli import main

    _store_evil_schools(fresh, tmp_path)
    for name in [k for k in os.environ if k.startswith("EDUBRAIN_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("EDUBRAIN_HOME", str(fresh.home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", fresh.home.settings.resolved_database_url)
    monkeypatch.setenv("EDUBRAIN_PASSWORD", PASSWORD)
    sql = "select school_code, name, planned_places_primary - 1000 as delta from schools order by 1"
    monkeypatch.setattr(sys, "argv", ["edubrain", "query", sql, "--user", "analyst", "--format", "csv"])
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert (stopped.value.code or 0) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["name"] for r in rows} >= {"'" + e.strip() for e in EVIL}
    for row in rows:
        _assert_neutral(row["name"])
    assert "-900" in {r["delta"] for r in rows}  # a negative number stays a number


def test_cli_fitness_score_xlsx_has_no_formula_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edubrain.cli import main

    source = write_csv(
        tmp_path / "tests.csv",
        [
            ["姓名", "年级编号", "性别", "身高", "体重", "肺活量", "50米跑", "坐位体前屈", "一分钟跳绳"],
            ['=HYPERLINK("http://x","y")', "11", "1", 120, 22, 1200, 10.5, 8, 80],
            ["-1+2", "11", "2", 118, 21, 1100, 11.0, 10, 90],
        ],
    )
    monkeypatch.setenv("EDUBRAIN_HOME", str(tmp_path / "home"))
    for suffix in ("xlsx", "csv"):
        output = tmp_path / f"scored.{suffix}"
        monkeypatch.setattr(sys, "argv", ["edubrain", "fitness", "score", str(source), "-o", str(output)])
        with pytest.raises(SystemExit) as stopped:
            main()
        assert (stopped.value.code or 0) == 0
    sheet = load_workbook(tmp_path / "scored.xlsx").active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {'\'=HYPERLINK("http://x","y")', "'-1+2"} <= {c.value for c in cells}
    text = (tmp_path / "scored.csv").read_text(encoding="utf-8-sig")
    names = [r["姓名"] for r in csv.DictReader(io.StringIO(text))]
    assert names == ['\'=HYPERLINK("http://x","y")', "'-1+2"]


# 2. small cells of aggregates


def _fitness_rows(school: str, class_id: str, n: int, start: int) -> list[list[object]]:
    header = ["全国学籍号", "学校标识码", "班级编号", "学年", "年级编号", "性别", "身高", "体重", "肺活量"]
    header += ["50米跑", "坐位体前屈", "一分钟跳绳"]
    rows: list[list[object]] = [header]
    for row in student_rows(n, school, class_id, start)[1:]:
        rows.append([row[0], school, class_id, 2025, "11", row[2], 120, 22, 1200, 10.5, 8, 80])
    return rows


@pytest.fixture(scope="module", params=BACKENDS)
def tested_city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiCity]:
    """The API city with fitness tests of both schools (4 and 3 pupils), scored into fitness_indicators (read-only)."""
    folder = tmp_path_factory.mktemp("data-out")
    url, schema = backend_url(request.param, folder)
    city = populate(Home(Settings(home=folder / "home", database_url=url), get_catalog()), folder / "files")
    for school, class_id, n, start in ((SCHOOL, CLASS, 4, 0), (OTHER_SCHOOL, "C2025B", 3, 10)):
        path = write_csv(folder / f"f{school}.csv", _fitness_rows(school, class_id, n, start))
        assert ingest_file(city.home, path, "fitness_tests", school).report.status == "committed"
    assert city.home.lake.version("fitness_indicators") is not None
    with city.client:
        yield city
    city.home.engine.dispose()
    drop_schema(schema)


def _indicator_rows(city: ApiCity, user: str) -> list[dict[str, object]]:
    response = city.client.get("/api/v1/datasets/fitness_indicators/rows?limit=1000", headers=city.auth(user))
    assert response.status_code == 200, response.text
    return response.json()["data"]  # type: ignore[no-any-return]


def test_public_reader_sees_no_small_cell_of_fitness_indicators(tested_city: ApiCity) -> None:
    rows = _indicator_rows(tested_city, "citizen")
    assert rows, "the rows themselves stay visible"
    for row in rows:
        assert row["students"] is None and row["tested"] is None and row["pass_rate"] is None, row
        assert row[SUPPRESSED] in ("small_cell", "complementary")
    export = tested_city.client.get(
        "/api/v1/datasets/fitness_indicators/export?format=csv", headers=tested_city.auth("citizen")
    )
    exported = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert exported and all(r["students"] == "" and r["mean_total"] == "" for r in exported)


def test_school_admin_sees_its_own_small_cells_but_not_another_schools(tested_city: ApiCity) -> None:
    rows = _indicator_rows(tested_city, "school1")
    own = [r for r in rows if str(r["org_code"]).split(":")[0] == SCHOOL]
    other = [r for r in rows if str(r["org_code"]).split(":")[0] == OTHER_SCHOOL]
    assert own and all(r["students"] is not None and r[SUPPRESSED] is None for r in own)
    assert any(r["students"] == 4 for r in own)
    assert other and all(r["students"] is None for r in other)
    city_row = [r for r in rows if r["level"] == "city"]
    assert city_row and all(r["students"] is None for r in city_row)  # 7 pupils: small, and not the school's


def test_district_sees_its_schools_and_a_teacher_only_its_class(tested_city: ApiCity) -> None:
    rows = _indicator_rows(tested_city, "haidian")
    mine = [r for r in rows if r["level"] in ("district", "school", "class")]
    assert mine and all(r["students"] is not None for r in mine)
    assert all(r["students"] is None for r in _indicator_rows(tested_city, "chaoyang"))
    teacher = _indicator_rows(tested_city, "teacher")
    shown = {r["org_code"] for r in teacher if r["students"] is not None}
    assert shown == {f"{SCHOOL}:{CLASS}"}


def test_a_suppressed_cell_cannot_be_recovered_from_its_total() -> None:
    """Sexes of one school: boys 30, girls 3, all 33. Hiding girls alone lets all − boys reveal them."""
    frame = pl.DataFrame(
        {
            "level": ["school"] * 3,
            "org_code": ["1101080009"] * 3,
            "parent_code": ["110108"] * 3,
            "school_year": [2025] * 3,
            "grade": ["*"] * 3,
            "sex": ["1", "2", "*"],
            "students": [30, 3, 33],
            "tested": [30, 3, 33],
            "pass_rate": [0.9, 1.0, 0.909],
        }
    )
    dataset = load_catalog().dataset("fitness_indicators")
    public = Principal(id="p", name="p", grants=(Grant("public", "110000", "city"),))
    out = suppress_cells(dataset, public, frame, lambda _: [], k=10)
    assert out.filter(pl.col("sex") == "2")[SUPPRESSED].item() == "small_cell"
    assert out.filter(pl.col("sex") == "1")[SUPPRESSED].item() == "complementary"
    assert out.filter(pl.col("sex") != "*")["pass_rate"].null_count() == 2
    assert out.filter(pl.col("sex") == "*")["students"].item() == 33  # the large total stays


def test_the_reader_own_cell_is_not_the_complement() -> None:
    """School S1 (40, the reader's own) and S2 (3) of one district: S1's admin knows S1, so the district row hides."""
    base = {"school_year": [2025] * 3, "grade": ["*"] * 3, "sex": ["*"] * 3}
    frame = pl.DataFrame(
        {
            "level": ["school", "school", "district"],
            "org_code": ["1101080001", "1101080002", "110108"],
            "parent_code": ["110108", "110108", "110000"],
            **base,
            "students": [40, 3, 43],
            "tested": [40, 3, 43],
            "pass_rate": [0.5, 1.0, 0.56],
        }
    )
    dataset = load_catalog().dataset("fitness_indicators")
    school = Principal(id="s", name="s", grants=(Grant("school_admin", "1101080001", "school"),))
    out = suppress_cells(dataset, school, frame, lambda _: [], k=10)
    flags = dict(zip(out["org_code"], out[SUPPRESSED], strict=True))
    assert flags == {"1101080001": None, "1101080002": "small_cell", "110108": "complementary"}


def test_small_cell_threshold_is_a_setting(tested_city: ApiCity, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tested_city.home
    public = Principal(id="p", name="p", grants=(Grant("public", "110000", "city"),))
    monkeypatch.setattr(home.settings, "small_cell_min", 3)
    rows = read_dataset(home, public, "fitness_indicators").table.to_pylist()
    assert any(r["students"] == 4 for r in rows)
    assert all(r["students"] is None or r["students"] >= 3 for r in rows)


# 3. classification of derived datasets


def test_a_derived_dataset_below_its_inputs_without_a_reason_is_refused(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "datasets" / "fitness_scores.yaml"
    declared = yaml.safe_load(path.read_text(encoding="utf-8"))
    for spec in declared["fields"]:
        if spec["classification"] == "L4":
            spec["classification"] = "L3"
    path.write_text(yaml.safe_dump(declared, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as refused:
        load_catalog(data)
    assert "fitness_scores" in refused.value.zh and "L4" in refused.value.zh
    assert "classification_reason" in refused.value.en and "fitness_tests" in refused.value.en
    declared["classification_reason_zh"] = "测试：有意降低"
    declared["classification_reason_en"] = "test: declared lower on purpose"
    path.write_text(yaml.safe_dump(declared, allow_unicode=True), encoding="utf-8")
    assert load_catalog(data).dataset("fitness_scores").classification_reason_en


def test_fitness_scores_personal_fields_are_withheld_from_l3_without_a_purpose(tested_city: ApiCity) -> None:
    dataset = tested_city.home.catalog.dataset("fitness_scores")
    personal = [f.name for f in dataset.fields if f.classification in ("L3", "L4")]
    assert personal and all(dataset.field(n).classification == "L4" for n in personal)
    plain = tested_city.client.get("/api/v1/datasets/fitness_scores/rows", headers=tested_city.auth("school1"))
    assert plain.status_code == 200, plain.text
    body = plain.json()
    assert body["data"] and {"bmi", "total_score", "level"} <= set(body["withheld"])
    assert all(r["bmi"] is None and r["total_score"] is None for r in body["data"])
    with_purpose = tested_city.client.get(
        "/api/v1/datasets/fitness_scores/rows?purpose=health_follow_up", headers=tested_city.auth("school1")
    )
    assert with_purpose.status_code == 200, with_purpose.text
    assert all(r["bmi"] is not None for r in with_purpose.json()["data"])
