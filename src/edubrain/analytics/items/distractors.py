"""Distractor analysis of multiple-choice items: how often each option is chosen by the upper and lower groups.

A working distractor draws more of the lower group than of the upper group; one chosen more by the upper group
(or never chosen) needs review. Source: Haladyna, T. M. (2004) *Developing and Validating Multiple-Choice Test
Items*, 3rd ed., ch. 9; Ebel & Frisbie (1991), ch. 13 (upper/lower 27 % groups).
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numpy.typing import ArrayLike

from edubrain.analytics.items.classical import KELLEY_FRACTION
from edubrain.analytics.items.errors import ItemDataError
from edubrain.analytics.items.matrix import extreme_groups


def distractor_analysis(
    choices: ArrayLike, key: ArrayLike, items: list[str] | None = None, fraction: float = KELLEY_FRACTION
) -> pl.DataFrame:
    """Option choice rates per item for everyone, the upper group and the lower group, with review flags.

    Args:
        choices: Persons × items of chosen options (e.g. ``"A"``–``"D"``); an empty string or ``None`` = omitted.
        key: The correct option of each item.
        items: Item names; by default ``item_1 … item_k``.
        fraction: Upper/lower group fraction (Kelley's 27 %), groups formed on the number-correct score.

    Returns:
        One row per item × option: ``item, option, is_key, rate, rate_upper, rate_lower, discrimination``
        (upper − lower) and ``flag``: ``key_negative`` (key chosen more by the lower group),
        ``distractor_positive`` (distractor chosen more by the upper group), ``distractor_unused`` (chosen by
        nobody) or empty.
    """
    grid = np.asarray(choices, dtype=object)
    answer = np.asarray(key, dtype=object)
    if grid.ndim != 2 or answer.shape != (grid.shape[1],):
        raise ItemDataError(
            "选项矩阵应为 考生×题目，答案应每题一个。",
            "Choices must be persons × items and the key must hold one option per item.",
            choices_shape=list(grid.shape),
            key_length=int(answer.size),
        )
    text = np.where(grid == None, "", grid).astype(str)  # noqa: E711 - elementwise comparison with None
    correct = text == answer.astype(str)
    upper, lower = extreme_groups(correct.sum(axis=1).astype(np.float64), fraction)
    options = np.unique(np.concatenate([np.unique(text[text != ""]), answer.astype(str)]))
    chosen = text[:, :, None] == options[None, None, :]  # persons × items × options
    names = items if items is not None else [f"item_{i + 1}" for i in range(grid.shape[1])]
    rate = chosen.mean(axis=0)
    rate_upper = chosen[upper].mean(axis=0)
    rate_lower = chosen[lower].mean(axis=0)
    is_key = answer.astype(str)[:, None] == options[None, :]
    gap = rate_upper - rate_lower
    flag = np.where(
        is_key & (gap < 0),
        "key_negative",
        np.where(~is_key & (gap > 0), "distractor_positive", np.where(~is_key & (rate == 0), "distractor_unused", "")),
    )
    k, m = rate.shape
    return pl.DataFrame(
        {
            "item": np.repeat(np.asarray(names, dtype=object), m).astype(str),
            "option": np.tile(options, k),
            "is_key": is_key.ravel(),
            "rate": rate.ravel(),
            "rate_upper": rate_upper.ravel(),
            "rate_lower": rate_lower.ravel(),
            "discrimination": gap.ravel(),
            "flag": flag.ravel(),
        }
    )
