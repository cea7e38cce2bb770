"""Definitions of the indicators the dashboards show: name, formula, sources, version and owner, as data.

The definitions are declared once in ``analytics/data/indicators.yaml`` (as
DHIS2 declares its indicators: a name, a numerator and denominator in words,
the data they come from) and shown where the number is shown: on hover over
each indicator of the cockpit and the 体质健康 page, and on the page
``/indicators`` with the current lake version of every source dataset.
Pure: reads only the package's own data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator: what it is called, how it is computed, from what, in which version, and who owns it.

    Attributes:
        id: The column the pages show (``students``, ``excellent_good_rate`` …).
        page: The dashboard it belongs to, ``cockpit`` or ``fitness``.
        zh: Chinese name. en: English name.
        formula_zh: The formula in words (Chinese). formula_en: The same in English.
        sources: Catalog datasets it is computed from.
        other_zh: Sources that are not lake tables (Chinese), or "". other_en: The same in English.
        version: The definition's version, raised when the formula changes.
        owner_zh: Who answers for the indicator (Chinese). owner_en: The same in English.
    """

    id: str
    page: str
    zh: str
    en: str
    formula_zh: str
    formula_en: str
    sources: tuple[str, ...]
    other_zh: str
    other_en: str
    version: str
    owner_zh: str
    owner_en: str


@lru_cache(maxsize=1)
def indicator_definitions() -> dict[str, IndicatorDefinition]:
    """Every defined indicator by id, in the file's order (cached: the package data never changes at run time)."""
    text = resources.files("edubrain.analytics").joinpath("data", "indicators.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    owners = spec["owners"]
    out = {}
    for item in spec["indicators"]:
        owner = item.get("owner") or owners[item["page"]]
        out[item["id"]] = IndicatorDefinition(
            id=item["id"],
            page=item["page"],
            zh=item["zh"],
            en=item["en"],
            formula_zh=item["formula_zh"],
            formula_en=item["formula_en"],
            sources=tuple(item.get("sources") or ()),
            other_zh=item.get("other_zh", ""),
            other_en=item.get("other_en", ""),
            version=str(item["version"]),
            owner_zh=owner["zh"],
            owner_en=owner["en"],
        )
    return out
