"""Shares per school, district and city from counts of the ``training_coverage`` rows.

The counts come from the governance door (row scope applied, only counts leave the lake); this module only adds
them up per organisation and role and divides. Pure polars, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

CITY = "110000"
LEVELS: tuple[str, ...] = ("city", "district", "school")
ROLES: tuple[str, ...] = ("principal", "teacher", "all")
COUNT_BY: tuple[str, ...] = ("district_code", "school_code", "is_principal", "status", "trained_3y", "met_3y")
"""The fields the counts are grouped by (all countable: no person is named by them)."""
SHARE_COLUMNS: tuple[str, ...] = (
    "level",
    "org_code",
    "parent_code",
    "role",
    "people",
    "met",
    "missed",
    "at_risk",
    "on_track",
    "behind",
    "met_share",
    "behind_share",
    "window_observed",
    "covered",
    "trained",
    "covered_share",
    "trained_share",
)


def _keys(level: str) -> tuple[pl.Expr, pl.Expr]:
    """The organisation code and its parent's at ``level``."""
    if level == "city":
        return pl.lit(CITY).alias("org_code"), pl.lit(None, pl.String).alias("parent_code")
    if level == "district":
        return pl.col("district_code").alias("org_code"), pl.lit(CITY).alias("parent_code")
    return pl.col("school_code").alias("org_code"), pl.col("district_code").alias("parent_code")


def _share(part: str, whole: str) -> pl.Expr:
    return pl.when(pl.col(whole) > 0).then(pl.col(part) / pl.col(whole)).otherwise(None)


def org_shares(counts: pl.DataFrame, levels: Sequence[str] = LEVELS) -> pl.DataFrame:
    """Per organisation of each of ``levels`` and per role, the people counted and the shares of them.

    Args:
        counts: One row per group of :data:`COUNT_BY` with its count in ``rows`` (one year's rows).
        levels: Which of ``city``, ``district``, ``school`` to add up to (a reader sees the levels its scope covers:
            a district's counts do not make the city's).

    Returns:
        :data:`SHARE_COLUMNS`: ``met`` … ``on_track`` count each status, ``behind`` is ``missed + at_risk``;
        ``met_share`` and ``behind_share`` are over ``people``; ``covered`` (target met in a year of the three-year
        window) and ``trained`` (any training in it) are over ``window_observed``, the people whose window lies
        inside the data (null shares when there are none). Sorted by level, organisation and role.
    """
    role = pl.when(pl.col("is_principal").fill_null(False)).then(pl.lit("principal")).otherwise(pl.lit("teacher"))
    base = counts.with_columns(role.alias("role"), pl.col("rows").cast(pl.Int64))
    both = pl.concat([base, base.with_columns(pl.lit("all").alias("role"))])
    n = pl.col("rows")
    parts = []
    for level in levels:
        org, parent = _keys(level)
        summed = both.group_by(org, parent, "role").agg(
            n.sum().alias("people"),
            *[n.filter(pl.col("status") == s).sum().alias(s) for s in ("met", "missed", "at_risk", "on_track")],
            n.filter(pl.col("met_3y").is_not_null()).sum().alias("window_observed"),
            n.filter(pl.col("met_3y").fill_null(False)).sum().alias("covered"),
            n.filter(pl.col("trained_3y").fill_null(False)).sum().alias("trained"),
        )
        parts.append(summed.with_columns(pl.lit(level).alias("level")))
    if not parts:
        return pl.DataFrame(schema={c: pl.String for c in SHARE_COLUMNS})
    out = pl.concat(parts).with_columns((pl.col("missed") + pl.col("at_risk")).alias("behind"))
    out = out.with_columns(
        _share("met", "people").alias("met_share"),
        _share("behind", "people").alias("behind_share"),
        _share("covered", "window_observed").alias("covered_share"),
        _share("trained", "window_observed").alias("trained_share"),
    )
    order = {name: i for i, name in enumerate(LEVELS)}
    ranks = {name: i for i, name in enumerate(ROLES)}
    out = out.with_columns(
        pl.col("level").replace_strict(order, return_dtype=pl.Int64).alias("_l"),
        pl.col("role").replace_strict(ranks, return_dtype=pl.Int64).alias("_r"),
    )
    return out.sort("_l", "org_code", "_r").select(SHARE_COLUMNS)
