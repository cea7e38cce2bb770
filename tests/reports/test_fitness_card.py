"""The 体质健康报告卡: what a card says, the printable HTML, and one PDF for a class with Chinese fonts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib

import pyarrow as pa
import pytest

from edubrain.reports.fitness_card import build_cards, item_level, render_html, render_pdf

STUDENT = "G110108201003151234"


def _tests(rows: list[dict[str, object]]) -> pa.Table:
    fields = [
        "height_cm",
        "weight_kg",
        "vital_capacity_ml",
        "sprint_50m_s",
        "sit_and_reach_cm",
        "standing_long_jump_cm",
    ]
    fields += ["pull_ups_count", "run_1000m_s", "sit_ups_count", "run_800m_s"]
    columns: dict[str, pa.Array] = {
        "student_id": pa.array([r["student_id"] for r in rows]),
        "school_code": pa.array(["1101080001"] * len(rows)),
        "class_id": pa.array(["C1"] * len(rows)),
        "school_year": pa.array([r["school_year"] for r in rows], pa.int64()),
        "grade": pa.array([r["grade"] for r in rows]),
        "sex": pa.array([r["sex"] for r in rows]),
        "exempt": pa.array([r.get("exempt", False) for r in rows]),
    }
    for name in fields:
        columns[name] = pa.array([r.get(name) for r in rows], pa.float64())
    return pa.table(columns)


def _junior_boy(year: int, grade: str, run: float, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {"student_id": STUDENT, "school_year": year, "grade": grade, "sex": "1"}
    row.update(height_cm=160.0, weight_kg=50.0, vital_capacity_ml=3640.0, sprint_50m_s=7.8, sit_and_reach_cm=17.6)
    row.update(standing_long_jump_cm=225.0, pull_ups_count=14.0, run_1000m_s=run)
    row.update(extra)
    return row


def test_fitness_card_shows_scores_trend_and_advice_for_weak_items() -> None:
    rows = [
        _junior_boy(2023, "21", 300.0, sit_and_reach_cm=-2.6),
        _junior_boy(2024, "22", 290.0, sit_and_reach_cm=-2.6),
        _junior_boy(2025, "23", 285.0, sit_and_reach_cm=-2.6, weight_kg=70.0),
    ]
    cards = build_cards(_tests(rows), 2025, {STUDENT: "王小明"})
    assert len(cards) == 1
    card = cards[0]
    assert (card.name, card.grade, card.sex, card.school_year) == ("王小明", "初三", "男", 2025)
    assert [t["year"] for t in card.trend] == [2023, 2024, 2025]
    names = [i.name for i in card.items]
    assert names == ["肺活量", "50米跑", "坐位体前屈", "立定跳远", "引体向上", "1000米跑"]
    run = card.items[-1]
    assert (run.result, run.level) == ("4′45″", "及格")
    advised = [name for name, _ in card.advice]
    assert "坐位体前屈" in advised and "1000米跑" in advised and "体重指数" in advised
    assert "肺活量" not in advised
    html = render_html(cards)
    assert "王小明" in html and "学生体质健康报告卡" in html and "<svg" in html and "锻炼建议" in html


def test_fitness_card_for_an_exempt_student_says_so() -> None:
    cards = build_cards(_tests([_junior_boy(2025, "21", 240.0, exempt=True)]), 2025)
    assert cards[0].status == "exempt" and cards[0].level == "免测"
    assert "免予执行" in render_html(cards)


def test_fitness_item_levels_follow_the_score_table() -> None:
    assert [item_level(s) for s in (100, 90, 85, 80, 78, 60, 50, 0, None)] == [
        "优秀",
        "优秀",
        "良好",
        "良好",
        "及格",
        "及格",
        "不及格",
        "不及格",
        "",
    ]


def _cjk_font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return bool(listed.strip())


def _font_names(pdf: bytes) -> set[str]:
    names = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            text = stream
        names.update(m.decode() for m in re.findall(rb"/(?:BaseFont|FontName)\s*/([A-Za-z0-9+\-]+)", text))
    names.update(m.decode() for m in re.findall(rb"/(?:BaseFont|FontName)\s*/([A-Za-z0-9+\-]+)", pdf))
    return names


def test_fitness_class_cards_print_as_one_pdf_with_a_chinese_font() -> None:
    if not _cjk_font_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("no CJK font installed (Debian: fonts-noto-cjk); .ci/run installs it")
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    rows = [_junior_boy(2025, "21", 240.0)]
    rows.append(dict(_junior_boy(2025, "21", 250.0), student_id="G110108201003151242", sex="2", sit_ups_count=40.0))
    pdf = render_pdf(build_cards(_tests(rows), 2025, {STUDENT: "王小明", "G110108201003151242": "李小红"}))
    assert pdf.startswith(b"%PDF")
    fonts = _font_names(pdf)
    assert any("CJK" in f or "Han" in f or "WenQuanYi" in f for f in fonts), fonts
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf)) or sum(
        len(re.findall(rb"/Type\s*/Page[^s]", zlib.decompress(s)))
        for s in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
        if s[:1] == b"x"
    )
    assert pages == 2
