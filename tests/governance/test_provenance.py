"""Provenance of profile evidence: where each batch landed, kept per Delta log state and never stale."""

from __future__ import annotations

from pathlib import Path

from edubrain.exchange.ingest import ingest_file
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.provenance import batch_provenance
from edubrain.governance.scope import Scope
from edubrain.home import Home
from tests.conftest import CLASS, SCHOOL, student_rows, write_csv


def _scope(home: Home, role: str, org: str, level: str) -> Scope:
    return Scope.of(home, Principal("prov", role, (Grant(role, org, level),)))


def _batches(home: Home) -> list[str]:
    table = home.lake.read(home.catalog.dataset("students"), columns=["_batch_id"])
    return sorted({str(b) for b in table.column("_batch_id").to_pylist()})


def _submit(home: Home, folder: Path, name: str, start: int) -> None:
    rows = student_rows(2, SCHOOL, CLASS, start)
    assert ingest_file(home, write_csv(folder / f"{name}.csv", rows), "students", SCHOOL).report.status == "committed"


def test_batch_provenance_sees_a_batch_committed_after_an_earlier_lookup(city: Home, tmp_path: Path) -> None:
    district = _scope(city, "district_admin", "110108", "district")
    _submit(city, tmp_path, "first", 0)
    (first,) = _batches(city)
    found = batch_provenance(city, district, "students", [first])
    assert found[first].org == SCHOOL and found[first].version == city.lake.version("students")
    _submit(city, tmp_path, "second", 10)  # a new log entry: what was kept for the old log state is not used
    second = next(b for b in _batches(city) if b != first)
    again = batch_provenance(city, district, "students", [first, second])
    assert again[first] == found[first]
    assert again[second].version == city.lake.version("students") > found[first].version
    assert batch_provenance(city, _scope(city, "district_admin", "110105", "district"), "students", [second]) == {}
