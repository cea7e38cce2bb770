"""A synthetic city for the annual monitoring report: Haidian and Yanqing, two school years, every input derived.

Generated at scale 0.01 (Haidian a few schools, Yanqing two), loaded through the exchange in bulk (the monitoring
derivation runs after the session: the test files' names hold ``monitoring``), then training coverage and the
facility indicators computed by their jobs. One user per role; the same city on each operational database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity, tokens
from edubrain.home import Home
from edubrain.jobs.facilities import run_facilities
from edubrain.jobs.training import run_training
from edubrain.store import db
from edubrain.store.orgs import resolve_organisation, seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from tests.api.conftest import backend_url, drop_schema

PASSWORD = "report-test-password-1"
DISTRICTS = ("110108", "110119")
YEAR = 2025


@dataclass(frozen=True)
class ReportCity:
    """The home, a school of each district, and how to reach users by name (web password, API token)."""

    home: Home
    school: str
    yanqing_school: str

    def token(self, username: str) -> dict[str, str]:
        """The ``Authorization`` header of ``username``."""
        with db.session_scope(self.home.engine) as session:
            principal = identity.principal_of(session, identity.get_user(session, username))
            access = tokens.issue_tokens(session, self.home.settings, principal).access_token
        return {"Authorization": f"Bearer {access}"}


def build(root: Path, backend: str) -> Iterator[ReportCity]:
    """Generate, load and derive the city in ``root`` on ``backend`` (``sqlite`` or ``postgresql``)."""
    config = SynthConfig(
        scale=0.01, seed=9, years=2, out=root / "city", districts=DISTRICTS,
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )  # fmt: skip
    manifest = generate(config)
    url, schema = backend_url(backend, root)
    home = Home(Settings(home=root / "home", database_url=url), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    run_training(home)
    run_facilities(home)
    codes = sorted({c for c in manifest.get_column("org").to_list() if len(c) == 10})
    haidian = [s for s in codes if s.startswith("110108")]
    yanqing = [s for s in codes if s.startswith("110119")]
    users = {
        "city": ("110000", "city_analyst", None), "cityadmin": ("110000", "city_admin", None),
        "auditor": ("110000", "auditor", None), "haidian": ("110108", "district_admin", None),
        "yanqing": ("110119", "district_analyst", None), "school": (haidian[0], "school_admin", None),
        "teacher": (haidian[0], "teacher", ["X"]), "parent": (haidian[0], "parent", ["G0"]),
        "citizen": ("110000", "public", None),
    }  # fmt: skip
    with db.session_scope(home.engine) as session, home.key_index() as index:
        for code in codes:
            resolve_organisation(session, index, code)
        for name, (org, role, refs) in users.items():
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org, refs)
    try:
        yield ReportCity(home, haidian[0], yanqing[0])
    finally:
        home.engine.dispose()
        drop_schema(schema)
