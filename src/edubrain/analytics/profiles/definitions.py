"""Definitions of the profile indicators (全息画像指标) and the parameters of the domain scores, as data.

Declared once in ``analytics/data/profile_indicators.yaml``: every value of the
derived datasets ``student_profiles``, ``teacher_profiles`` and
``school_profiles`` has an :class:`IndicatorDef` saying what it means, how it
is computed and which rows are its evidence, so the profile pages can show the
method beside the number and drill down to the rows. The scoring parameters of
the five domain scores (:class:`ScoreParameters`) live in the same file, read
by the transforms in :mod:`edubrain.analytics.profiles.students`.
Pure: reads only the package's own data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from edubrain.errors import CatalogError

Profile = Literal["student", "teacher", "school"]
PROFILES: tuple[str, ...] = ("student", "teacher", "school")
BatchEvidence = Literal["year", "timeliness"]
"""Evidence from the operational database's submission batches: the school's batches of the year (``year``), or
also, per dataset, the last committed batch by the year's end (``timeliness``)."""
BATCH_EVIDENCE: tuple[str, ...] = ("year", "timeliness")
FILE = "profile_indicators.yaml"


@dataclass(frozen=True)
class Via:
    """A join from the evidence rows to a second dataset (the classes a teacher taught -> their exam results).

    Attributes:
        dataset: The second dataset.
        fields: Columns present in both that join them (e.g. ``class_id``, ``subject``, ``school_year``).
    """

    dataset: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    """Which rows of which dataset a value is computed from.

    The evidence of a value for subject S and year Y is the rows of ``dataset`` (at the input version in the
    derived dataset's lineage) whose ``subject_field`` is S (for a student: every student number merged into
    S) and whose ``year_field`` is Y (no year filter when ``year_field`` is ``None``), restricted by ``where``.

    Attributes:
        dataset: Source dataset id.
        subject_field: Column of ``dataset`` holding the subject's id.
        year_field: Column holding the year (``school_year``, or ``year`` for training records), or ``None``.
        where: Fixed filters: column -> accepted values (one value or several).
        subject_column: The profile column whose value ``subject_field`` must equal, when it is not the profile's
            own key (a school's ``district_code`` for district forecasts); ``None`` for the key.
        via: A further join to a second dataset, or ``None``.
    """

    dataset: str
    subject_field: str
    year_field: str | None
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    subject_column: str | None = None
    via: Via | None = None

    @property
    def filters(self) -> dict[str, tuple[str, ...]]:
        """``where`` as a dict."""
        return dict(self.where)


@dataclass(frozen=True)
class IndicatorDef:
    """One profile indicator.

    Attributes:
        id: Unique id (the column for student indicators; ``teacher_…`` / ``school_…`` for the others).
        profile: ``student``, ``teacher`` or ``school``.
        domain: For students the ``quality_domain`` code (``1``–``5``), ``literacy`` or ``overall``; for
            teachers and schools a section id (``teaching``, ``training``, ``portfolio``, ``scale`` …).
        column: The column of the derived dataset holding the value.
        title_zh, title_en: Name. unit: Unit ("" when none).
        method_zh, method_en: How the value is computed, in words.
        evidence: The rows it is computed from, or ``None`` when they are not lake rows (submission batches).
        also: Further evidence of a composite value (a domain score).
        batch_evidence: For a value computed from the submission batches of the operational database (``evidence``
            is ``None``), which of their rows are its evidence (:data:`BatchEvidence`); else ``None``.
    """

    id: str
    profile: Profile
    domain: str
    column: str
    title_zh: str
    title_en: str
    unit: str
    method_zh: str
    method_en: str
    evidence: Evidence | None
    also: tuple[Evidence, ...] = ()
    batch_evidence: BatchEvidence | None = None

    @property
    def has_evidence(self) -> bool:
        """Whether the value links to evidence rows (lake rows, or submission batches)."""
        return self.evidence is not None or self.batch_evidence is not None

    @property
    def dataset_id(self) -> str:
        """The derived dataset holding the indicator."""
        return f"{self.profile}_profiles"


@dataclass(frozen=True)
class ScoreParameters:
    """Parameters of the domain scores (see ``docs/profile-indicators.md``)."""

    conduct_base: dict[str, float]
    commendation_points: float
    commendation_cap: float
    disciplinary_points: float
    volunteer_points_per_hour: float
    volunteer_cap: float
    arts_reference_hours: float
    practice_reference_hours: float
    hours_points: float
    award_points: float
    award_cap: float
    exam_pass_pct: float
    principal_training_hours: float
    teacher_training_hours: float


def _spec() -> dict[str, Any]:
    text = resources.files("edubrain.analytics").joinpath("data", FILE).read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    if not isinstance(spec, dict) or "indicators" not in spec or "parameters" not in spec:
        raise CatalogError(f"{FILE} 缺少 indicators 或 parameters", f"{FILE} lacks indicators or parameters")
    return spec


def _evidence(raw: Any, where: str) -> Evidence:
    if not isinstance(raw, dict) or not raw.get("dataset") or not raw.get("subject_field"):
        raise CatalogError(
            f"{FILE}：{where} 的 evidence 须含 dataset 与 subject_field",
            f"{FILE}: the evidence of {where} needs dataset and subject_field",
        )
    filters = []
    for field, value in (raw.get("where") or {}).items():
        values = value if isinstance(value, list) else [value]
        filters.append((str(field), tuple(str(v) for v in values)))
    via = raw.get("via")
    return Evidence(
        dataset=str(raw["dataset"]),
        subject_field=str(raw["subject_field"]),
        year_field=None if raw.get("year_field") is None else str(raw["year_field"]),
        where=tuple(filters),
        subject_column=raw.get("subject_column"),
        via=Via(str(via["dataset"]), tuple(str(c) for c in via["fields"])) if via else None,
    )


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[IndicatorDef, ...], ScoreParameters]:
    spec = _spec()
    out: list[IndicatorDef] = []
    seen: set[str] = set()
    for item in spec["indicators"]:
        ident = str(item.get("id", ""))
        if not ident or ident in seen:
            raise CatalogError(
                f"{FILE}：指标编号 {ident!r} 为空或重复", f"{FILE}: indicator id {ident!r} is empty or repeated"
            )
        seen.add(ident)
        if item.get("profile") not in PROFILES:
            raise CatalogError(
                f"{FILE}：指标 {ident} 的 profile 须为 student、teacher 或 school",
                f"{FILE}: the profile of indicator {ident} must be student, teacher or school",
            )
        batches = item.get("evidence_batches")
        if batches is not None and (batches not in BATCH_EVIDENCE or item.get("evidence") is not None):
            raise CatalogError(
                f"{FILE}：指标 {ident} 的 evidence_batches 须为 year 或 timeliness，且 evidence 须为 null",
                f"{FILE}: evidence_batches of indicator {ident} must be year or timeliness, with evidence null",
            )
        out.append(
            IndicatorDef(
                id=ident,
                profile=item["profile"],
                domain=str(item["domain"]),
                column=str(item["column"]),
                title_zh=str(item["title_zh"]),
                title_en=str(item["title_en"]),
                unit=str(item.get("unit") or ""),
                method_zh=str(item["method_zh"]).strip(),
                method_en=str(item["method_en"]).strip(),
                evidence=None if item.get("evidence") is None else _evidence(item["evidence"], ident),
                also=tuple(_evidence(e, ident) for e in item.get("also") or ()),
                batch_evidence=batches,
            )
        )
    raw = dict(spec["parameters"])
    base = {str(k): float(v) for k, v in raw.pop("conduct_base").items()}
    params = ScoreParameters(conduct_base=base, **{k: float(v) for k, v in raw.items()})
    return tuple(out), params


def load_indicators(profile: str | None = None) -> list[IndicatorDef]:
    """Every profile indicator in the file's order, or only those of ``profile`` (student / teacher / school)."""
    if profile is not None and profile not in PROFILES:
        raise CatalogError(
            f"未知的画像类别 {profile!r}（应为 student、teacher 或 school）",
            f"unknown profile {profile!r} (expected student, teacher or school)",
        )
    return [d for d in _load()[0] if profile is None or d.profile == profile]


def indicator(profile: str, column: str) -> IndicatorDef:
    """The indicator of ``profile`` held in ``column``."""
    for d in load_indicators(profile):
        if d.column == column:
            return d
    raise CatalogError(
        f"画像 {profile} 没有指标列 {column!r}", f"profile {profile} has no indicator column {column!r}", column=column
    )


def score_parameters() -> ScoreParameters:
    """The parameters of the domain scores."""
    return _load()[1]
