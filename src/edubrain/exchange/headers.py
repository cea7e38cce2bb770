"""Mapping the headers a submitter wrote to the catalog's field names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from edubrain.catalog.models import Dataset

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_IGNORED = re.compile(r"[\s_\-·・:*]+")


def normalise_header(text: str) -> str:
    """Fold a header for matching: NFKC (full-width to half-width), case, spaces, bracketed notes.

    Examples:
        >>> normalise_header(" 学籍号（必填）")
        '学籍号'
        >>> normalise_header("Student_ID")
        'studentid'
    """
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    stripped = _IGNORED.sub("", _BRACKETED.sub("", folded)) or folded
    return unicodedata.normalize("NFKC", stripped)


@dataclass
class HeaderMapping:
    """Which file column feeds which field, and what could not be mapped.

    Attributes:
        columns: field name -> (file column index, header as written).
        unmapped: headers (with their index) that match no field.
        duplicates: field name -> headers that all map to it (after the first).
        missing_required: required fields no header maps to.
    """

    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    unmapped: list[tuple[int, str]] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    missing_required: list[str] = field(default_factory=list)


def alias_index(dataset: Dataset) -> dict[str, str]:
    """Normalised header -> field name, from each field's name, titles and aliases."""
    index: dict[str, str] = {}
    for spec in dataset.fields:
        for label in (spec.name, spec.title_zh, spec.title_en, *spec.aliases):
            index.setdefault(normalise_header(label), spec.name)
    return index


def map_headers(headers: list[str], dataset: Dataset) -> HeaderMapping:
    """Map ``headers`` (as written, in file order) to ``dataset``'s fields."""
    index = alias_index(dataset)
    mapping = HeaderMapping()
    for position, header in enumerate(headers):
        name = index.get(normalise_header(header)) if header else None
        if name is None:
            mapping.unmapped.append((position, header))
        elif name in mapping.columns:
            mapping.duplicates.setdefault(name, []).append(header)
        else:
            mapping.columns[name] = (position, header)
    mapping.missing_required = [f.name for f in dataset.fields if f.required and f.name not in mapping.columns]
    return mapping
