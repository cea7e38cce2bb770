"""Small-cell suppression of aggregate datasets: no count of 1 … k-1 pupils shown outside the reader's own scope.

An aggregate dataset (``aggregate:`` in its catalog declaration, e.g.
``fitness_indicators``) holds no row of a person, but a cell of two pupils
with a pass rate of 0.5 tells who failed. For a reader whose row scope does
not cover a cell's organisation (the public, a district reading another
district's school, a school reading its district), a cell is **suppressed**
when any of its ``count_fields`` is 1 … k-1 (k = ``EDUBRAIN_SMALL_CELL_MIN``,
default 10): every field but the ``dimensions`` is withheld (null) and the
column :data:`SUPPRESSED` says why:

- ``small_cell``: the cell itself is small (primary suppression);
- ``complementary``: the cell is hidden so that a total less the visible
  cells does not reveal a small one (secondary suppression): in every
  declared group of cells that add up (sexes of one cell with their ``*``
  total, grades with theirs, an organisation's children with the
  organisation's own row) where exactly one cell is hidden, the smallest
  other cell the reader does not cover is hidden too, repeated until no
  group has a single hidden cell. A reader's own cells are never chosen
  (it knows them), so a school reading its district hides the district row;
- ``previous_period``: the year-on-year ``change_fields`` of a cell are
  withheld when the same cell of the previous period is hidden
  (this year's value less the change would reveal it).

The reader's own cells (its scope covers the organisation) are always shown.
The flags are computed over the whole table (a page alone does not hold a
group) once per table version, reader scope and k, and joined to each page.
"""

from __future__ import annotations

import polars as pl

from edubrain.catalog.models import AggregateSpec, Dataset
from edubrain.governance.duck import connection
from edubrain.governance.identity import Principal
from edubrain.governance.policy import role
from edubrain.governance.scope import Lookup, Scope
from edubrain.home import Home

SUPPRESSED = "suppressed"
"""Column added to an aggregate dataset's rows: null, or why the row's values are withheld."""
SMALL, COMPLEMENT, PREVIOUS = "small_cell", "complementary", "previous_period"
MAX_ROUNDS = 50
"""Rounds of complementary suppression at most (each hides at least one more cell; real tables settle in a few)."""
_I, _G, _COV, _SIZE, _HID = "__i", "__g", "__covered", "__size", "__hidden"


def covered(principal: Principal, org_field: str, schools_of: Lookup) -> pl.Expr:
    """True for the rows whose organisation (``org_field``) lies inside one of the principal's grants.

    Organisation codes: the city ``110000``, a district's division code, a
    school's 10-digit code, a class as ``school:class``. A city grant covers
    all; a district its own row and its schools' (and their classes'); a
    school its own and its classes'; a teacher its classes; others nothing.
    """
    org = pl.col(org_field).cast(pl.String)
    school = org.str.split(":").list.first()
    parts: list[pl.Expr] = []
    for grant in principal.grants:
        scope, level = role(grant.role).scope, grant.org_level
        if scope == "city" or (scope == "organisation" and level == "city"):
            return pl.lit(True)
        if scope == "district" or (scope == "organisation" and level == "district"):
            parts.append((org == grant.org_code) | school.is_in(schools_of(grant.org_code)))
        elif scope == "school" or (scope == "organisation" and level == "school"):
            parts.append(school == grant.org_code)
        elif scope == "class":
            parts.append(org.is_in([f"{grant.org_code}:{ref}" for ref in grant.refs]))
    return pl.any_horizontal(parts).fill_null(False) if parts else pl.lit(False)


def sees_everything(principal: Principal) -> bool:
    """Whether a grant covers every organisation (city scope): nothing is suppressed for it."""
    return any(
        role(g.role).scope == "city" or (role(g.role).scope == "organisation" and g.org_level == "city")
        for g in principal.grants
    )


def null_small(column: str, k: int) -> pl.Expr:
    """``column`` with counts of 1 … k-1 replaced by null (0 and k and above kept)."""
    small = (pl.col(column) > 0) & (pl.col(column) < k)
    return pl.when(small).then(None).otherwise(pl.col(column)).alias(column)


def suppression_flags(
    dataset: Dataset, principal: Principal, table: pl.DataFrame, schools_of: Lookup, k: int
) -> pl.DataFrame:
    """The primary key and :data:`SUPPRESSED` of every row of ``table`` hidden from ``principal`` (others absent)."""
    spec = dataset.aggregate
    keys = list(dataset.primary_key)
    empty = pl.DataFrame(schema={**{c: table.schema[c] for c in keys}, SUPPRESSED: pl.String})
    if spec is None or k <= 1 or sees_everything(principal) or table.is_empty():
        return empty
    small = pl.any_horizontal([(pl.col(c) >= 1) & (pl.col(c) < k) for c in spec.count_fields]).fill_null(False)
    t = table.with_row_index(_I).with_columns(
        covered(principal, dataset.org_field, schools_of).alias(_COV),
        pl.col(spec.count_fields[0]).fill_null(0).alias(_SIZE),
    )
    t = t.with_columns((small & ~pl.col(_COV)).alias(_HID))
    hidden = set(t.filter(pl.col(_HID)).get_column(_I).to_list())
    flags = dict.fromkeys(hidden, SMALL)
    members = _memberships(spec, t)
    for _ in range(MAX_ROUNDS):
        more = _complements(members, t.select(_I, _COV, _SIZE), hidden)
        if not more:
            break
        hidden |= more
        flags.update(dict.fromkeys(more, COMPLEMENT))
    flagged = pl.DataFrame(
        {_I: list(flags), SUPPRESSED: list(flags.values())}, schema={_I: pl.UInt32, SUPPRESSED: pl.String}
    )
    out = t.join(flagged, on=_I, how="left")
    out = _previous_period(spec, keys, out)
    return out.filter(pl.col(SUPPRESSED).is_not_null()).select(*keys, SUPPRESSED)


def _memberships(spec: AggregateSpec, t: pl.DataFrame) -> pl.DataFrame:
    """(row, group) pairs: a row belongs to a group by its ``by`` fields, and to a group it totals by ``total``."""
    parts = []
    for n, group in enumerate(spec.groups):
        for fields in (group.by, group.total):
            if not fields:
                continue
            key = pl.concat_str([pl.lit(str(n)), *[pl.col(f).cast(pl.String) for f in fields]], separator="\x1f")
            present = pl.all_horizontal([pl.col(f).is_not_null() for f in fields])
            parts.append(t.filter(present).select(_I, key.alias(_G)))
    if not parts:
        return pl.DataFrame(schema={_I: pl.UInt32, _G: pl.String})
    return pl.concat(parts).unique()


def _complements(members: pl.DataFrame, state: pl.DataFrame, hidden: set[int]) -> set[int]:
    """Rows to hide next: per group with exactly one hidden cell, its smallest visible cell the reader does not own."""
    if members.is_empty() or not hidden:
        return set()
    m = members.join(state, on=_I).with_columns(pl.col(_I).is_in(list(hidden)).alias(_HID))
    single = m.group_by(_G).agg(pl.col(_HID).sum().alias("n")).filter(pl.col("n") == 1).select(_G)
    picked = (
        m.join(single, on=_G)
        .filter(~pl.col(_HID) & ~pl.col(_COV) & (pl.col(_SIZE) > 0))
        .sort(_SIZE, _I)
        .group_by(_G, maintain_order=True)
        .first()
    )
    return set(picked.get_column(_I).to_list()) - hidden


def _previous_period(spec: AggregateSpec, keys: list[str], out: pl.DataFrame) -> pl.DataFrame:
    """Flag ``previous_period`` on visible rows whose previous period's cell is hidden (their changes reveal it)."""
    period = spec.period_field
    if period is None or not spec.change_fields or period not in keys:
        return out
    others = [c for c in keys if c != period]
    before = (
        out.filter(pl.col(SUPPRESSED).is_not_null())
        .select(*others, (pl.col(period) + 1).cast(out.schema[period]).alias(period))
        .with_columns(pl.lit(True).alias("__before"))
    )
    joined = out.join(before, on=keys, how="left", nulls_equal=True)
    previous = pl.col("__before").fill_null(False) & pl.col(SUPPRESSED).is_null()
    return joined.with_columns(pl.when(previous).then(pl.lit(PREVIOUS)).otherwise(pl.col(SUPPRESSED)).alias(SUPPRESSED))


def withhold(dataset: Dataset, page: pl.DataFrame, flags: pl.DataFrame) -> pl.DataFrame:
    """``page`` with :data:`SUPPRESSED` joined on the primary key and the flagged rows' values set to null."""
    spec = dataset.aggregate
    assert spec is not None
    keys = list(dataset.primary_key)
    if not set(keys) <= set(page.columns):
        return page.with_columns(pl.lit(None, pl.String).alias(SUPPRESSED))
    flags = flags.with_columns(*[pl.col(c).cast(page.schema[c]) for c in keys])
    out = page.with_row_index(_I).join(flags, on=keys, how="left", nulls_equal=True).sort(_I).drop(_I)
    flag = pl.col(SUPPRESSED)
    whole = flag.is_in([SMALL, COMPLEMENT])
    values = [c for c in page.columns if c in dataset.field_names and c not in spec.dimensions]
    return out.with_columns(
        pl.when(whole | (flag.is_not_null() & pl.lit(c in spec.change_fields))).then(None).otherwise(pl.col(c)).alias(c)
        for c in values
    )


def suppress_cells(
    dataset: Dataset, principal: Principal, table: pl.DataFrame, schools_of: Lookup, k: int
) -> pl.DataFrame:
    """``table`` (a whole aggregate table, or every row of its groups) with small cells suppressed for ``principal``.

    Example:
        >>> out = suppress_cells(dataset, public, indicators, lambda _: [], k=10)  # doctest: +SKIP
        >>> out.filter(pl.col("suppressed") == "small_cell")["pass_rate"].null_count() == out.height  # doctest: +SKIP
    """
    if dataset.aggregate is None:
        return table
    return withhold(dataset, table, suppression_flags(dataset, principal, table, schools_of, k))


def suppress_page(
    home: Home, principal: Principal, dataset: Dataset, page: pl.DataFrame, version: int | None
) -> pl.DataFrame:
    """The page of rows ``read_dataset`` returns, with small cells of an aggregate dataset suppressed for the reader.

    A dataset without ``aggregate`` is returned as is. The flags are computed
    over the whole table version (kept per version, reader scope and k).
    """
    if dataset.aggregate is None:
        return page
    k = home.settings.small_cell_min
    if k <= 1 or sees_everything(principal):
        return page.with_columns(pl.lit(None, pl.String).alias(SUPPRESSED))
    from edubrain.store.snapshots import snapshots

    who = tuple(sorted((g.role, g.org_code, g.org_level, g.refs) for g in principal.grants))
    flags = snapshots(home.lake).memo(
        (dataset.id, "schools"),
        ("suppression", version, who, k),
        lambda: suppression_flags(
            dataset, principal, _whole(dataset, version, home), Scope.of(home, principal).schools_of, k
        ),
    )
    return withhold(dataset, page, flags)


def _whole(dataset: Dataset, version: int | None, home: Home) -> pl.DataFrame:
    """The rows of ``version`` of an aggregate dataset, only the columns suppression needs."""
    from edubrain.governance.readpath import register_view
    from edubrain.store.snapshots import snapshots

    spec = dataset.aggregate
    assert spec is not None
    snaps = snapshots(home.lake)
    snap = snaps.current(dataset.id) if version is None else snaps.at(dataset.id, version)
    needed = dict.fromkeys([*dataset.primary_key, dataset.org_field, *spec.dimensions, *spec.count_fields])
    con = connection()  # this thread's read connection (edubrain.governance.duck)
    register_view(con, "suppression_source", dataset, snap.files)
    columns = ", ".join(f'"{c}"' for c in needed)
    frame = pl.from_arrow(con.sql(f"select {columns} from suppression_source").to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame
