"""The 体质健康报告卡 (physical health report card) for parents: printable HTML and PDF.

One card per student and school year: each item's result, score and level,
the BMI band, the 标准分, 附加分, 学年总分 and 等级 by 国家学生体质健康标准
（2014年修订）, the trend of the 学年总分 over the years tested, and advice for
the items scoring below 80. A whole class prints as one PDF, one card a page.

:func:`build_cards` is pure (rows in, cards out); :func:`class_cards` reads
the rows through the governance read path (row scope, masking, audit).
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jinja2
import pyarrow as pa
import yaml

from edubrain.analytics.fitness import load_standard, score_arrow
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.home import Home

GRADE_NAMES = dict(
    zip(
        "11 12 13 14 15 16 21 22 23 31 32 33 41 42 43 44".split(),
        ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三"]
        + ["高一", "高二", "高三", "大一", "大二", "大三", "大四"],
        strict=True,
    )
)
SEX_NAMES = {"1": "男", "2": "女"}
WEAK_BELOW = 80
"""Items scoring below this (below 良好) get advice on the card."""


@dataclass(frozen=True)
class CardItem:
    """One line of the card: an item's result, score, level and bonus."""

    name: str
    result: str
    unit: str
    score: int | None
    level: str
    bonus: int | None = None


@dataclass(frozen=True)
class FitnessCard:
    """Everything printed on one student's card."""

    student: str
    name: str
    school_code: str
    class_id: str
    school_year: int
    grade: str
    sex: str
    items: list[CardItem]
    bmi: str
    standard_score: float | None
    bonus: int | None
    total_score: float | None
    level: str
    status: str
    trend: list[dict[str, Any]] = field(default_factory=list)
    advice: list[tuple[str, str]] = field(default_factory=list)
    standard_title: str = ""


def item_level(score: int | None) -> str:
    """单项等级 of an item score: 优秀 ≥ 90, 良好 ≥ 80, 及格 ≥ 60, 不及格 below (the 单项评分表's 等级 column)."""
    if score is None:
        return ""
    return "优秀" if score >= 90 else "良好" if score >= 80 else "及格" if score >= 60 else "不及格"


@lru_cache(maxsize=1)
def _advice() -> dict[str, Any]:
    text = importlib.resources.files("edubrain.reports").joinpath("data", "fitness_advice.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def _format(value: float | None, field_name: str) -> str:
    if value is None:
        return "—"
    if field_name in ("run_800m_s", "run_1000m_s", "shuttle_run_50x8_s"):
        seconds = round(value)
        return f"{seconds // 60}′{seconds % 60:02d}″"
    if field_name in ("sprint_50m_s", "sit_and_reach_cm", "height_cm", "weight_kg"):
        return f"{value:.1f}"
    return f"{value:.0f}"


def _card(row: Mapping[str, Any], history: list[dict[str, Any]], name: str) -> FitnessCard:
    std = load_standard()
    weights = std.weights.get((row["sex"], row["grade"]), {})
    items: list[CardItem] = []
    advice: list[tuple[int, str, str]] = []
    for item in std.scored_items:
        if item.id not in weights or item.field is None:
            continue
        score = row.get(f"{item.id}_score")
        bonus = row.get(f"{item.id}_bonus")
        items.append(
            CardItem(item.zh, _format(row.get(item.field), item.field), item.unit, score, item_level(score), bonus)
        )
        if score is not None and score < WEAK_BELOW:
            advice.append((score, item.zh, _advice()[item.id]["zh"]))
    band = row.get("bmi_band")
    bmi_text = "—" if row.get("bmi") is None else f"{row['bmi']:.1f}（{band}）"
    if band in ("低体重", "超重", "肥胖"):
        key = {"低体重": "underweight", "超重": "overweight", "肥胖": "obese"}[band]
        advice.append((row.get("bmi_score") or 0, "体重指数", _advice()["bmi"][key]["zh"]))
    status = row["status"]
    level = row.get("level") or {"exempt": "免测", "incomplete": "缺项", "unscored": "未评分"}.get(status, "")
    return FitnessCard(
        student=row["student_id"],
        name=name,
        school_code=row.get("school_code") or "",
        class_id=row.get("class_id") or "",
        school_year=int(row["school_year"]),
        grade=GRADE_NAMES.get(row["grade"], row["grade"]),
        sex=SEX_NAMES.get(row["sex"], row["sex"]),
        items=items,
        bmi=bmi_text,
        standard_score=row.get("standard_score"),
        bonus=row.get("bonus"),
        total_score=row.get("total_score"),
        level=level,
        status=status,
        trend=history,
        advice=[(n, text) for _, n, text in sorted(advice, key=lambda a: a[0])],
        standard_title=std.meta["title_zh"],
    )


def build_cards(tests: pa.Table, school_year: int, names: Mapping[str, str] | None = None) -> list[FitnessCard]:
    """Cards for every student with a ``fitness_tests`` row in ``school_year``, with their earlier years as trend.

    Args:
        tests: ``fitness_tests`` rows (catalog columns) of the students, every year available.
        school_year: The year the cards are for.
        names: Student id → name to print (the student id is printed when absent).
    """
    scored = score_arrow(tests).to_pylist()
    by_student: dict[str, list[dict[str, Any]]] = {}
    for row in scored:
        by_student.setdefault(row["student_id"], []).append(row)
    cards = []
    for student, rows in sorted(by_student.items(), key=lambda kv: (kv[1][0].get("class_id") or "", kv[0])):
        current = [r for r in rows if r["school_year"] == school_year]
        if not current:
            continue
        history = [
            {
                "year": r["school_year"],
                "grade": GRADE_NAMES.get(r["grade"], r["grade"]),
                "total": r["total_score"],
                "level": r["level"] or "",
            }
            for r in sorted(rows, key=lambda r: r["school_year"])
            if r["school_year"] <= school_year
        ]
        cards.append(_card(current[0], history, (names or {}).get(student, student)))
    return cards


def _trend_svg(trend: Sequence[Mapping[str, Any]], width: int = 360, height: int = 120) -> str:
    points = [(t["year"], t["total"]) for t in trend if t["total"] is not None]
    if not points:
        return ""
    lo, hi = 0.0, 120.0
    step = (width - 60) / max(len(points) - 1, 1)
    xy = [(40 + i * step, height - 20 - (v - lo) / (hi - lo) * (height - 40)) for i, (_, v) in enumerate(points)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    marks = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"/><text x="{x:.1f}" y="{y - 6:.1f}">{v:.1f}</text>'
        f'<text x="{x:.1f}" y="{height - 4}">{year}</text>'
        for (x, y), (year, v) in zip(xy, points, strict=True)
    )
    guides = "".join(
        f'<line x1="30" x2="{width - 10}" y1="{height - 20 - g / 120 * (height - 40):.1f}" '
        f'y2="{height - 20 - g / 120 * (height - 40):.1f}" class="guide"/>'
        for g in (60, 80, 90)
    )
    return (
        f'<svg class="trend" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">{guides}<polyline points="{line}"/>{marks}</svg>'
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("edubrain.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    env.filters["trend_svg"] = lambda trend: jinja2.utils.markupsafe.Markup(_trend_svg(trend))
    return env


def render_html(cards: Sequence[FitnessCard], title: str = "体质健康报告卡") -> str:
    """The cards as one printable HTML document (one card a page)."""
    return _environment().get_template("fitness_card.html.j2").render(cards=cards, title=title)


def render_pdf(cards: Sequence[FitnessCard], title: str = "体质健康报告卡") -> bytes:
    """The cards as one PDF (WeasyPrint; needs a CJK font such as Noto Sans/Serif CJK SC installed)."""
    from weasyprint import HTML

    pdf = HTML(string=render_html(cards, title)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def class_cards(
    home: Home, principal: Principal, school_code: str, class_id: str, school_year: int, purpose: str | None
) -> list[FitnessCard]:
    """Cards of one class, read through the governance read path (scope, masking, audit of unmasked reads).

    Args:
        home: The installation.
        principal: Who prints (e.g. the school's administrator or the class's teacher).
        school_code: The school.
        class_id: The class.
        school_year: The year of the cards.
        purpose: The declared purpose for reading the pupils' results unmasked (e.g. ``teaching``).
    """
    this_year = read_dataset(
        home,
        principal,
        "fitness_tests",
        filters={"school_code": school_code, "class_id": class_id, "school_year": school_year},
        purpose=purpose,
    ).table
    students = sorted(set(this_year.column("student_id").to_pylist()))
    if not students:
        return []
    tests = read_dataset(home, principal, "fitness_tests", filters={"student_id": students}, purpose=purpose).table
    names_table = read_dataset(
        home, principal, "students", filters={"student_id": students, "school_year": school_year}, purpose=purpose
    ).table
    names = dict(zip(names_table.column("student_id").to_pylist(), names_table.column("name").to_pylist(), strict=True))
    return build_cards(tests, school_year, names)
