"""Helpers for the fitness tests (no tests here): score plain dict rows, load the row-by-row reference."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pyarrow as pa

from edubrain.analytics.fitness.scoring import score_arrow
from edubrain.analytics.fitness.standard import load_standard

FIELDS: tuple[str, ...] = (
    "height_cm",
    "weight_kg",
    "vital_capacity_ml",
    "sprint_50m_s",
    "sit_and_reach_cm",
    "rope_skipping_count",
    "sit_ups_count",
    "shuttle_run_50x8_s",
    "standing_long_jump_cm",
    "pull_ups_count",
    "run_800m_s",
    "run_1000m_s",
)
ROOT = Path(__file__).resolve().parents[2]


def to_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows (missing keys are nulls) as the Arrow table the scorer takes."""
    columns: dict[str, pa.Array] = {
        "grade": pa.array([r.get("grade") for r in rows], pa.string()),
        "sex": pa.array([r.get("sex") for r in rows], pa.string()),
        "exempt": pa.array([r.get("exempt") for r in rows], pa.bool_()),
    }
    for name in FIELDS:
        columns[name] = pa.array([r.get(name) for r in rows], pa.float64())
    return pa.table(columns)


def score_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Score rows through the vectorised expression; one dict per row, in order."""
    return score_arrow(to_table(rows)).to_pylist()


def field_of(item_id: str) -> str:
    """The fitness_tests field an item is read from."""
    field = load_standard().item(item_id).field
    assert field is not None
    return field


def reference_module() -> ModuleType:
    """``benchmarks/fitness.py``: the row-by-row reference scorer lives there only."""
    name = "edubrain_benchmark_fitness"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "fitness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
