"""The 体质健康 page in process (ASGI client): scope per role, both languages, chart data, warnings, report cards."""

from __future__ import annotations

import re
import zlib

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.web.conftest import Client, page_data, rows_of
from tests.web.test_fitness_page_city import CHAOYANG_SCHOOL, LAST_YEAR, SynthWeb, lake_table


def chart(html: str) -> dict:
    return page_data(html, "fitness-data")


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF whose page objects may sit in compressed object streams (WeasyPrint)."""
    texts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            texts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page[^s]", t)) for t in texts)


def indicators(city: SynthWeb) -> pl.DataFrame:
    return lake_table(city.home, "fitness_indicators").filter((pl.col("grade") == "*") & (pl.col("sex") == "*"))


def test_fitness_page_city_map_and_trend_equal_the_derived_dataset(user: Client, city: SynthWeb) -> None:
    response = user("city").get("/fitness")
    assert response.status_code == 200
    data = chart(response.text)
    stored = indicators(city)
    districts = stored.filter((pl.col("level") == "district") & (pl.col("school_year") == LAST_YEAR))
    expected = dict(districts.select("org_code", "excellent_good_rate").iter_rows())
    shown = {r["code"]: r["value"] for r in data["map"]["excellent_good_rate"]}
    assert len(shown) == 16 and shown == expected
    assert {r["name"] for r in data["map"]["pass_rate"]} >= {"海淀区", "延庆区"}
    city_rows = stored.filter(pl.col("level") == "city").sort("school_year")
    assert data["trend"]["years"] == city_rows["school_year"].to_list() == [2022, 2023, 2024, 2025]
    assert data["trend"]["series"]["mean_total"] == city_rows["mean_total"].to_list()
    assert sorted(rows_of(response.text, "drill-table")) == sorted(expected)
    older = chart(user("city").get("/fitness?year=2023&org=110108").text)
    haidian = stored.filter(pl.col("org_code") == "110108").sort("school_year")
    assert older["trend"]["series"]["excellent_good_rate"] == haidian["excellent_good_rate"].to_list()


def test_fitness_page_district_sees_only_its_district(user: Client, city: SynthWeb) -> None:
    client = user("haidian")
    response = client.get("/fitness")
    assert response.status_code == 200
    data = chart(response.text)
    assert [r["code"] for r in data["map"]["excellent_good_rate"]] == ["110108"]
    schools = indicators(city).filter((pl.col("level") == "school") & (pl.col("parent_code") == "110108"))
    assert sorted(rows_of(response.text, "drill-table")) == sorted(set(schools["org_code"]))
    assert CHAOYANG_SCHOOL not in response.text
    for outside in ("110105", "110000", CHAOYANG_SCHOOL, f"{CHAOYANG_SCHOOL}:x"):
        assert client.get(f"/fitness?org={outside}").status_code in (403, 404), outside
    assert client.get("/fitness?org=110105").status_code == 403
    assert client.get("/fitness?org=9999999999").status_code == 404
    school = client.get(f"/fitness?org={city.school}")
    assert school.status_code == 200
    assert all(org.startswith(f"{city.school}:") for org in rows_of(school.text, "drill-table"))
    assert 'class="cards-form"' not in school.text  # districts do not print pupils' cards


def test_fitness_page_school_sees_its_school_and_classes_only(user: Client, city: SynthWeb) -> None:
    client = user("school")
    response = client.get("/fitness")
    assert response.status_code == 200
    assert 'id="fitness-map"' not in response.text
    classes = indicators(city).filter(
        (pl.col("level") == "class") & (pl.col("parent_code") == city.school) & (pl.col("school_year") == LAST_YEAR)
    )
    assert sorted(rows_of(response.text, "drill-table")) == sorted(classes["org_code"])
    assert f'data-class="{city.class_id}"' in response.text  # the print button of each class
    data = chart(response.text)
    own = indicators(city).filter(pl.col("org_code") == city.school).sort("school_year")
    assert data["trend"]["series"]["pass_rate"] == own["pass_rate"].to_list() and data["map"]["pass_rate"] == []
    for outside in ("110108", "110000", "1101080002"):
        assert client.get(f"/fitness?org={outside}").status_code == 403, outside
    teacher = user("teacher").get("/fitness")
    assert rows_of(teacher.text, "drill-table") == [f"{city.school}:{city.class_id}"]


def test_fitness_page_warnings_panel_follows_the_scope(user: Client, city: SynthWeb) -> None:
    stored = lake_table(city.home, "fitness_warnings").filter(pl.col("school_year") == LAST_YEAR)
    assert (stored.filter(pl.col("school_code") == city.school)["check"] == "identical_values").any()
    for name in ("city", "haidian", "school"):
        html = user(name).get("/fitness").text
        assert city.school in rows_of(html, "warnings-table", "data-school"), name
        assert "同一数值过多" in html and "50米跑" in html
    assert city.school not in rows_of(user("chaoyang").get("/fitness").text, "warnings-table", "data-school")
    assert "您的角色看不到数据质量预警" in user("teacher").get("/fitness").text


def test_fitness_page_prints_a_class_as_one_pdf_and_the_read_is_audited(user: Client, city: SynthWeb) -> None:
    def audited() -> int:
        with city.home.engine.connect() as conn:
            query = "select count(*) from audit_events where action = 'read_unmasked' and purpose = 'teaching'"
            return int(conn.execute(text(query)).scalar() or 0)

    before = audited()
    form = {"class_id": city.class_id, "year": str(LAST_YEAR), "purpose": "teaching"}
    response = user("school").post("/fitness/cards", data=form)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    assert city.pupils <= pdf_pages(response.content) <= 2 * city.pupils  # a card a page (a long one takes two)
    assert audited() > before
    assert user("cyschool").post("/fitness/cards", data=form).status_code == 404  # not its class: no cards
    assert user("haidian").post("/fitness/cards", data=form).status_code == 403
    empty = {**form, "class_id": "NOCLASS"}
    assert "该班本学年没有体测记录" in user("school").post("/fitness/cards", data=empty).text


def test_fitness_page_in_english(user: Client) -> None:
    for name in ("city", "haidian", "school"):
        response = user(name).get("/fitness?lang=en")
        assert response.status_code == 200
        assert 'lang="en"' in response.text and "Physical health" in response.text
        assert "Excellent or good" in response.text
        visible = re.sub(r'<script type="application/json".*?</script>', "", response.text, flags=re.S)
        assert "优良率" not in visible and "体质健康" not in visible, name


def test_fitness_page_says_when_there_is_no_data(as_user) -> None:  # type: ignore[no-untyped-def]
    zh = as_user("city").get("/fitness?lang=zh")
    assert zh.status_code == 200 and 'id="fitness-missing"' in zh.text and "edubrain fitness run" in zh.text
    assert "尚无体质健康数据" in zh.text
    en = as_user("haidian").get("/fitness?lang=en")
    assert "No physical health data yet" in en.text
    as_user("haidian").get("/fitness?lang=zh")  # leave the shared client in Chinese


def test_fitness_page_needs_a_login_and_an_organisation(synth_app: FastAPI) -> None:
    anonymous = TestClient(synth_app, follow_redirects=False)
    assert anonymous.get("/fitness").headers["location"].startswith("/login?next=")
    assert anonymous.post("/fitness/cards", data={"class_id": "x", "year": "2025"}).status_code == 303


def test_fitness_page_reads_the_indicators_once_per_lake_version(
    user: Client, city: SynthWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    import edubrain.web.cockpit as cockpit
    from edubrain.jobs.fitness import run_fitness

    reads: list[str] = []
    real = cockpit.read_dataset

    def counted(home, principal, dataset_id, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(dataset_id)
        return real(home, principal, dataset_id, **kwargs)

    monkeypatch.setattr(cockpit, "read_dataset", counted)
    for round_ in (1, 2):
        run_fitness(city.home)  # a new version of the derived datasets (same inputs, same rows)
        for name in ("city", "haidian", "school", "teacher", "city"):
            assert user(name).get("/fitness?year=2024").status_code == 200
        # one read per version and reader scope (small cells are suppressed by scope): the second city visit is kept
        assert reads.count("fitness_indicators") == 4 * round_
