"""The 接诉即办 categories, their offices and response time limits, read from ``data/categories.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "categories.yaml"


@dataclass(frozen=True)
class Office:
    """An office (处室) of the education bureau that answers cases."""

    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class Category:
    """A case category: the office that answers it, its response limit in working days, corpus phrases."""

    id: str
    zh: str
    en: str
    office: str
    sla_working_days: int
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    """Categories, offices and the triage rule (cases below ``min_confidence`` go to ``triage_office``)."""

    categories: dict[str, Category]
    offices: dict[str, Office]
    triage_office: str
    min_confidence: float
    triage_working_days: int

    def sla_days(self, category: str | None) -> int:
        """The response limit of ``category`` in working days (the triage limit when unknown or None)."""
        found = self.categories.get(category or "")
        return found.sla_working_days if found else self.triage_working_days

    def office_of(self, category: str | None) -> str:
        """The office that answers ``category`` (the triage office when unknown or None)."""
        found = self.categories.get(category or "")
        return found.office if found else self.triage_office


@lru_cache(maxsize=1)
def load_taxonomy(path: Path = DATA) -> Taxonomy:
    """The packaged taxonomy (cached)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    offices = {k: Office(k, v["zh"], v["en"]) for k, v in raw["offices"].items()}
    categories = {
        k: Category(k, v["zh"], v["en"], v["office"], int(v["sla_working_days"]), tuple(v["phrases"]))
        for k, v in raw["categories"].items()
    }
    bad = [c.id for c in categories.values() if c.office not in offices]
    if bad or raw["triage"]["office"] not in offices:
        raise ValueError(f"categories with an unknown office in {path}: {bad}")
    triage = raw["triage"]
    return Taxonomy(
        categories, offices, triage["office"], float(triage["min_confidence"]), int(triage["sla_working_days"])
    )
