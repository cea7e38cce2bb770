"""Building blocks shared by the profile transforms: identity merges, "the last row", caps, exam percentages.

Every function takes and returns Ibis expressions and names no engine, so
the transforms run unchanged on DuckDB and on Spark. A cap is written as a
comparison, never with ``least``/``greatest``: those skip a null on both
engines (``least(null, 100)`` is 100), which would invent a value where the
evidence is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ibis

if TYPE_CHECKING:
    from ibis.expr.types import NumericValue, Table, Value

LINK_COLUMNS = ("student_id", "canonical_id")
"""Columns of the link table (``edubrain.governance.identity_links.active_links``)."""


def canonical(table: Table, links: Table) -> Table:
    """``table`` with each ``student_id`` replaced by its canonical id; ``source_id`` keeps the submitted one.

    Args:
        table: A student-keyed table (a ``student_id`` column).
        links: The link table: ``student_id`` (merged away) -> ``canonical_id``; a student absent from it is
            its own canonical id.
    """
    lk = links.select(l_sid=links["student_id"], l_cid=links["canonical_id"]).distinct()
    joined = table.left_join(lk, table["student_id"] == lk["l_sid"])
    out = joined.mutate(source_id=joined["student_id"], student_id=joined["l_cid"].fill_null(joined["student_id"]))
    return out.drop("l_sid", "l_cid")


def attach(left: Table, right: Table, keys: Sequence[str], **names: str) -> Table:
    """``left`` with the non-key columns of ``right`` joined on the equal ``keys`` (a left join, one row each).

    ``right`` must have at most one row per key. ``names`` renames the joined columns (new name = old name).
    """
    r = right.rename({f"_k_{k}": k for k in keys})
    joined = left.left_join(r, [left[k] == r[f"_k_{k}"] for k in keys])
    extra = [c for c in right.columns if c not in keys]
    rename = {old: new for new, old in names.items()}
    return joined.select(*[joined[c] for c in left.columns], **{rename.get(c, c): joined[c] for c in extra})


def attach_all(left: Table, parts: Sequence[tuple[Table, Sequence[str]]]) -> Table:
    """``left`` with the non-key columns of every part, each left-joined on its equal keys, in one join chain.

    One flat chain of joins compiles to one SELECT with many LEFT JOINs, far quicker to compile (and plan)
    than a join nested in a select per part. Each part must have at most one row per key, and the non-key
    column names of all parts must differ from each other and from ``left``'s.
    """
    joined = left
    extra: list[str] = []
    for i, (right, keys) in enumerate(parts):
        r = right.rename({f"_k{i}_{k}": k for k in keys})
        joined = joined.left_join(r, [left[k] == r[f"_k{i}_{k}"] for k in keys])
        extra += [c for c in right.columns if c not in keys]
    return joined.select(*[joined[c] for c in left.columns], *[joined[c] for c in extra])


def merged_counts(links: Table) -> Table:
    """Per canonical id, how many student numbers were merged into it: ``student_id``, ``records_merged``."""
    return links.group_by(student_id=links["canonical_id"]).aggregate(
        records_merged=links["student_id"].nunique().cast("int64")
    )


def last_rows(table: Table, by: Sequence[str], order: Sequence[Value | str]) -> Table:
    """One row per ``by`` group: the greatest by ``order`` (the first key first; later keys break ties)."""
    keys = [ibis.desc(table[o]) if isinstance(o, str) else ibis.desc(o) for o in order]
    ranked = table.mutate(_rank=ibis.row_number().over(group_by=[table[b] for b in by], order_by=keys))
    return ranked.filter(ranked["_rank"] == 0).drop("_rank")


def cap(value: NumericValue, high: float, low: float | None = None) -> NumericValue:
    """``value`` held within ``[low, high]``; null stays null."""
    out: Any = ibis.ifelse(value > high, ibis.literal(high, "float64"), value.cast("float64"))
    if low is not None:
        out = ibis.ifelse(out < low, ibis.literal(low, "float64"), out)
    return out


def exam_pct(exams: Table) -> Table:
    """``exam_scores`` with ``pct`` = score / full_score × 100 (null when either is missing or full_score ≤ 0)."""
    full = exams["full_score"].cast("float64")
    return exams.mutate(pct=ibis.ifelse(full > 0, exams["score"].cast("float64") / full * 100.0, ibis.null("float64")))


def count_if(condition: Value) -> NumericValue:
    """Aggregate: how many rows meet ``condition`` (an int64, 0 when none)."""
    return ibis.ifelse(condition, 1, 0).sum().cast("int64")


def sum_if(condition: Value, value: NumericValue) -> NumericValue:
    """Aggregate: sum of ``value`` over the rows meeting ``condition`` (0.0 when none, null only with no rows)."""
    return ibis.ifelse(condition, value.cast("float64"), 0.0).sum()
