"""The equality filters of a governed read as SQL, and the data files that may hold the rows a read asks for.

:func:`filter_sql` writes a read's filters (``{field: value or values}``) as
SQL conditions; :func:`source_files` names the data files of a table version
that may hold a row inside one grant's scope that meets those filters, from the
files' Parquet statistics (:mod:`edubrain.store.file_stats`), so DuckDB opens
only those. Which rows are read is unchanged: the scope predicates and the
filters are still applied to every row of the files read; a file is left out
only when none of its rows can meet them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from edubrain.catalog.models import Dataset
from edubrain.store.file_stats import Condition, files_that_may_match
from edubrain.store.lake import arrow_type

IN_LIST_MAX = 64
"""Filter lists of at most this many values are written as ``in (?, …)`` (see :func:`filter_sql`)."""
_PREDICATE = re.compile(r"(\w+) (?:=|IN) (\((?:NULL|'(?:[^']|'')*'(?:, '(?:[^']|'')*')*)\)|'(?:[^']|'')*')")
_LITERAL = re.compile(r"'((?:[^']|'')*)'")


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _native(dataset: Dataset, name: str, values: list[Any]) -> list[Any] | None:
    """The filter values as the column compares them natively (no cast: Parquet statistics then apply), or None.

    A string column compares the values' text, an integer column their numbers when each is written as that
    number is (``2024``, not ``02024``: the cast compares text); any other column is compared as text after a cast.
    """
    dtype = arrow_type(dataset.field(name))
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return [str(v) for v in values]
    if pa.types.is_integer(dtype) and not any(isinstance(v, bool) for v in values):
        texts = [str(v) for v in values]
        if all(re.fullmatch(r"-?[1-9][0-9]*|0", t) for t in texts):
            return [int(t) for t in texts]
    return None


def filter_sql(dataset: Dataset, filters: dict[str, Any]) -> tuple[str, list[Any]]:
    """``and …`` conditions (parameters apart) for equality filters; a list or tuple value means any of.

    A value matches when its text equals the field's value as text. String and integer fields are compared
    natively (the same rows; DuckDB then skips row groups by their statistics); others as text after a cast.
    A list of at most :data:`IN_LIST_MAX` values is written ``in (?, ?, …)``, which DuckDB pushes into the
    Parquet scan (a subquery ``in (select unnest(?))`` becomes a join over every row: ≈ 35 % more CPU for a
    pupil's evidence); longer lists keep the subquery (one parameter). An empty list matches nothing.
    """
    parts: list[str] = []
    params: list[Any] = []
    for name, value in filters.items():  # names checked by the read path
        values = _values(value)
        if isinstance(value, (list, tuple)) and not value:
            parts.append("false")
            continue
        native = _native(dataset, name, values) if len(values) <= IN_LIST_MAX else None
        column = f'"{name}"' if native is not None else f'cast("{name}" as varchar)'
        shown = native if native is not None else [str(v) for v in values]
        if not isinstance(value, (list, tuple)):
            parts.append(f"{column} = ?")
            params.append(shown[0])
        elif len(values) <= IN_LIST_MAX:
            parts.append(f"{column} in ({', '.join('?' for _ in values)})")
            params.extend(shown)
        else:
            parts.append(f'cast("{name}" as varchar) in (select unnest(?))')
            params.append([str(v) for v in values])
    return ("".join(f" and {p}" for p in parts), params)


def predicate_condition(predicate: str) -> Condition | None | bool:
    """A scope predicate as a condition on one column (``col = 'v'``, ``col IN ('a', …)``).

    Returns True for ``TRUE`` (every row), False for ``FALSE`` (none), None for any other form (which may
    hold any row: no file is left out for it).
    """
    text = predicate.strip()
    if text == "TRUE":
        return True
    if text == "FALSE":
        return False
    found = _PREDICATE.fullmatch(text)
    if found is None:
        return None
    values = [v.replace("''", "'") for v in _LITERAL.findall(found.group(2))]
    return (found.group(1), values)


def source_files(
    dataset: Dataset, files: Sequence[str], predicates: Sequence[str], filters: dict[str, Any]
) -> list[str]:
    """The data files that may hold a row inside any grant's scope (``predicates``) meeting every filter."""
    wanted: list[Condition] = [(name, [str(v) for v in _values(value)]) for name, value in filters.items()]
    alternatives: list[list[Condition]] = []
    for predicate in predicates:
        condition = predicate_condition(predicate)
        if condition is False:
            continue
        alternatives.append(wanted if condition is True or condition is None else [*wanted, condition])
    return files_that_may_match(files, alternatives)
