"""What a governed read hands out: fields masked or withheld by clearance, stable row keys, the audit of unmasked reads.

:func:`~edubrain.governance.readpath.read_dataset` reads the rows in scope,
each with the highest clearance of the grants covering it (column
:data:`CLEARANCE`); :func:`mask_page` masks or withholds every field above a
row's clearance, :func:`row_keys` names rows without their key fields, and
:func:`audit_unmasked` records a read that showed personal information unmasked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import polars as pl

from edubrain.catalog.models import Dataset
from edubrain.governance import policy
from edubrain.governance.identity import Principal
from edubrain.governance.masking import mask_column
from edubrain.governance.pseudonyms import pseudonym_key
from edubrain.home import Home

CLEARANCE = "__clearance"
PERSONAL_RANK = 3  # L3 and above is personal information
ROW_KEY = "_key"
"""Column of a stable, keyed pseudonym of a row's primary key (see :func:`row_keys`)."""


def level_rank(home: Home, level: str) -> int:
    """The rank of a classification level (L1 = 1 …)."""
    return home.catalog.levels[level].rank


def row_keys(home: Home, dataset: Dataset, frame: pl.DataFrame) -> pl.Series:
    """A stable keyed pseudonym of each row's primary key: ``K`` + 20 base32 characters of an HMAC-SHA256.

    The HMAC (under the platform's pseudonym key, see ``docs/privacy.md``) is
    over ``row|<dataset>|<key values joined by U+001F>``, a message no
    person pseudonym uses, so a row key links to nothing else. Without the
    key it cannot be recomputed from a guessed 学籍号.
    """
    secret = pseudonym_key(home.settings).secret.get_secret_value().encode("utf-8")
    prefix = f"row|{dataset.id}|"
    joined = frame.select(
        pl.concat_str([pl.col(k).cast(pl.String).fill_null("") for k in dataset.primary_key], separator="\x1f")
    ).to_series()
    keys = [
        "K" + base64.b32encode(hmac.new(secret, (prefix + v).encode("utf-8"), hashlib.sha256).digest()).decode()[:20]
        for v in joined.to_list()
    ]
    return pl.Series(ROW_KEY, keys, dtype=pl.String)


def mask_page(
    home: Home, dataset: Dataset, frame: pl.DataFrame, lowest: int
) -> tuple[pl.DataFrame, list[str], list[str], list[str]]:
    """Mask or withhold, row by row (vectorised), each field above that row's clearance."""
    masked, withheld, unmasked, exprs = [], [], [], []
    clearance = pl.col(CLEARANCE)
    widest = frame.get_column(CLEARANCE).max() if frame.height else None  # the widest clearance of any row
    top = int(widest) if isinstance(widest, (int, float)) else 0
    for spec in dataset.fields:
        rank = level_rank(home, spec.classification)
        col = pl.col(spec.name)
        if rank <= lowest:
            exprs.append(col)
        elif spec.pii is not None and lowest >= 2:
            exprs.append(
                pl.when(clearance >= rank)
                .then(col.cast(pl.String))
                .otherwise(mask_column(col, spec.pii))
                .alias(spec.name)
            )
            masked.append(spec.name)
        else:
            exprs.append(pl.when(clearance >= rank).then(col).otherwise(None).alias(spec.name))
            withheld.append(spec.name)
        if PERSONAL_RANK <= rank <= top:  # some row shows it unmasked
            unmasked.append(spec.name)
    lineage = [c for c in frame.columns if c.startswith("_") and c != CLEARANCE and not c.startswith("__")]
    out = frame.select(*exprs, *[pl.col(c) for c in lineage])
    if lowest <= 1:  # the public sees no column above L1 at all
        out = out.drop([s.name for s in dataset.fields if level_rank(home, s.classification) > 1] + lineage)
    return out, masked, withheld, unmasked


def audit_unmasked(
    home: Home, principal: Principal, dataset: Dataset, fields: list[str], rows: int, purpose: str | None
) -> None:
    """Record a ``read_unmasked`` event: who read which personal fields of how many rows, for what purpose.

    The purpose defaults to ``self_access`` for students and parents and ``routine_duty`` for others; the event
    is committed at once, or with the request's others inside an audit unit (:mod:`.audit_unit`).
    """
    from edubrain.governance.audit_unit import append_event

    minors = "student_id" in dataset.field_names
    grant = principal.grants[0]
    if purpose is None:
        own = all(policy.role(g.role).scope in ("self", "children") for g in principal.grants)
        purpose = "self_access" if own else "routine_duty"
    append_event(
        home.engine,
        actor=principal.id,
        actor_role=",".join(sorted({g.role for g in principal.grants})),
        org_code=grant.org_code,
        action="read_unmasked",
        dataset=dataset.id,
        fields=fields,
        row_count=rows,
        purpose=purpose,
        minors=minors,
    )
