"""Which data files of a table may hold rows with given column values, from their Parquet min/max statistics.

A governed read asks for equal values (a pupil's numbers, a school year, the
schools of a scope). The lake's tables are written a batch at a time, so a
table of five school years and 16 districts has some 80 data files, and DuckDB
opens each one to find that it holds no matching row (≈ 0.1 ms a file, ≈ 9 ms
for a pupil's evidence in ``exam_scores``). Here the minimum and maximum of
each string and integer column of each row group are read once per data file
and kept (a data file never changes: a Delta commit writes new files), so a
read can give DuckDB only the files with a row group that may hold a matching
row (:func:`files_that_may_match`).

Skipping is safe by construction: a file is dropped only when, for every
alternative asked, some column's values all lie outside the range of that
column in each of its row groups. A column that is neither a string nor an
integer, a row group without statistics, a column a file lacks, or an integer
column asked for a value that is not a plain integer, may hold anything.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.parquet as pq

Range = tuple[str, str] | tuple[int, int] | None
"""A row group's (min, max) of one column; None: unknown (may hold any value)."""
Condition = tuple[str, Sequence[str]]
"""A column and the values (as text, as SQL compares them) a matching row has one of."""

_KEPT_FILES = 20_000
"""Data files whose statistics are kept (least recently used dropped first)."""
_lock = threading.Lock()
_stats: OrderedDict[str, tuple[int, dict[str, tuple[str, list[Range]]]]] = OrderedDict()
"""Data file -> (row groups, column -> (kind ``str`` or ``int``, per row group range))."""


def _read_stats(path: str) -> tuple[int, dict[str, tuple[str, list[Range]]]]:
    """The row-group ranges of the string and integer columns of one data file."""
    meta = pq.read_metadata(path)
    schema = meta.schema.to_arrow_schema()
    kinds: dict[int, tuple[str, str]] = {}
    for i, name in enumerate(meta.schema.names):
        if i >= len(schema):
            break
        kind = _kind(schema.field(i).type)
        if kind is not None and meta.schema.column(i).path == name:
            kinds[i] = (name, kind)
    columns: dict[str, tuple[str, list[Range]]] = {name: (kind, []) for name, kind in kinds.values()}
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for i, (name, _) in kinds.items():
            stats = group.column(i).statistics
            found: Range = None
            if stats is not None and stats.has_min_max:
                found = (stats.min, stats.max)
            columns[name][1].append(found)
    return meta.num_row_groups, columns


def _kind(dtype: pa.DataType) -> str | None:
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return "str"
    if pa.types.is_integer(dtype):
        return "int"
    return None


def file_stats(path: str) -> tuple[int, dict[str, tuple[str, list[Range]]]]:
    """The row groups of a data file and the ranges of its string and integer columns (read once, kept)."""
    with _lock:
        found = _stats.get(path)
        if found is not None:
            _stats.move_to_end(path)
            return found
    found = _read_stats(path)
    with _lock:
        _stats[path] = found
        while len(_stats) > _KEPT_FILES:
            _stats.popitem(last=False)
    return found


def _wanted(kind: str, values: Sequence[str]) -> list[str] | list[int] | None:
    """The values as the column's kind compares them, sorted; None when they cannot be compared (no skipping)."""
    if kind == "str":
        return sorted(str(v) for v in values)
    ints: list[int] = []
    for v in values:
        text = str(v)
        try:
            number = int(text)
        except ValueError:
            return None
        if str(number) != text:
            return None
        ints.append(number)
    return sorted(ints)


def _group_may_hold(found: Range, wanted: list[str] | list[int]) -> bool:
    """Whether some wanted value lies within a row group's range."""
    if found is None:
        return True
    low, high = found
    try:
        at = bisect.bisect_left(wanted, low)  # type: ignore[arg-type]
        return at < len(wanted) and wanted[at] <= high  # type: ignore[operator]
    except TypeError:  # statistics of another type than the column's kind: unknown
        return True


def _file_may_match(path: str, alternatives: Sequence[Sequence[Condition]]) -> bool:
    groups, columns = file_stats(path)
    for conditions in alternatives:
        checks = []
        for column, values in conditions:
            if column not in columns:
                continue  # not a string or integer column of this file: may hold anything
            kind, ranges = columns[column]
            wanted = _wanted(kind, values)
            if wanted is not None:
                checks.append((ranges, wanted))
        if any(all(_group_may_hold(ranges[g], wanted) for ranges, wanted in checks) for g in range(groups)):
            return True
    return False


def files_that_may_match(files: Sequence[str], alternatives: Sequence[Sequence[Condition]]) -> list[str]:
    """The files with a row group that may hold a row matching any one of ``alternatives``, in their order.

    Args:
        files: Data files of one table version.
        alternatives: Each a list of conditions that a row must all meet (a column equal to one of its
            values); a row matching any one alternative is wanted. An empty alternative matches every row;
            no alternative matches none.
    """
    if any(not conditions for conditions in alternatives):
        return list(files)
    return [f for f in files if _file_may_match(f, alternatives)]
