"""The tables of 国家学生体质健康标准（2014年修订）, read from the data files of this package.

Every number of the standard lives in ``data/``: one CSV per item in the
layout of the official 单项评分表 (one row per sex and score, one column per
grade), ``bmi.csv`` for the 体重指数 bands and ``standard.yaml`` for the
weights (单项指标与权重), the bonus tables (加分指标评分表), the levels and
the graduation rule. This module only reads them into plain structures;
:mod:`edubrain.analytics.fitness.scoring` turns them into expressions.

Thresholds are kept as scaled integers (value × 10^decimals) so that every
comparison with a recorded result is exact.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

Direction = Literal["higher", "lower"]
Rounding = Literal["down", "up", "half_up"]
SEXES: tuple[str, ...] = ("1", "2")
"""GB/T 2261.1 sex codes: 1 男, 2 女."""
GRADES: tuple[str, ...] = tuple("11 12 13 14 15 16 21 22 23 31 32 33 41 42 43 44".split())
"""Catalog grade codes the standard covers: primary 1-6, junior 1-3, senior 1-3, university 1-4."""
STAGE_OF_GRADE: dict[str, str] = {
    g: {"1": "primary", "2": "junior", "3": "senior", "4": "university"}[g[0]] for g in GRADES
}


@dataclass(frozen=True)
class Item:
    """A test item (测试项目) and how its results are recorded and compared."""

    id: str
    zh: str
    en: str
    unit: str
    field: str | None
    direction: Direction = "higher"
    decimals: int = 0
    rounding: Rounding = "down"

    @property
    def scale(self) -> int:
        """The factor that turns a recorded result into the integer it is compared as."""
        return int(10**self.decimals)


@dataclass(frozen=True)
class Level:
    """A 评定等级 of the 学年总分."""

    id: str
    zh: str
    en: str
    min: float | None


@dataclass(frozen=True)
class FitnessStandard:
    """All tables of the standard.

    Attributes:
        items: Scored items in table order (BMI first).
        thresholds: ``{(item, sex, grade): [(score, scaled threshold), ...]}`` best score first;
            blank cells of the official table are left out.
        bmi_bands: ``{(sex, grade): (normal_min, overweight_min, obese_min)}`` in tenths of kg/m².
        bmi_scores: Score of each band (``normal``, ``underweight``, ``overweight``, ``obese``).
        bmi_band_names: Chinese and English name of each band.
        weights: ``{(sex, grade): {item: percent}}``; the items a student of that sex and grade is tested on.
        bonus: ``{(item, sex, grade): [beyond for 1 point, beyond for 2 points, ...]}`` in the item's scaled unit.
        levels: Levels, best first.
        graduation: The graduation rule (shares, completion minimum).
        meta: Title, document number and URL of the standard.
    """

    items: tuple[Item, ...]
    thresholds: dict[tuple[str, str, str], list[tuple[int, int]]]
    bmi_bands: dict[tuple[str, str], tuple[int, int, int]]
    bmi_scores: dict[str, int]
    bmi_band_names: dict[str, tuple[str, str]]
    weights: dict[tuple[str, str], dict[str, int]]
    bonus: dict[tuple[str, str, str], list[int]]
    levels: tuple[Level, ...]
    graduation: dict[str, Any]
    meta: dict[str, str]

    def item(self, item_id: str) -> Item:
        """The item called ``item_id``."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """Items with a score table (every item but BMI)."""
        return tuple(i for i in self.items if i.id != "bmi")


def _data(name: str) -> str:
    return resources.files("edubrain.analytics.fitness").joinpath("data", name).read_text(encoding="utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _scaled(text: str, item: Item) -> int:
    return round(float(text) * item.scale)


def _thresholds(items: tuple[Item, ...], files: dict[str, str]) -> dict[tuple[str, str, str], list[tuple[int, int]]]:
    out: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for item in items:
        if item.id not in files:
            continue
        for row in _rows(_data(files[item.id])):
            for grade in GRADES:
                cell = (row.get(grade) or "").strip()
                if cell:
                    out.setdefault((item.id, row["sex"], grade), []).append((int(row["score"]), _scaled(cell, item)))
    for key, pairs in out.items():
        pairs.sort(key=lambda p: -p[0])
        out[key] = pairs
    return out


@lru_cache(maxsize=1)
def load_standard() -> FitnessStandard:
    """Read the standard's tables from the package data (cached; the files never change at run time)."""
    spec = yaml.safe_load(_data("standard.yaml"))
    items = tuple(
        Item(
            id=i["id"],
            zh=i["zh"],
            en=i["en"],
            unit=i["unit"],
            field=i.get("field"),
            direction=i.get("direction", "higher"),
            decimals=int(i.get("decimals", 0)),
            rounding=i.get("rounding", "down"),
        )
        for i in spec["items"]
    )
    files = {i["id"]: i["table"] for i in spec["items"] if i.get("table")}
    bands = {
        (r["sex"], r["grade"]): (
            round(float(r["normal_min"]) * 10),
            round(float(r["overweight_min"]) * 10),
            round(float(r["obese_min"]) * 10),
        )
        for r in _rows(_data("bmi.csv"))
    }
    weights: dict[tuple[str, str], dict[str, int]] = {}
    for group in spec["weight_groups"]:
        for grade in group["grades"]:
            for sex in SEXES:
                weights[(sex, grade)] = {
                    w["item"]: int(w["weight"]) for w in group["weights"] if w["sex"] in ("*", sex)
                }
    bonus: dict[tuple[str, str, str], list[int]] = {}
    by_id = {i.id: i for i in items}
    for entry in spec["bonus"]:
        item = by_id[entry["item"]]
        for grade in entry["grades"]:
            for sex in SEXES if entry["sex"] == "*" else (entry["sex"],):
                bonus[(item.id, sex, grade)] = [int(b) * item.scale for b in entry["beyond"]]
    return FitnessStandard(
        items=items,
        thresholds=_thresholds(items, files),
        bmi_bands=bands,
        bmi_scores={b["band"]: int(b["score"]) for b in spec["bmi_band_scores"]},
        bmi_band_names={b["band"]: (b["zh"], b["en"]) for b in spec["bmi_band_scores"]},
        weights=weights,
        bonus=bonus,
        levels=tuple(Level(lv["id"], lv["zh"], lv["en"], lv["min"]) for lv in spec["levels"]),
        graduation=dict(spec["graduation"]),
        meta={k: str(v) for k, v in spec["standard"].items()},
    )
