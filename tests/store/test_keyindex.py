"""The key index answers reference checks inside DuckDB: only the values it does not hold come back."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from edubrain.catalog import Catalog
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, home_with_schools


def test_keyindex_unmatched_returns_only_the_values_not_stored(tmp_path: Path, catalog: Catalog) -> None:
    home = home_with_schools(tmp_path, catalog)
    candidates = pl.DataFrame({"class_id": [CLASS, CLASS, "C-missing"], "school_code": [SCHOOL, OTHER_SCHOOL, SCHOOL]})
    with home.key_index() as index:
        missing = index.unmatched("classes", ["class_id", "school_code"], candidates)
        assert missing.sort("school_code").rows() == [("C-missing", SCHOOL), (CLASS, OTHER_SCHOOL)]
        assert missing.schema == candidates.schema
        assert index.unmatched("teachers", ["teacher_id"], pl.DataFrame({"teacher_id": ["T1"]})).rows() == [("T1",)]
        assert index.schools_of("110108") == sorted([SCHOOL, OTHER_SCHOOL])
        assert index.schools_of("110119") == []
    home.engine.dispose()
