"""The training targets (培训目标学时与三年覆盖), as data, with the plan sentence each one comes from.

Declared in ``analytics/data/training_targets.yaml``. The plan (《北京教育信息化“十四五”规划》, section
“提升师生信息素养，强化信息技术应用能力”) sets them for principals: “每人每年完成不少于32学时，三年实现全覆盖”.
It gives teachers no number of hours; the teachers' yearly hours are the teacher profile's parameter (72, the
yearly share of 360 hours in a five-year cycle), declared here too and kept equal to it by a test.
Pure: reads only the package's own data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FILE = "training_targets.yaml"


@dataclass(frozen=True)
class Source:
    """Where a target comes from: the document, its section and the sentence quoted."""

    document: str
    section: str
    quote: str


@dataclass(frozen=True)
class TrainingTargets:
    """The numbers the coverage and the forecast are judged against.

    Attributes:
        principal_hours: Yearly training hours a principal must complete (32, the plan).
        teacher_hours: Yearly training hours of any other teacher (72, the teacher profile's parameter).
        window_years: Length of the rolling coverage window in years (3, the plan's “三年实现全覆盖”).
        min_season_share: Below this share of a usual year's hours done by the date, this year's pace is not
            extrapolated (too early in the year to say anything; the person's own history decides alone).
        history_years: Previous years whose hours make a person's own pace.
        backtest_day: ``MM-DD`` of the forecast date the backtest uses in every year.
        sources: The source of each target, by name (``principal_hours``, ``window_years``, ``teacher_hours``).
    """

    principal_hours: float = 32.0
    teacher_hours: float = 72.0
    window_years: int = 3
    min_season_share: float = 0.05
    history_years: int = 3
    backtest_day: str = "06-30"
    sources: tuple[tuple[str, Source], ...] = ()

    def source(self, name: str) -> Source | None:
        """The source of target ``name``, if declared."""
        return dict(self.sources).get(name)


def _source(entry: dict[str, Any]) -> Source:
    raw = entry["source"]
    return Source(str(raw["document"]), str(raw["section"]), str(raw["quote"]))


@lru_cache(maxsize=1)
def load_targets() -> TrainingTargets:
    """The targets declared in ``training_targets.yaml``."""
    text = resources.files("edubrain.analytics").joinpath("data", FILE).read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    forecast = spec["forecast"]
    names = ("principal_hours", "window_years", "teacher_hours")
    return TrainingTargets(
        principal_hours=float(spec["principal_hours"]["value"]),
        teacher_hours=float(spec["teacher_hours"]["value"]),
        window_years=int(spec["window_years"]["value"]),
        min_season_share=float(forecast["min_season_share"]),
        history_years=int(forecast["history_years"]),
        backtest_day=str(forecast["backtest_day"]),
        sources=tuple((name, _source(spec[name])) for name in names),
    )
