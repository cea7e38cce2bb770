"""Small-cell suppression of the monitoring report's cells computed from pupils (年度信息化监测报告).

The report is handed beyond its reader (to 督导), so, as for the facility
indicators (:mod:`edubrain.analytics.facilities.suppression`), the rule applies
whoever prints it. An indicator counts pupils when a part of its formula is a
measure of a dataset whose rows are pupils (its primary key holds
``student_id``: today ``学生终端数/百名学生``, whose denominator is the pupils
registered). Such a cell computed from 1 … k-1 pupils (k =
``EDUBRAIN_SMALL_CELL_MIN``, default 10) is a **small cell**: its value is
withheld (``small_cell``). In a group of cells that add up — an area's own cell
(the total) with the cells of its districts or schools (the parts) — where
exactly one part is hidden and the total is shown, the smallest other part is
hidden too, or the total when no other part is left (``complementary``),
repeated until no group leaks. A year-on-year change is withheld when the
previous year's cell is hidden (``previous_period``). Cells of indicators that
count no pupil (schools, classes, equipment) are never suppressed. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from edubrain.analytics.monitoring.definitions import Indicator, Mean, Measure, Ratio, Share
from edubrain.catalog.registry import Catalog

SMALL, COMPLEMENT, PREVIOUS = "small_cell", "complementary", "previous_period"
REASONS = {
    SMALL: (
        "计算所涉学生少于 {k} 人，按小单元格规则不显示",
        "computed from fewer than {k} pupils: withheld (small cell)",
    ),
    COMPLEMENT: ("为防止由合计反推被隐藏的单元格而不显示", "withheld so that a total does not reveal a hidden cell"),
    PREVIOUS: (
        "上年数值按小单元格规则不显示，故不计算同比",
        "last year's value is withheld (small cell), so no change",
    ),
}
"""Why a cell is withheld, in Chinese and English (``{k}`` is the suppression minimum)."""
MAX_ROUNDS = 50


def _pupils(catalog: Catalog, dataset: str) -> bool:
    return "student_id" in catalog.dataset(dataset).primary_key


def pupil_part(item: Indicator, catalog: Catalog) -> str | None:
    """``numerator`` or ``denominator``: the part of ``item`` that counts pupils (None: it counts none)."""
    f = item.formula
    if isinstance(f, Ratio):
        parts: list[tuple[str, Measure]] = [("denominator", f.denominator), ("numerator", f.numerator)]
        return next((name for name, m in parts if _pupils(catalog, m.dataset)), None)
    if isinstance(f, Share) and f.weight is not None and _pupils(catalog, f.weight.dataset):
        return "denominator"
    if isinstance(f, Mean | Share) and _pupils(catalog, f.dataset):
        return "denominator"
    return None


@dataclass(frozen=True)
class Cell:
    """One cell to judge: its key, the group it adds up in, whether it is the group's total, and its pupils."""

    key: str
    group: str
    total: bool
    pupils: float | None


def hidden_cells(cells: Iterable[Cell], k: int) -> dict[str, str]:
    """The keys of the cells to withhold, with why (:data:`SMALL` or :data:`COMPLEMENT`).

    Args:
        cells: Every cell shown, with its pupils (None for a cell that counts no pupil: never hidden).
        k: The suppression minimum; 1 or less hides nothing.
    """
    cells = list(cells)
    if k <= 1:
        return {}
    hidden = {c.key: SMALL for c in cells if c.pupils is not None and 1 <= c.pupils < k}
    groups: dict[str, list[Cell]] = {}
    for c in cells:
        groups.setdefault(c.group, []).append(c)
    for _ in range(MAX_ROUNDS):
        more: set[str] = set()
        for members in groups.values():
            parts = [c for c in members if not c.total]
            totals = [c for c in members if c.total and c.key not in hidden]
            if sum(c.key in hidden for c in parts) != 1 or not totals:
                continue
            shown = sorted((c for c in parts if c.key not in hidden and c.pupils), key=lambda c: (c.pupils, c.key))
            more |= {shown[0].key} if shown else {c.key for c in totals}
        if not more:
            break
        hidden.update(dict.fromkeys(more, COMPLEMENT))
    return hidden


def reason(flag: str | None, k: int) -> tuple[str, str]:
    """Why a cell is withheld, (zh, en); empty strings for a cell shown."""
    if flag is None:
        return "", ""
    zh, en = REASONS[flag]
    return zh.format(k=k), en.format(k=k)
