"""The unified social credit code (统一社会信用代码) of GB 32100-2015 and its check digit, vectorised.

An 18-character code: registration authority (1), entity type (1), the registering authority's GB/T 2260
division (6), the organisation's subject code (9, the GB 11714 organisation code) and one check character.
The character set is the digits and the capitals without I, O, S, V, Z (31 characters, values 0 … 30); the
weight of position i (1 … 17) is 3^(i-1) mod 31, and the check value is ``31 − (Σ value·weight mod 31)``, with 31
written as 0 (GB 32100-2015, 4.3 and Appendix; cross-checked against python-stdnum ``stdnum/cn/uscc.py`` and
Hutool ``CreditCodeUtil`` — see docs/graded-supervision.md).
"""

from __future__ import annotations

import polars as pl

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of a code, in the order of their values (GB 32100-2015)."""
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
"""Weights of positions 1 … 17: 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28."""
PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
"""The shape of a code: the division part is digits, the rest characters of :data:`ALPHABET`."""
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The check character of the first 17 characters of a code (one value; the vectorised form is :func:`uscc_valid`).

    Raises:
        ValueError: not 17 characters of the code's alphabet.

    Example:
        >>> check_character("91110000101623741")
        'K'
    """
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        raise ValueError(f"not 17 characters of the code alphabet: {first17!r}")
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_valid(codes: pl.Series) -> pl.Series:
    """Whether each code has the shape and check character of GB 32100-2015 (null stays null).

    Example:
        >>> uscc_valid(pl.Series(["91110000101623741K", "91110000101623741A"])).to_list()
        [True, False]
    """
    text = codes.cast(pl.String).str.to_uppercase()
    frame = pl.DataFrame({"c": text})
    values = [
        pl.col("c").str.slice(i, 1).replace_strict(_VALUE, default=0, return_dtype=pl.Int64) * w
        for i, w in enumerate(WEIGHTS)
    ]
    out = frame.select(
        pl.when(pl.col("c").is_null())
        .then(None)
        .otherwise(
            pl.col("c").str.contains(PATTERN)
            & (
                pl.col("c").str.slice(17, 1)
                == ((31 - pl.sum_horizontal(values) % 31) % 31).replace_strict(
                    dict(enumerate(ALPHABET)), return_dtype=pl.String
                )
            )
        )
        .alias(codes.name)
    )
    return out.to_series()
