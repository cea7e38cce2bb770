"""The synthetic city the 体质健康 and 学位预测 page tests share (no tests here; built once per process).

All 16 districts at 0.3 % scale (two schools each), four school years, loaded in one bulk session: the
ingest hook computes the fitness datasets; the forecast jobs write ``place_forecasts`` and
``place_backtests``. One school's 50 m times of the last year are all 8.0 s, so the data-quality check
``identical_values`` warns about it. Users: one per role the pages distinguish.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from edubrain.analytics.forecast import ForecastSettings
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.home import Home
from edubrain.jobs.forecast import run_backtest, run_place_forecast
from edubrain.store import db
from edubrain.store.orgs import resolve_organisation, seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from tests.web.conftest import PASSWORD

DATASETS = {"districts", "births", "schools", "classes", "students", "fitness_tests"}
SCHOOL = "1101080001"
CHAOYANG_SCHOOL = "1101050001"
LAST_YEAR = 2025
FAST = ForecastSettings(simulations=200)


@dataclass(frozen=True)
class SynthWeb:
    """The built city: its home, the school and class of the school users, and the class's pupils."""

    home: Home
    school: str
    class_id: str
    pupils: int


_BUILT: dict[str, SynthWeb] = {}


def _identical_sprint_times(path: Path) -> tuple[str, int]:
    """Set every 50 m time of a fitness file to 8.0 s; return a class of the file and its pupils."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["sprint_50m_s"] = "8.0"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    classes = pl.DataFrame(rows).group_by("class_id").len().sort(["len", "class_id"], descending=[True, False])
    return str(classes["class_id"][0]), int(classes["len"][0])


def synth_web_city(factory: pytest.TempPathFactory) -> SynthWeb:
    """Build (once per process) the city described in the module docstring."""
    if "city" in _BUILT:
        return _BUILT["city"]
    root = factory.mktemp("pages-city")
    config = SynthConfig(
        scale=0.003, seed=7, years=4, out=root / "city", formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0)
    )
    manifest = generate(config, workers=1)
    manifest.filter(pl.col("dataset").is_in(list(DATASETS))).write_csv(config.out / "manifest.csv")
    fitness_file = manifest.filter(
        (pl.col("dataset") == "fitness_tests") & (pl.col("org") == SCHOOL) & (pl.col("school_year") == LAST_YEAR)
    )["path"][0]
    class_id, pupils = _identical_sprint_times(config.out / fitness_file)
    home = Home(Settings(home=root / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    run_place_forecast(home, horizon=10, settings=FAST)
    run_backtest(home, horizons=5, settings=FAST)
    users = {
        "city": ("110000", "city_analyst", None),
        "haidian": ("110108", "district_admin", None),
        "chaoyang": ("110105", "district_analyst", None),
        "school": (SCHOOL, "school_admin", None),
        "teacher": (SCHOOL, "teacher", [class_id]),
        "cyschool": (CHAOYANG_SCHOOL, "school_admin", None),
    }
    with db.session_scope(home.engine) as session, home.key_index() as index:
        for code in (SCHOOL, CHAOYANG_SCHOOL):
            resolve_organisation(session, index, code)  # bulk-loaded schools enter the tree on first use
        for name, (org, role, refs) in users.items():
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org, refs)
    home.engine.dispose()
    _BUILT["city"] = SynthWeb(home, SCHOOL, class_id, pupils)
    return _BUILT["city"]


def lake_table(home: Home, dataset_id: str) -> pl.DataFrame:
    """A derived dataset as stored (what the page's numbers must equal)."""
    frame = pl.from_arrow(home.lake.read(home.catalog.dataset(dataset_id)))
    assert isinstance(frame, pl.DataFrame)
    return frame
