"""Pupils on the roll, counted per data file, school, school year and grade: the forecast's lake input.

Pure: an Ibis expression over the students table's history (every data file
ever live, with its ``_file`` name); the job joins the files' lifetimes to
pick each school's roster of each year. Runs unchanged on DuckDB and Spark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ibis.expr.types import Table

REGISTERED = ("01", "02", "05")
"""Student statuses counted as occupying a place: 在读, 休学 (returns), 复学 (JY/T 1001 XSDQZT)."""


def enrollment_per_file(students: Table) -> Table:
    """Registered pupils per ``_file``, ``school_code``, ``school_year`` and ``grade``, as ``students``."""
    registered = students.filter(students.status.isin(REGISTERED))
    return registered.group_by(["_file", "school_code", "school_year", "grade"]).aggregate(students=registered.count())
