"""Writing batches to a Delta table: appends, file-by-file rewrites and the log entry's put-if-absent."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from edubrain.errors import LakeError
from edubrain.store import delta_append


def _rows(keys: list[str], value: int) -> pa.Table:
    return pa.table({"k": keys, "v": [value] * len(keys)})


def _read(path: Path, version: int | None = None) -> dict[str, int]:
    table = pa.concat_tables([pq.read_table(f) for f in DeltaTable(str(path), version=version).file_uris()])
    return dict(zip(table.column("k").to_pylist(), table.column("v").to_pylist(), strict=True))


def test_delta_append_rewrite_replaces_rows_and_leaves_other_files_alone(tmp_path: Path) -> None:
    path = tmp_path / "t"
    assert delta_append.append(path, None, _rows(["a1", "a2"], 1), {"edubrain.batch_id": "A"}) == 0
    assert delta_append.append(path, 0, _rows(["b1", "b2"], 1), {"edubrain.batch_id": "B"}) == 1
    before = set(DeltaTable(str(path)).file_uris())
    version = delta_append.rewrite(path, _rows(["a1", "c1"], 2), pa.table({"k": ["a1", "a2", "c1"]}), {"x": "1"})
    after = set(DeltaTable(str(path)).file_uris())
    assert version == 2 and DeltaTable(str(path)).version() == 2
    assert _read(path) == {"a1": 2, "c1": 2, "b1": 1, "b2": 1}  # a2 retired, a1 replaced, c1 added
    assert len(before - after) == 1 and len(after - before) == 1  # only the file of batch A was rewritten
    assert _read(path, 1) == {"a1": 1, "a2": 1, "b1": 1, "b2": 1}  # time travel still sees the old rows
    assert DeltaTable(str(path)).history(1)[0]["x"] == "1"


def test_delta_append_refuses_a_version_that_is_already_committed(tmp_path: Path) -> None:
    path = tmp_path / "t"
    delta_append.append(path, None, _rows(["a"], 1), {})
    delta_append.append(path, 0, _rows(["b"], 1), {})
    with pytest.raises(LakeError):
        delta_append.append(path, 0, _rows(["c"], 1), {})  # a writer that did not see version 1
    assert delta_append.latest_version(path) == 1
    assert _read(path) == {"a": 1, "b": 1}
    assert not [p for p in (path / "_delta_log").iterdir() if p.name.endswith(".tmp")]


def test_delta_append_latest_version_of_a_missing_table_is_none(tmp_path: Path) -> None:
    assert delta_append.latest_version(tmp_path / "none") is None
