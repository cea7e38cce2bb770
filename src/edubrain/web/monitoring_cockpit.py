"""What the monitoring cockpit's page draws (``monitoring_cockpit.html``, ``monitoring_cockpit.js``).

The facade (:mod:`edubrain.monitoring.cockpit`) gives scoped values; this
module turns them into the one JSON block the script reads: the map's regions
(GeoJSON names are the districts' Chinese names, shown in English through
``regions``), the target as the legend's break point, and a small trend per
indicator with its target line. Districts outside the reader's scope travel
without a value, so nothing hidden reaches the browser.
"""

from __future__ import annotations

from typing import Any

from edubrain.monitoring.cockpit import Cockpit, IndicatorTrend, SchoolCard
from edubrain.monitoring.models import IndicatorDetail, IndicatorInfo, IndicatorValue
from edubrain.web.messages import pick
from edubrain.web.render import Page


def _spark(page: Page, trend: IndicatorTrend) -> dict[str, Any]:
    info = trend.indicator
    return {
        "name": pick(page.lang, info.name_zh, info.name_en),
        "years": [f"{v.school_year}–{str(v.school_year + 1)[2:]}" for v in trend.values],
        "values": [v.value for v in trend.values],
        # a count's target is the city's: drawn only where the rows carry it
        "target": next((v.target for v in trend.values if v.target is not None), None) if info.counted else info.target,
        "percent": info.percent,
        "unit": pick(page.lang, info.unit_zh, info.unit_en),
    }


def _map(page: Page, cockpit: Cockpit) -> dict[str, Any]:
    info = cockpit.indicator
    return {
        "indicator": pick(page.lang, info.name_zh, info.name_en),
        "target": None if info.counted else info.target,  # districts' counts are context, not judged
        "direction": info.direction,
        "percent": info.percent,
        "unit": pick(page.lang, info.unit_zh, info.unit_en),
        "labels": {k: page.t(f"m4_{k}") for k in ("met", "not_met", "hidden", "no_value", "target")},
        "regions": {d.name_zh: d.name_en for d in cockpit.districts} if page.lang == "en" else {},
        "districts": [
            {
                "name": d.name_zh,
                "code": d.code if d.visible else None,
                "value": None if d.value is None else d.value.value,
                "met": None if d.value is None else d.value.met,
                "visible": d.visible,
            }
            for d in cockpit.districts
        ],
    }


def chart_data(page: Page, cockpit: Cockpit, card: SchoolCard | None) -> dict[str, Any]:
    """The JSON block of the cockpit: the map, the small trends of the reader's organisation and of the school."""
    sparks = {f"own-{t.indicator.id}": _spark(page, t) for t in cockpit.trends}
    if card is not None:
        sparks.update({f"school-{t.indicator.id}": _spark(page, t) for t in card.trends})
    return {
        "map": _map(page, cockpit) if cockpit.districts else None,
        "sparks": sparks,
        "target_label": page.t("m4_target"),
    }


def _rank(info: IndicatorInfo, v: IndicatorValue) -> tuple[int, float]:
    """Worst first: below target before met, then by value (lowest first when higher is better)."""
    if v.value is None:
        return (2, 0.0)
    sign = 1.0 if info.direction == "higher" else -1.0
    return (0 if v.met is False else 1, sign * v.value)


def schools_worst_first(detail: IndicatorDetail) -> list[IndicatorValue]:
    """A district's schools for the cockpit's table: those below target first, each group worst first."""
    return sorted(detail.children, key=lambda v: _rank(detail.indicator, v))
