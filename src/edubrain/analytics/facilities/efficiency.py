"""The thresholds of the usage-efficiency indicators, declared as data (``analytics/data/usage_efficiency.yaml``).

The facility job passes them to :func:`~edubrain.analytics.facilities.indicators_expr`; the pages and the
documentation show the same numbers. A bad file fails with a bilingual message naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from edubrain.errors import CatalogError

FILE = "usage_efficiency.yaml"


@dataclass(frozen=True)
class UsageThresholds:
    """The thresholds of the usage-efficiency indicators.

    Attributes:
        low_use_below: A weekly active rate (0-1) under which an application's cell is flagged ``low_use``.
        min_active_users: Distinct users a school needs in a month for an application to be in use there.
    """

    low_use_below: float
    min_active_users: int


def parse_thresholds(text: str) -> UsageThresholds:
    """The thresholds of a ``usage_efficiency.yaml`` text.

    Raises:
        CatalogError: the text is not YAML, ``low_use.weekly_active_rate_below`` is missing or not in (0, 1), or
            ``in_use.min_active_users`` is missing or not a whole number of at least 1.
    """
    try:
        raw: Any = yaml.safe_load(text)
        below = raw["low_use"]["weekly_active_rate_below"]
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise CatalogError(
            f"{FILE}：缺少 low_use.weekly_active_rate_below（0 到 1 之间的比例）",
            f"{FILE}: low_use.weekly_active_rate_below (a share between 0 and 1) is missing",
        ) from exc
    if isinstance(below, bool) or not isinstance(below, int | float) or not 0 < below < 1:
        raise CatalogError(
            f"{FILE}：low_use.weekly_active_rate_below 为 {below!r}，须为 0 到 1 之间（不含端点）的比例",
            f"{FILE}: low_use.weekly_active_rate_below is {below!r}; it must be a share strictly between 0 and 1",
        )
    in_use = raw.get("in_use") if isinstance(raw, dict) else None
    users = in_use.get("min_active_users") if isinstance(in_use, dict) else None
    if isinstance(users, bool) or not isinstance(users, int) or users < 1:
        raise CatalogError(
            f"{FILE}：in_use.min_active_users 为 {users!r}，须为不小于 1 的整数（人数）",
            f"{FILE}: in_use.min_active_users is {users!r}; it must be a whole number of users, at least 1",
        )
    return UsageThresholds(float(below), users)


@cache
def load_thresholds() -> UsageThresholds:
    """The packaged thresholds (cached: package data never changes)."""
    text = resources.files("edubrain.analytics").joinpath("data", FILE).read_text(encoding="utf-8")
    return parse_thresholds(text)
