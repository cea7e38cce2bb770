"""A small synthetic city with campus IoT, usage and surveys, loaded and derived once per process (facility tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.home import Home
from edubrain.jobs.facilities import run_facilities
from edubrain.store import db
from edubrain.store.orgs import resolve_organisation, seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city

PASSWORD = "web-test-password-1"
DISTRICTS = ("110108", "110119")
_BUILT: dict[str, FacilityCity] = {}


@dataclass(frozen=True)
class FacilityCity:
    """The home, the generated city's folder, a school of each district and the users by name."""

    home: Home
    root: Path
    school: str
    other_school: str
    yanqing_school: str


def facility_city(factory: pytest.TempPathFactory) -> FacilityCity:
    """Haidian and Yanqing at scale 0.01, one school year, loaded in bulk, facilities derived, one user per role."""
    if "city" in _BUILT:
        return _BUILT["city"]
    root = factory.mktemp("facilities")
    config = SynthConfig(
        scale=0.01,
        seed=9,
        years=1,
        out=root / "city",
        districts=DISTRICTS,
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )
    manifest = generate(config)
    home = Home(Settings(home=root / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    run_facilities(home)
    schools = manifest.filter(pl.col("dataset") == "iot_devices").get_column("org").sort().to_list()
    haidian = [s for s in schools if s.startswith("110108")]
    yanqing = [s for s in schools if s.startswith("110119")]
    users = {
        "city": ("110000", "city_analyst", None),
        "haidian": ("110108", "district_admin", None),
        "yanqing": ("110119", "district_admin", None),
        "school": (haidian[0], "school_admin", None),
        "other": (haidian[1], "school_admin", None),
        "teacher": (haidian[0], "teacher", ["X"]),
        "citizen": ("110000", "public", None),
    }
    with db.session_scope(home.engine) as session, home.key_index() as index:
        for code in schools:
            resolve_organisation(session, index, code)
        for name, (org, role, refs) in users.items():
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org, refs)
    home.engine.dispose()
    _BUILT["city"] = FacilityCity(home, config.out, haidian[0], haidian[1], yanqing[0])
    return _BUILT["city"]
