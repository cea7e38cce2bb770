"""Row scope: which rows of a dataset each grant of a principal may see, as SQL predicates.

Rules (the security page documents them as a table):

- datasets shared unconditionally (无条件共享) are visible to every grant;
- a city grant sees every row;
- a district grant sees the rows of its district's schools (datasets with a
  ``school_code``) or of its district (datasets keyed by ``district_code``);
- a school grant, and a node of a school, sees its school's rows;
- a teacher sees the rows of its classes (``class_id``), and for datasets
  about students without a class column, the rows of its classes' students;
- a student sees its own rows, a parent its children's (``student_id``);
- anything else is not visible (the predicate is false).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from edubrain.catalog.models import Dataset
from edubrain.governance.identity import Grant
from edubrain.governance.policy import role

Lookup = Callable[[str], list[str]]
"""Returns the stored values a predicate needs: schools of a district, students of classes."""


def _quoted(values: Sequence[str]) -> str:
    if not values:
        return "(NULL)"
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def grant_predicate(dataset: Dataset, grant: Grant, schools_of: Lookup, students_of: Lookup) -> str:
    """A SQL boolean expression over the dataset's columns: the rows ``grant`` may see."""
    names = set(dataset.field_names)
    if dataset.sharing == "unconditional":
        return "TRUE"
    scope = role(grant.role).scope
    level = grant.org_level
    if scope == "city" or (scope == "organisation" and level == "city"):
        return "TRUE"
    if scope == "district" or (scope == "organisation" and level == "district"):
        if "school_code" in names and dataset.id != "schools":
            return f"school_code IN {_quoted(schools_of(grant.org_code))}"
        if "district_code" in names:
            return f"district_code = '{grant.org_code}'"
        return "FALSE"
    if scope in ("school",) or (scope == "organisation" and level == "school"):
        return f"school_code = '{grant.org_code}'" if "school_code" in names else "FALSE"
    if scope == "class":
        if "class_id" in names and "student_id" not in names:
            return f"class_id IN {_quoted(list(grant.refs))}"
        if "student_id" in names:
            return f"student_id IN {_quoted(students_of(','.join(grant.refs)))}"
        return "FALSE"
    if scope in ("self", "children"):
        return f"student_id IN {_quoted(list(grant.refs))}" if "student_id" in names else "FALSE"
    return "FALSE"
