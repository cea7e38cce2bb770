"""Scenarios: what-if changes to births, intake (migration before school age), migration and transitions.

A scenario is a small mapping (written as YAML or JSON)::

    name: 出生减少10%
    description: births 10% lower from 2025
    changes:
      - {kind: births, factor: 0.9, from_year: 2025}
      - {kind: transition, stage: senior, rate: 0.80, from_year: 2027}
      - {kind: migration, delta: -0.01, districts: ["110105"]}
      - {kind: intake, factor: 1.05, from_year: 2028, to_year: 2030}

``births`` multiplies the births of calendar years ``from_year``–``to_year``;
``intake`` multiplies the birth-to-enrollment ratio of those school years;
``migration`` adds ``delta`` (net share of pupils arriving per year) to the
progression ratios inside each stage (optionally one ``stage``);
``transition`` sets (``rate``) or multiplies (``factor``) the junior or senior
entry rate. ``districts`` limits a change to some districts; years are
inclusive and open-ended when left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import yaml

from edubrain.analytics.forecast.errors import ScenarioError
from edubrain.analytics.forecast.simulate import ProjectionBasis
from edubrain.analytics.forecast.stages import ENTRY_GRADES, STAGES, Stage, stage_of

KINDS = ("births", "intake", "migration", "transition")
_ALLOWED = {
    "births": {"factor"},
    "intake": {"factor"},
    "migration": {"delta", "stage"},
    "transition": {"rate", "factor", "stage"},
}
_COMMON = {"kind", "from_year", "to_year", "districts"}


@dataclass(frozen=True)
class ScenarioChange:
    """One change of a scenario (see the module docstring for the kinds)."""

    kind: str
    factor: float | None = None
    rate: float | None = None
    delta: float | None = None
    stage: Stage | None = None
    from_year: int | None = None
    to_year: int | None = None
    districts: tuple[str, ...] | None = None

    def years_mask(self, years: np.ndarray) -> np.ndarray:
        """Which of ``years`` the change covers."""
        low = -np.inf if self.from_year is None else self.from_year
        high = np.inf if self.to_year is None else self.to_year
        return np.asarray((years >= low) & (years <= high))

    def districts_mask(self, districts: tuple[str, ...]) -> np.ndarray:
        """Which districts the change covers."""
        return np.array([self.districts is None or d in self.districts for d in districts])


@dataclass(frozen=True)
class Scenario:
    """A named set of changes applied to a forecast's basis."""

    name: str
    changes: tuple[ScenarioChange, ...]
    description: str = ""
    source: str = "<scenario>"

    def apply(self, basis: ProjectionBasis) -> ProjectionBasis:
        """The basis with every change applied, in order."""
        births, ratios = basis.births.copy(), basis.ratios.copy()
        for i, change in enumerate(self.changes):
            unknown = sorted(set(change.districts or ()) - set(basis.districts))
            if unknown:
                raise _bad(
                    self.source,
                    f"changes[{i}].districts",
                    f"changes[{i}].districts",
                    f"含有没有数据的区 {unknown}",
                    f"names districts with no data {unknown}",
                )
            rows = change.districts_mask(basis.districts)
            if change.kind == "births":
                cells = rows[:, None] & change.years_mask(basis.birth_years)[None, :]
                births[cells] *= change.factor  # type: ignore[operator]
                continue
            cells = rows[:, None] & change.years_mask(basis.school_years)[None, :]
            if change.kind == "intake":
                ratios[cells, 0] *= change.factor  # type: ignore[operator]
            elif change.kind == "migration":
                for k in _progression_positions(change.stage):
                    ratios[cells, k] = np.maximum(ratios[cells, k] + change.delta, 0.0)
            else:
                k = ENTRY_GRADES[change.stage] - 1  # type: ignore[index]
                ratios[cells, k] = change.rate if change.rate is not None else ratios[cells, k] * change.factor
        return replace(basis, births=births, ratios=ratios)


def _progression_positions(stage: Stage | None) -> list[int]:
    """Ratio positions of the progressions inside a stage (not its entry), or inside every stage."""
    stages = list(STAGES) if stage is None else [stage]
    return [g - 1 for s in stages for g in range(STAGES[s][0] + 1, STAGES[s][1] + 1)]


def scenario_from_text(text: str, source: str) -> Scenario:
    """Parse a scenario written as YAML or JSON.

    Args:
        text: The file's text.
        source: The file's name, for error messages.

    Raises:
        ScenarioError: the text is not YAML/JSON, or a field is missing or invalid (the message names it).
    """
    try:
        data = json.loads(text) if source.lower().endswith(".json") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(
            f"情景文件 {source} 不是有效的 YAML/JSON：{exc}",
            f"scenario file {source} is not valid YAML/JSON: {exc}",
            file=source,
        ) from exc
    return scenario_from_mapping(data, source)


def scenario_from_mapping(data: Any, source: str = "<scenario>") -> Scenario:
    """Validate a scenario mapping (see the module docstring) and build it.

    Raises:
        ScenarioError: naming ``source`` and the field at fault, in Chinese and English.
    """
    if not isinstance(data, Mapping):
        raise _bad(source, "(根)", "(root)", "应为映射（name、changes）", "must be a mapping with name and changes")
    extra = sorted(set(data) - {"name", "description", "changes"})
    if extra:
        raise _bad(
            source,
            extra[0],
            extra[0],
            "不是情景的字段（允许 name、description、changes）",
            "is not a scenario field (name, description, changes are allowed)",
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _bad(source, "name", "name", "必填，应为非空文本", "is required and must be non-empty text")
    changes = data.get("changes")
    if not isinstance(changes, list) or not changes:
        raise _bad(source, "changes", "changes", "必填，应为非空列表", "is required and must be a non-empty list")
    parsed = tuple(_change(item, f"changes[{i}]", source) for i, item in enumerate(changes))
    return Scenario(name.strip(), parsed, str(data.get("description") or ""), source)


def _change(item: Any, where: str, source: str) -> ScenarioChange:
    if not isinstance(item, Mapping):
        raise _bad(source, where, where, "应为映射", "must be a mapping")
    kind = item.get("kind")
    if kind not in KINDS:
        raise _bad(
            source,
            f"{where}.kind",
            f"{where}.kind",
            f"应为 {'、'.join(KINDS)} 之一，收到 {kind!r}",
            f"must be one of {', '.join(KINDS)}, got {kind!r}",
        )
    extra = sorted(set(item) - _COMMON - _ALLOWED[kind])
    if extra:
        allowed = ", ".join(sorted(_COMMON | _ALLOWED[kind]))
        raise _bad(
            source,
            f"{where}.{extra[0]}",
            f"{where}.{extra[0]}",
            f"不适用于 {kind}（允许 {allowed}）",
            f"does not apply to {kind} (allowed: {allowed})",
        )
    values: dict[str, Any] = {"kind": kind}
    for key, low, high in (("factor", 0.0, 10.0), ("rate", 0.0, 2.0), ("delta", -0.5, 0.5)):
        if key in item:
            values[key] = _number(item[key], f"{where}.{key}", source, low, high)
    needed = {"births": "factor", "intake": "factor", "migration": "delta"}.get(kind)
    if needed and needed not in values:
        raise _bad(source, f"{where}.{needed}", f"{where}.{needed}", f"{kind} 变化必须给出", f"is required for {kind}")
    if kind == "transition" and ("rate" in values) == ("factor" in values):
        raise _bad(
            source,
            f"{where}.rate",
            f"{where}.rate",
            "transition 须给出 rate 或 factor 之一",
            "transition needs exactly one of rate or factor",
        )
    if "stage" in item or kind == "transition":
        values["stage"] = _stage(item.get("stage"), kind, f"{where}.stage", source)
    for key in ("from_year", "to_year"):
        if item.get(key) is not None:
            values[key] = _year(item[key], f"{where}.{key}", source)
    if values.get("from_year") and values.get("to_year") and values["from_year"] > values["to_year"]:
        raise _bad(source, f"{where}.to_year", f"{where}.to_year", "早于 from_year", "is before from_year")
    if "districts" in item:
        districts = item["districts"]
        if not isinstance(districts, list) or not all(isinstance(d, str | int) for d in districts) or not districts:
            raise _bad(
                source,
                f"{where}.districts",
                f"{where}.districts",
                "应为区划代码列表",
                "must be a list of district codes",
            )
        values["districts"] = tuple(str(d) for d in districts)
    return ScenarioChange(**values)


def _number(value: Any, where: str, source: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= float(value) <= high:
        raise _bad(
            source,
            where,
            where,
            f"应为 {low} 到 {high} 之间的数，收到 {value!r}",
            f"must be a number from {low} to {high}, got {value!r}",
        )
    if where.endswith("factor") and float(value) <= 0:
        raise _bad(source, where, where, "须大于 0", "must be greater than 0")
    return float(value)


def _year(value: Any, where: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        raise _bad(
            source,
            where,
            where,
            f"应为 1990–2100 的年份，收到 {value!r}",
            f"must be a year from 1990 to 2100, got {value!r}",
        )
    return value


def _stage(value: Any, kind: str, where: str, source: str) -> Stage:
    try:
        stage = stage_of(str(value))
    except ValueError:
        stage = None
    if stage is None or (kind == "transition" and stage == "primary"):
        allowed = "junior, senior" if kind == "transition" else "primary, junior, senior"
        raise _bad(
            source, where, where, f"应为 {allowed} 之一，收到 {value!r}", f"must be one of {allowed}, got {value!r}"
        )
    return stage


def _bad(source: str, field_zh: str, field_en: str, zh: str, en: str) -> ScenarioError:
    return ScenarioError(
        f"情景文件 {source} 的字段 {field_zh} {zh}",
        f"scenario file {source}: field {field_en} {en}",
        file=source,
        field=field_en,
    )
