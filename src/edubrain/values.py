"""Pure value parsers shared by the exchange (validation) and analytics (fitness results): text in, numbers out.

Nothing here reads a file, the catalog or the lake: each function is one
vectorised Polars expression over a column of submitted text, so any layer
may import it.
"""

from __future__ import annotations

import polars as pl

MINSEC = r"^(\d{1,2})\s*(?:'|′|’|:|：|分)\s*(\d{1,2}(?:\.\d+)?)\s*(?:\"|″|”|''|′′|秒)?$"
"""A time as minutes and seconds: ``3'25"``, ``3′25″``, ``3’25”``, ``3:25``, ``3分25秒``."""
DOTTED = r"^(\d{1,2})\.(\d{1,2})$"
"""A time as minutes.seconds (``3.25``; ``3.5`` is 3′50″, Excel having dropped the trailing zero)."""


def minutes_seconds(text: pl.Expr) -> pl.Expr:
    """``3'25"``, ``3′25″``, ``3:25``, ``3分25秒`` or ``3.25`` (minutes.seconds) as seconds; null if not such a time.

    The minutes.seconds form is the one of the national fitness data template
    (《国家学生体质健康标准》数据上报模板).
    """
    minsec = text.str.extract(MINSEC, 1).cast(pl.Float64) * 60 + text.str.extract(MINSEC, 2).cast(pl.Float64)
    part = text.str.extract(DOTTED, 2)
    seconds = pl.when(part.str.len_chars() == 1).then(part + "0").otherwise(part)
    dotted = text.str.extract(DOTTED, 1).cast(pl.Float64) * 60 + seconds.cast(pl.Float64)
    return pl.coalesce(minsec, dotted)


def seconds_part(text: pl.Expr) -> pl.Expr:
    """The seconds of a time written as minutes and seconds (``25`` of ``3'25"``, ``50`` of ``3.5``); 0–99."""
    part = text.str.extract(DOTTED, 2)
    dotted = pl.when(part.str.len_chars() == 1).then(part + "0").otherwise(part).cast(pl.Float64)
    return pl.coalesce(text.str.extract(MINSEC, 2).cast(pl.Float64), dotted)
