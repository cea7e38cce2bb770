"""Reading and checking ``analytics/data/monitoring_indicators.yaml``: bilingual errors naming file, indicator, field.

:func:`load_monitoring` reads the packaged file into the models of
:mod:`edubrain.analytics.monitoring.definitions` and checks it against the
catalog: every dataset a formula names must exist and carry ``school_code``
and ``school_year``; every field must exist and be numeric where it is summed
or compared with a number; ids are unique; every indicator's goal and owner
are declared. Each problem is one :class:`~edubrain.errors.CatalogError` in
Chinese and English naming the file, the indicator (or goal) and the field,
with ``details`` (``file``, ``indicator`` or ``goal``, ``field``) for programs.
Pure: reads only the package's data file (or a text a test gives) and the catalog.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from edubrain.analytics.monitoring.definitions import (
    Condition,
    Count,
    Indicator,
    Mean,
    Measure,
    MonitoringSet,
    Ratio,
    datasets_of,
)
from edubrain.catalog.registry import Catalog, get_catalog
from edubrain.errors import CatalogError

FILE = "monitoring_indicators.yaml"
ORG_FIELDS = ("school_code", "school_year")
"""Fields every dataset a formula reads must have: indicators are computed per school and school year."""
NUMERIC = ("integer", "number")

ZH_ERRORS = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "literal_error": "取值不在允许范围内",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不符",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "greater_than": "应大于 0",
    "too_short": "不能为空",
    "union_tag_invalid": "kind 须为 share、mean、ratio 或 count",
    "union_tag_not_found": "缺少 kind（share、mean、ratio 或 count）",
    "value_error": "取值无效",
}
"""Chinese wording of pydantic's error types; others are shown as 取值无效 with pydantic's English message."""


def _fail(where: tuple[str, str], field: str | None, zh: str, en: str, **details: Any) -> CatalogError:
    """One bilingual error naming the file, the indicator or goal (``where``: Chinese, English) and the field."""
    at_zh = f"{FILE}：{where[0]}" + (f" 的 {field}" if field else "")
    at_en = f"{FILE}: {where[1]}" + (f", {field}" if field else "")
    return CatalogError(f"{at_zh}：{zh}", f"{at_en}: {en}", file=FILE, field=field, **details)


def _of(indicator_id: str) -> tuple[str, str]:
    return f"指标 {indicator_id}", f"indicator {indicator_id}"


def _where(raw: Any, loc: tuple[Any, ...]) -> tuple[tuple[str, str], tuple[Any, ...], dict[str, Any]]:
    """The indicator or goal of a pydantic location (Chinese, English), the rest of the location, and details."""
    if len(loc) >= 2 and loc[0] in ("indicators", "goals") and isinstance(loc[1], int):
        items = raw.get(loc[0]) if isinstance(raw, dict) else None
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        ident = str(item.get("id")) if isinstance(item, dict) and item.get("id") else f"#{loc[1] + 1}"
        if loc[0] == "indicators":
            return _of(ident), loc[2:], {"indicator": ident}
        return (f"目标 {ident}", f"goal {ident}"), loc[2:], {"goal": ident}
    return ("顶层", "top level"), loc, {}


def _schema_error(raw: Any, exc: ValidationError) -> CatalogError:
    """The first problem pydantic found, in both languages, naming the indicator and the field."""
    first = exc.errors()[0]
    where, rest, details = _where(raw, tuple(first["loc"]))
    tags = {"share", "mean", "ratio", "count", "Unit", "literal['percent']"}
    field = ".".join(str(p) for p in rest if str(p) not in tags) or None
    zh = ZH_ERRORS.get(first["type"], "取值无效")
    return _fail(where, field, f"{zh}（{first['msg']}）", str(first["msg"]), **details)


def _check_field(
    catalog: Catalog, where: tuple[str, str], path: str, dataset_id: str, name: str, numeric: bool
) -> None:
    dataset = catalog.datasets[dataset_id]
    if name not in dataset.field_names:
        raise _fail(
            where, path, f"数据集 {dataset_id} 没有字段 {name}", f"dataset {dataset_id} has no field {name}",
            dataset=dataset_id,
        )  # fmt: skip
    kind = dataset.field(name).type
    if numeric and kind not in NUMERIC:
        raise _fail(
            where, path, f"字段 {dataset_id}.{name} 的类型为 {kind}，不是数值", f"field {dataset_id}.{name} is {kind}, not numeric",
            dataset=dataset_id,
        )  # fmt: skip


def _check_dataset(catalog: Catalog, where: tuple[str, str], path: str, dataset_id: str) -> None:
    if dataset_id not in catalog.datasets:
        raise _fail(
            where,
            path,
            f"目录中没有数据集 {dataset_id}",
            f"the catalog has no dataset {dataset_id}",
            dataset=dataset_id,
        )
    missing = [f for f in ORG_FIELDS if f not in catalog.datasets[dataset_id].field_names]
    if missing:
        raise _fail(
            where, path, f"数据集 {dataset_id} 缺少 {', '.join(missing)}，不能按学校、学年计算",
            f"dataset {dataset_id} lacks {', '.join(missing)}: it cannot be computed per school and school year",
            dataset=dataset_id,
        )  # fmt: skip


def _check_condition(catalog: Catalog, where: tuple[str, str], path: str, dataset_id: str, cond: Condition) -> None:
    _check_field(catalog, where, f"{path}.field", dataset_id, cond.field, numeric=cond.op != "in")


def _check_measure(catalog: Catalog, where: tuple[str, str], path: str, measure: Measure) -> None:
    _check_dataset(catalog, where, f"{path}.dataset", measure.dataset)
    if measure.sum is not None:
        _check_field(catalog, where, f"{path}.sum", measure.dataset, measure.sum, numeric=True)
    if measure.count_distinct is not None:
        _check_field(catalog, where, f"{path}.count_distinct", measure.dataset, measure.count_distinct, numeric=False)
    if measure.where is not None:
        _check_condition(catalog, where, f"{path}.where", measure.dataset, measure.where)


def _check_formula(catalog: Catalog, item: Indicator) -> None:
    where, formula = _of(item.id), item.formula
    details = {"indicator": item.id}
    if isinstance(formula, Ratio):
        _check_measure(catalog, where, "formula.numerator", formula.numerator)
        _check_measure(catalog, where, "formula.denominator", formula.denominator)
        return
    _check_dataset(catalog, where, "formula.dataset", formula.dataset)
    if isinstance(formula, Mean):
        _check_field(catalog, where, "formula.field", formula.dataset, formula.field, numeric=True)
        if catalog.datasets[formula.dataset].field(formula.field).unit == "%" and not item.percent:
            raise _fail(
                where, "unit", "字段单位为 %，指标单位须为 percent", "the field is in %: the unit must be percent"
            )
        return
    _check_condition(catalog, where, "formula.where", formula.dataset, formula.where)
    if isinstance(formula, Count):
        if item.percent:
            raise _fail(
                where, "unit", "计数（count）的单位不能是 percent", "a count is not in percent: declare its unit"
            )
        return
    if not item.percent:
        raise _fail(where, "unit", "占比（share）的单位须为 percent", "a share is in percent: the unit must be percent")
    if formula.weight is not None:
        _check_measure(catalog, where, "formula.weight", formula.weight)
        if list(catalog.datasets[formula.dataset].primary_key) != list(ORG_FIELDS):
            raise _fail(
                where, "formula.weight", f"加权占比要求数据集 {formula.dataset} 每校每学年一行（主键 school_code, school_year）",
                f"a weighted share needs one row per school and year in {formula.dataset} (key school_code, school_year)",
                **details,
            )  # fmt: skip


def _check_links(spec: MonitoringSet) -> None:
    """Unique ids; every indicator's goal and owner declared."""
    goals = [g.id for g in spec.goals]
    seen: set[str] = set()
    for ident in [*goals, *(i.id for i in spec.indicators)]:
        if ident in seen:
            raise _fail(
                (f"编号 {ident}", f"id {ident}"),
                None,
                "编号重复（目标与指标的编号须各不相同）",
                "the id is used twice",
                id=ident,
            )
        seen.add(ident)
    for item in spec.indicators:
        if item.parent not in goals:
            raise _fail(
                _of(item.id), "parent", f"上级目标 {item.parent} 未声明（应为 {', '.join(goals)} 之一）",
                f"parent goal {item.parent} is not declared (one of {', '.join(goals)})", indicator=item.id,
            )  # fmt: skip
        if item.owner not in spec.owners:
            raise _fail(
                _of(item.id), "owner", f"责任单位 {item.owner} 未在 owners 中声明",
                f"owner {item.owner} is not declared under owners", indicator=item.id,
            )  # fmt: skip


def _check_reads(spec: MonitoringSet) -> None:
    """A dataset is read either at one version or over its history, never both (the job reads it once)."""
    modes: dict[str, bool] = {"schools": False}
    for item in spec.indicators:
        for dataset, over_history in datasets_of(item.formula):
            if modes.setdefault(dataset, over_history) != over_history:
                raise _fail(
                    _of(item.id), "formula", f"数据集 {dataset} 不能既按一个版本读取又按全部历史版本读取",
                    f"dataset {dataset} cannot be read both at one version and over its history", dataset=dataset,
                    indicator=item.id,
                )  # fmt: skip


def parse_monitoring(text: str, catalog: Catalog | None = None) -> MonitoringSet:
    """The declarations in ``text`` (YAML), checked against ``catalog`` (default the packaged one).

    Raises:
        CatalogError: the first problem found, in both languages, naming the file, the indicator or goal, and
            the field (``details``: ``file``, ``indicator`` or ``goal``, ``field``).
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(("YAML", "YAML"), None, f"无法解析：{exc}", f"cannot be parsed: {exc}") from exc
    try:
        spec = MonitoringSet.model_validate(raw)
    except ValidationError as exc:
        raise _schema_error(raw, exc) from exc
    _check_links(spec)
    _check_reads(spec)
    cat = catalog or get_catalog()
    for item in spec.indicators:
        try:
            _check_formula(cat, item)
        except CatalogError as exc:
            exc.details.setdefault("indicator", item.id)
            raise
    return spec


@lru_cache(maxsize=1)
def load_monitoring() -> MonitoringSet:
    """The packaged declarations, checked against the packaged catalog (cached: package data never changes)."""
    text = resources.files("edubrain.analytics").joinpath("data", FILE).read_text(encoding="utf-8")
    return parse_monitoring(text)
