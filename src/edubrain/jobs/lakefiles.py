"""The data files of a lake table over its whole history: when each was added and when removed.

Delta data files are immutable, so a version's rows are exactly its live
files, and walking the log once gives every file's lifetime. A transform
that needs the past (pupils of earlier school years, in a current-state
table) reads every file that was ever live once, tagged with its name, and
joins the lifetimes to decide which version each row belongs to.
"""

from __future__ import annotations

import polars as pl
from deltalake import DeltaTable

from edubrain.errors import LakeError
from edubrain.store.lake import Lake


def file_lifetimes(lake: Lake, dataset_id: str, version: int | None = None) -> tuple[pl.DataFrame, int]:
    """Each data file that was ever part of the table up to ``version`` (default the newest).

    Returns:
        A frame with ``path`` (the file's URI), ``file`` (its name, unique within the table), ``added`` (the
        version that added it) and ``removed`` (the version that removed it, null while live at ``version``),
        and the version read.

    Raises:
        LakeError: the lake holds no such table.
    """
    newest = lake.version(dataset_id) if version is None else version
    if newest is None:
        raise LakeError(f"湖中没有数据集 {dataset_id}", f"the lake holds no {dataset_id}", dataset=dataset_id)
    table = DeltaTable(str(lake.table_path(dataset_id)), version=0)
    added: dict[str, int] = {}
    removed: dict[str, int] = {}
    live: set[str] = set()
    for current in range(newest + 1):
        if current:
            table.load_as_version(current)
        files = set(table.file_uris())
        for name in files - live:
            added[name] = current
        for name in live - files:
            removed[name] = current
        live = files
    frame = pl.DataFrame(
        {"path": list(added), "added": list(added.values()), "removed": [removed.get(f) for f in added]},
        schema={"path": pl.String, "added": pl.Int64, "removed": pl.Int64},
    ).with_columns(pl.col("path").str.extract(r"([^/]+)$", 1).alias("file"))
    return frame.select("path", "file", "added", "removed"), newest
