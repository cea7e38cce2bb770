"""The knowledge-point catalog: the packaged one is complete and valid; a bad one fails naming the entry."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from edubrain.analytics.kt.bkt import BKTParams
from edubrain.analytics.learning.catalog import KnowledgeCatalogError, load_catalog, validate


def _raw() -> dict[str, Any]:
    from importlib.resources import files

    return yaml.safe_load(files("edubrain.analytics").joinpath("data/knowledge_points.yaml").read_text("utf-8"))


def test_the_packaged_catalog_covers_the_four_domains_and_three_stages() -> None:
    catalog = load_catalog()
    assert 30 <= len(catalog.points) <= 50
    assert [d.zh for d in catalog.domains] == ["数与代数", "图形与几何", "统计与概率", "综合与实践"]
    assert {p.domain for p in catalog.points} == {"NA", "GG", "SP", "IP"}
    assert {p.stage for p in catalog.points} == {"1", "2", "3"}
    stage_grades = {s.id: set(s.grades) for s in catalog.stages}
    assert all(p.grade in stage_grades[p.stage] for p in catalog.points)  # each grade inside its stage
    assert all(p.resources and all(r.iri.startswith("https://") for r in p.resources) for p in catalog.points)
    depth = catalog.depth()
    assert all(depth[q] < depth[p.id] for p in catalog.points for q in p.prerequisites)


def test_parameters_are_the_defaults_with_a_points_overrides() -> None:
    catalog = load_catalog()
    params = catalog.params()
    assert params["na-add-sub-20"] == BKTParams(prior=0.2, learn=0.15, guess=0.2, slip=0.1)
    assert params["na-count-100"].prior == 0.4 and params["na-count-100"].slip == 0.1
    assert catalog.thresholds.mastered == 0.95 and catalog.thresholds.weak == 0.6


def _broken(change: Any) -> KnowledgeCatalogError:
    raw = copy.deepcopy(_raw())
    change(raw)
    with pytest.raises(KnowledgeCatalogError) as caught:
        validate(raw)
    error = caught.value
    assert error.zh.startswith("知识点目录无效") and error.en.startswith("Invalid knowledge-point catalog")
    return error


def _point(raw: dict[str, Any], pid: str) -> dict[str, Any]:
    return next(p for p in raw["points"] if p["id"] == pid)


def test_an_unknown_prerequisite_is_refused_naming_the_point() -> None:
    error = _broken(lambda raw: _point(raw, "na-mult-table")["prerequisites"].append("na-nonsense"))
    assert "na-mult-table" in error.zh and "na-nonsense" in error.en and error.details["entry"] == "na-mult-table"


def test_a_cycle_of_prerequisites_is_refused_showing_the_cycle() -> None:
    error = _broken(lambda raw: _point(raw, "na-count-100")["prerequisites"].append("na-add-sub-100"))
    assert "成环" in error.zh and "cycle" in error.en
    assert "na-count-100" in error.details["cycle"] and "na-add-sub-100" in error.details["cycle"]


@pytest.mark.parametrize(
    ("where", "name", "value"),
    [("point", "prior", 1.2), ("point", "learn", -0.1), ("point", "guess", 0.6), ("point", "slip", 0.5001),
     ("defaults", "slip", 0.7)],
)  # fmt: skip
def test_a_parameter_outside_its_range_is_refused_naming_the_entry(where: str, name: str, value: float) -> None:
    def change(raw: dict[str, Any]) -> None:
        if where == "point":
            _point(raw, "gg-angles")["bkt"] = {name: value}
        else:
            raw["bkt_defaults"][name] = value

    error = _broken(change)
    assert name in error.en and str(value) in error.zh
    assert ("gg-angles" if where == "point" else "bkt_defaults") in error.en


def test_thresholds_must_be_ordered_and_ids_unique_and_domains_declared() -> None:
    assert "weak" in _broken(lambda raw: raw["thresholds"].update(weak=0.97)).en
    assert "duplicate" in _broken(lambda raw: raw["points"].append(dict(raw["points"][0]))).en
    assert "sp-average" in _broken(lambda raw: _point(raw, "sp-average").update(domain="XX")).en
    assert "r-dice" in _broken(lambda raw: _point(raw, "sp-possibility")["resources"][0].update(kind="film")).en
