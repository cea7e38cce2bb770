"""``edubrain training``: run the job on a date, backtest it, and list who is behind as a signed-in user."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from tests.cli.test_cli import _error_line, _run
from tests.training.conftest import submit_training_city

PASSWORD = "synthetic-password-2"


@pytest.fixture(scope="module")
def training_home(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("training-cli")
    home = Home(Settings(home=folder / "home"), catalog)
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, catalog)
    submit_training_city(home, folder)
    with db.session_scope(home.engine) as session:
        for name, role, org in (("haidian", "district_admin", "110108"), ("chaoyang", "district_admin", "110105")):
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org)
    home.engine.dispose()
    yield home.settings.home


def test_training_cli_at_risk_lists_the_districts_people_as_csv(training_home: Path) -> None:
    done = _run(training_home, "training", "at-risk", "--district", "110108", "--format", "csv", "--user", "haidian",
                EDUBRAIN_PASSWORD=PASSWORD)  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["teacher_id"], r["name"], r["status"], r["hours_needed"]) for r in rows] == [
        ("T110800001", "张校长", "at_risk", "28.0"),
        ("T110800004", "赵老师", "at_risk", "67.0"),
    ]


def test_training_cli_another_district_is_refused_in_one_line(training_home: Path) -> None:
    done = _run(training_home, "--lang", "en", "training", "at-risk", "--district", "110108", "--user", "chaoyang",
                EDUBRAIN_PASSWORD=PASSWORD)  # fmt: skip
    assert done.returncode == 3
    assert "may not read the training coverage of 110108" in _error_line(done.stderr, done.stdout)
    assert "T1108" not in done.stdout


def test_training_cli_run_on_a_date_and_backtest(training_home: Path) -> None:
    done = _run(training_home, "training", "run", "--as-of", "2025-06-30", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == {"training_coverage": 12}
    assert "2025-06-30" in done.stderr  # the note goes to stderr, so the JSON stays parseable
    done = _run(training_home, "training", "backtest", "--year", "2025", "--day", "03-05", "--format", "json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    # on 5 March nothing of 2025 had ended and no course of 2024 either (they ended on 10 March): the forecast is
    # each person's 2024 hours. Only T110800003 (10 h in 2024) is forecast to miss, and met; the three who
    # missed had a good 2024: nothing in the data says so by then.
    assert (row["year"], row["people"], row["forecast_miss"], row["missed"], row["hits"]) == (2025, 6, 1, 3, 0)
    assert (row["precision"], row["recall"]) == (0.0, 0.0)
    bad = _run(training_home, "--lang", "en", "training", "run", "--as-of", "30.6.2025")
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr
