"""The vectorised expression agrees with the row-by-row reference scorer (benchmarks/fitness.py) on random records."""

from __future__ import annotations

from edubrain.analytics.fitness.scoring import BONUS_ITEMS, score_arrow
from edubrain.analytics.fitness.standard import load_standard
from tests.analytics.test_fitness_helpers import reference_module


def test_fitness_vectorised_scores_agree_with_the_row_by_row_reference() -> None:
    bench = reference_module()
    records = bench.synthetic_records(30_000, seed=7)
    vectorised = score_arrow(records).to_pylist()
    reference = bench.reference_score(records.to_pylist(), load_standard())
    columns = ["status", "standard_score", "bonus", "total_score", "level", "bmi_band"]
    columns += [f"{i.id}_score" for i in load_standard().items]
    statuses = set()
    for i, (v, r) in enumerate(zip(vectorised, reference, strict=True)):
        statuses.add(v["status"])
        for column in columns:
            assert v[column] == r.get(column), (i, column, v[column], r.get(column), records.slice(i, 1).to_pylist())
        for item in BONUS_ITEMS:
            if r.get(f"{item}_bonus") is not None:
                assert v[f"{item}_bonus"] == r[f"{item}_bonus"], (i, item)
    assert statuses == {"complete", "incomplete", "exempt"}
