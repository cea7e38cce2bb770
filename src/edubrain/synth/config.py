"""Parameters of a synthetic city: what the command line sets and the rates the model uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

REFERENCE_YEAR = 2025
"""The school year whose scale-1.0 totals are calibrated (2025 = 2025-2026)."""

TARGET_STUDENTS = 1_600_000
"""Students in grades 1-12 in the reference year at scale 1.0 (the issue's "about 1.6 million")."""

TARGET_SCHOOLS = 1_800
"""Primary and secondary schools at scale 1.0."""

TARGET_TEACHERS = 170_000
"""Teachers (principals included) at scale 1.0."""


@dataclass(frozen=True)
class Rates:
    """Yearly rates of the cohort model (fractions of the students concerned).

    Attributes:
        primary_to_junior: Grade-6 pupils who start grade 7 in the city the next year
            (2021-22: 120,431 junior entrants / 134,051 primary graduates = 0.90).
        junior_to_senior: Grade-9 pupils who start a general senior high school
            (62,263 senior entrants / 87,856 junior graduates = 0.71; the rest go to
            vocational schools, outside these datasets, or leave the city).
        repeat: Students who repeat their grade (留级); rare in compulsory education.
        transfer: Students who move to another school of the same district between two years.
        move_out: Students who leave the city (转出, no receiving school in the city).
        move_in: Students who arrive from outside the city (转入), as a fraction of enrolment.
        suspend: Students who suspend their studies (休学) and resume (复学) within the year.
    """

    primary_to_junior: float = 0.90
    junior_to_senior: float = 0.71
    repeat: float = 0.002
    transfer: float = 0.012
    move_out: float = 0.008
    move_in: float = 0.008
    suspend: float = 0.001


@dataclass(frozen=True)
class FormatMix:
    """How school files are written: shares of schools per format (the rest UTF-8 CSV).

    Attributes:
        gbk_csv: Schools whose files are GBK CSV with Chinese headers (an Excel "save as CSV").
        utf8_chinese: Schools whose files are UTF-8 CSV with a byte-order mark and Chinese headers;
            the rest send UTF-8 CSV with the catalog's field names (a system export).
        xlsx: Schools that fill in the catalog's Excel templates.
        xlsx_datasets: Datasets an XLSX school sends as XLSX; its larger exports
            (exam scores and fitness tests come from other systems) stay CSV.
    """

    gbk_csv: float = 0.30
    utf8_chinese: float = 0.25
    xlsx: float = 0.05
    xlsx_datasets: tuple[str, ...] = (
        "classes",
        "teachers",
        "teacher_assignments",
        "training_records",
        "school_infrastructure",
        "student_status_changes",
        "student_awards",
        "teacher_portfolio",
    )


@dataclass(frozen=True)
class SynthConfig:
    """Everything that determines a generated city; the same config gives the same bytes.

    Attributes:
        scale: 1.0 is the whole city; 0.01 a city with 1% of the schools and students.
        seed: Seed of every random draw.
        years: School years of history, ending with ``end_year``.
        end_year: The last school year (2025 = 2025-2026).
        out: Output folder.
        dirty: Share of school files into which one realistic mistake is injected (0 = clean).
        rates: Yearly rates of the cohort model.
        formats: File format mix.
        districts: Generate only these districts (GB/T 2260 codes); None for all 16. For quick
            tests and demos; shares and sizes stay those of the whole city.
    """

    scale: float = 0.01
    seed: int = 20250901
    years: int = 5
    end_year: int = REFERENCE_YEAR
    out: Path = Path("synth-city")
    dirty: float = 0.0
    duplicates: float = 0.0  # planted duplicate student records with known truth (synth/duplicates.py)
    rates: Rates = field(default_factory=Rates)
    formats: FormatMix = field(default_factory=FormatMix)
    districts: tuple[str, ...] | None = None

    @property
    def start_year(self) -> int:
        """The first school year of history."""
        return self.end_year - self.years + 1

    @property
    def school_years(self) -> list[int]:
        """The school years generated, oldest first."""
        return list(range(self.start_year, self.end_year + 1))

    def check(self) -> None:
        """Raise ValueError when a parameter is out of range."""
        if not 0 < self.scale <= 2:
            raise ValueError(f"scale must be in (0, 2], got {self.scale}")
        if not 1 <= self.years <= 12:
            raise ValueError(f"years must be 1-12, got {self.years}")
        if not 2012 <= self.end_year <= 2035:
            raise ValueError(f"end_year must be 2012-2035, got {self.end_year}")
        if not 0 <= self.dirty <= 1:
            raise ValueError(f"dirty must be in [0, 1], got {self.dirty}")
        if not 0 <= self.duplicates <= 0.5:
            raise ValueError(f"duplicates must be in [0, 0.5], got {self.duplicates}")
