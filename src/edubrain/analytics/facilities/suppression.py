"""Small-cell suppression of the usage and satisfaction indicators, for every reader.

A cell describing persons (``people``: active users, answer sheets) is a
**small cell** when it describes 1 … k-1 persons (k = ``EDUBRAIN_SMALL_CELL_MIN``,
default 10): its ``value``, ``numerator``, ``denominator`` and ``people`` are
withheld and ``suppressed`` says ``small_cell``. Unlike the suppression of
aggregate datasets for readers outside their scope (``governance.suppression``),
this one applies to every reader, the school itself included: satisfaction
answers are given on the understanding that nobody, the school included, sees a
few persons' scores.

A total less its visible parts must not reveal a hidden part, so in every group
of cells that add up — the roles of one cell with their ``*`` total, the
applications of one role with their ``*`` total, the schools of a district with
the district's row, the districts with the city's — where exactly one part is
hidden and the total is shown, the smallest other part is hidden too
(``complementary``); when no other part is left, the total is. This repeats
until no group has a single hidden part. Device and energy cells describe no
person (``people`` is empty) and are never suppressed.
"""

from __future__ import annotations

import polars as pl

SUPPRESSED = "suppressed"
SMALL, COMPLEMENT = "small_cell", "complementary"
WITHHELD = ("value", "numerator", "denominator", "people")
MAX_ROUNDS = 50
ALL = "*"
_I, _G, _TOTAL, _HID, _SIZE = "__i", "__g", "__total", "__hidden", "__size"


def _key(n: int, *fields: str) -> pl.Expr:
    return pl.concat_str([pl.lit(str(n)), *[pl.col(f).cast(pl.String).fill_null("") for f in fields]], separator="\x1f")


def _memberships(t: pl.DataFrame) -> pl.DataFrame:
    """(row, group, is total) for the three kinds of groups that add up."""
    people = t.filter(pl.col("people").is_not_null())
    cell = ("level", "org_code", "month", "indicator")
    parts = [
        people.select(_I, _key(1, *cell, "app_id").alias(_G), (pl.col("category") == ALL).alias(_TOTAL)),
        people.select(_I, _key(2, *cell, "category").alias(_G), (pl.col("app_id") == ALL).alias(_TOTAL)),
        people.filter(pl.col("parent_code").is_not_null()).select(
            _I,
            _key(3, "parent_code", "month", "indicator", "category", "app_id").alias(_G),
            pl.lit(False).alias(_TOTAL),
        ),
        people.filter(pl.col("level") != "school").select(
            _I, _key(3, "org_code", "month", "indicator", "category", "app_id").alias(_G), pl.lit(True).alias(_TOTAL)
        ),
    ]
    return pl.concat(parts)


def _next_hidden(members: pl.DataFrame, hidden: set[int]) -> set[int]:
    """Cells to hide next: in each group with one hidden part and a shown total, the smallest shown part (or the total)."""
    m = members.with_columns(pl.col(_I).is_in(list(hidden)).alias(_HID))
    groups = m.group_by(_G).agg(
        ((~pl.col(_TOTAL)) & pl.col(_HID)).sum().alias("hidden_parts"),
        (pl.col(_TOTAL) & ~pl.col(_HID)).any().alias("total_shown"),
        pl.col(_TOTAL).any().alias("has_total"),
    )
    leaking = groups.filter((pl.col("hidden_parts") == 1) & pl.col("total_shown")).select(_G)
    if leaking.is_empty():
        return set()
    candidates = m.join(leaking, on=_G).filter(~pl.col(_HID))
    parts = candidates.filter(~pl.col(_TOTAL)).sort(_SIZE, _I).group_by(_G, maintain_order=True).first()
    totals = candidates.filter(pl.col(_TOTAL)).join(parts.select(_G), on=_G, how="anti")
    return set(parts.get_column(_I).to_list()) | set(totals.get_column(_I).to_list())


def suppress_small_cells(rows: pl.DataFrame, k: int) -> pl.DataFrame:
    """``rows`` (the long indicator table) with ``suppressed`` added and small cells' values withheld.

    Args:
        rows: Columns ``level``, ``org_code``, ``parent_code``, ``month``, ``indicator``, ``category``,
            ``app_id``, ``value``, ``numerator``, ``denominator``, ``people`` (and any others, kept).
        k: The smallest number of persons a shown cell describes; 1 or less shows everything.

    Returns:
        The same rows in the same order, with ``suppressed`` null, ``small_cell`` or ``complementary``.

    Example:
        >>> out = suppress_small_cells(rows, 10)  # doctest: +SKIP
        >>> out.filter(pl.col("people").is_null() & pl.col("suppressed").is_not_null()).height  # doctest: +SKIP
    """
    t = rows.with_row_index(_I).with_columns(pl.col("people").fill_null(0).alias(_SIZE))
    small = pl.col("people").is_not_null() & (pl.col("people") >= 1) & (pl.col("people") < k)
    hidden = set(t.filter(small).get_column(_I).to_list()) if k > 1 else set()
    flags = dict.fromkeys(hidden, SMALL)
    members = _memberships(t).join(t.select(_I, _SIZE), on=_I) if hidden else pl.DataFrame()
    for _ in range(MAX_ROUNDS):
        more = _next_hidden(members, hidden) - hidden if hidden else set()
        if not more:
            break
        hidden |= more
        flags.update(dict.fromkeys(more, COMPLEMENT))
    flagged = pl.DataFrame(
        {_I: list(flags), SUPPRESSED: list(flags.values())}, schema={_I: pl.UInt32, SUPPRESSED: pl.String}
    )
    out = t.join(flagged, on=_I, how="left").sort(_I)
    withheld = pl.col(SUPPRESSED).is_not_null()
    return out.with_columns(
        *[pl.when(withheld).then(None).otherwise(pl.col(c)).alias(c) for c in WITHHELD if c in rows.columns]
    ).drop(_I, _SIZE)
