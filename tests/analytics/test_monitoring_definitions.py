"""The monitoring indicator declarations: the packaged file, its tree, and errors naming file, indicator and field."""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from edubrain.analytics.monitoring import load_monitoring, parse_monitoring
from edubrain.analytics.monitoring.loader import FILE
from edubrain.errors import CatalogError

PLAN = Path(__file__).parents[3] / "shared" / "seed" / "beijing-education-informatization-14th-five-year-plan.md"
SEVEN = [
    "教育新型基础设施全面建成",
    "教育大数据应用全面深化",
    "智能化教育管理服务全面普及",
    "师生信息素养和能力全面提升",
    "信息技术与教育教学全面融合",
    "信息化育人环境全面升级",
    "网络安全保障能力全面增强",
]


def _raw() -> dict[str, Any]:
    text = resources.files("edubrain.analytics").joinpath("data", FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def _indicator(raw: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(i for i in raw["indicators"] if i["id"] == ident)


def _error(raw: dict[str, Any]) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        parse_monitoring(yaml.safe_dump(raw, allow_unicode=True))
    return caught.value


def test_the_seven_goals_are_the_roots_in_the_plans_order() -> None:
    spec = load_monitoring()
    assert [g.name_zh for g in spec.goals] == SEVEN
    assert all(spec.of_goal(g.id) or g.pending for g in spec.goals), "a goal with neither indicators nor pending"


def test_the_network_targets_are_the_plans_100_percent() -> None:
    spec = load_monitoring()
    for ident in ("school_gigabit_access", "class_100m_access", "wireless_coverage"):
        item = spec.indicator(ident)
        assert (item.target, item.unit, item.direction, item.parent) == (100.0, "percent", "higher", "infrastructure")
        assert "学校千兆接入率、班级百兆接入率、校园无线网络覆盖率达到100%" in item.source.quote


def test_inputs_are_read_once_each_way() -> None:
    current, history = load_monitoring().inputs()
    assert current == ("classes", "school_infrastructure", "schools", "smart_campus_scores", "teacher_assignments")
    assert history == ("students",)


@pytest.mark.skipif(not PLAN.exists(), reason="the plan's text (../shared/seed) is not beside the repository")
def test_every_quoted_sentence_and_section_is_in_the_plan() -> None:
    text = PLAN.read_text(encoding="utf-8")
    spec = load_monitoring()
    sources = [g.source for g in spec.goals] + [p.source for g in spec.goals for p in g.pending]
    sources += [i.source for i in spec.indicators]
    for source in sources:
        assert source.quote in text, source.quote
        assert f"## {source.section}" in text or source.section == "发展目标" and "## 发展目标" in text


def test_an_unknown_field_names_the_file_indicator_and_field_in_both_languages() -> None:
    raw = _raw()
    _indicator(raw, "class_100m_access")["formula"]["where"]["field"] = "class_bandwith"
    error = _error(raw)
    assert FILE in error.zh and FILE in error.en
    assert "指标 class_100m_access" in error.zh and "formula.where.field" in error.zh and "class_bandwith" in error.zh
    assert "indicator class_100m_access" in error.en and "formula.where.field" in error.en
    assert error.details["indicator"] == "class_100m_access" and error.details["field"] == "formula.where.field"


@pytest.mark.parametrize(
    ("change", "field", "zh", "en"),
    [
        (
            lambda i: i["formula"].update(dataset="no_such"),
            "formula.dataset",
            "没有数据集 no_such",
            "no dataset no_such",
        ),
        (lambda i: i["formula"]["where"].update(field="school_code"), "formula.where.field", "不是数值", "not numeric"),
        (lambda i: i["formula"]["where"].update(op="=>"), "formula.where.op", "取值不在允许范围内", "Input should be"),
        (lambda i: i.pop("target"), "target", "缺少必填项", "Field required"),
        (lambda i: i.update(unit={"zh": "个", "en": "count"}), "unit", "单位须为 percent", "must be percent"),
        (lambda i: i.update(parent="nowhere"), "parent", "上级目标 nowhere 未声明", "parent goal nowhere"),
        (lambda i: i.update(owner="nobody"), "owner", "责任单位 nobody", "owner nobody"),
        (lambda i: i["formula"].update(kind="median"), "formula", "kind 须为", "does not match"),
        (lambda i: i.update(colour="red"), "colour", "不允许的字段", "Extra inputs"),
    ],
    ids=["dataset", "numeric", "op", "target", "unit", "parent", "owner", "kind", "extra"],
)
def test_schema_errors_name_the_indicator_and_field(change: Any, field: str, zh: str, en: str) -> None:
    raw = _raw()
    change(_indicator(raw, "school_gigabit_access"))
    error = _error(raw)
    assert "school_gigabit_access" in error.zh and "school_gigabit_access" in error.en
    assert field in error.zh and field in error.en
    assert zh in error.zh and en in error.en


def test_a_dataset_without_school_year_cannot_be_measured() -> None:
    raw = _raw()
    _indicator(raw, "teacher_terminals_per_teacher")["formula"]["denominator"] = {
        "dataset": "teachers", "count_distinct": "teacher_id",
    }  # fmt: skip
    error = _error(raw)
    assert (
        "formula.denominator.dataset" in error.zh and "缺少 school_year" in error.zh and "lacks school_year" in error.en
    )


def test_history_goes_only_with_a_count_of_distinct_values() -> None:
    raw = _raw()
    _indicator(raw, "smart_classroom_share")["formula"]["numerator"]["history"] = True
    error = _error(raw)
    assert "formula.numerator" in error.en and "history" in error.en and "smart_classroom_share" in error.zh


def test_a_repeated_id_and_a_goal_error_are_named() -> None:
    raw = _raw()
    raw["indicators"].append(copy.deepcopy(raw["indicators"][0]))
    assert "school_gigabit_access" in _error(raw).zh
    raw = _raw()
    raw["goals"][2]["name_en"] = ""
    error = _error(raw)
    assert "目标 management_services" in error.zh and "goal management_services, name_en" in error.en


def test_a_dataset_read_both_at_one_version_and_over_its_history_is_refused() -> None:
    raw = _raw()
    _indicator(raw, "smart_classroom_share")["formula"]["denominator"] = {
        "dataset": "school_infrastructure", "count_distinct": "school_code", "history": True,
    }  # fmt: skip
    error = _error(raw)
    assert "school_infrastructure" in error.zh and "历史" in error.zh and "history" in error.en


def test_the_documentation_names_every_indicator_its_sentence_and_every_pending_target() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "monitoring.md").read_text(encoding="utf-8")
    spec = load_monitoring()
    for item in spec.indicators:
        assert f"`{item.id}`" in doc and item.name_zh in doc and item.source.quote in doc, item.id
    for goal in spec.goals:
        assert goal.name_zh in doc
        for pending in goal.pending:
            assert pending.name_zh in doc, pending.name_zh
