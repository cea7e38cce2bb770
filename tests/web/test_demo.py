"""The demo accounts of ``make demo``: one per role, each able to log in."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import policy
from edubrain.synth.demo import EXAMPLE_SCHOOL, create_demo_accounts
from tests.conftest import SCHOOL, home_with_schools, student_rows, write_csv
from tests.web.conftest import make_app


def test_demo_creates_one_account_per_role_that_can_log_in(tmp_path: Path, catalog: Catalog) -> None:
    home = home_with_schools(tmp_path, catalog)
    assert (
        ingest_file(home, write_csv(tmp_path / "p.csv", student_rows(3)), "students", SCHOOL).report.status
        == "committed"
    )
    accounts = create_demo_accounts(home, "demo-password-123")
    assert sorted(a.role for a in accounts) == sorted(policy.roles())
    clerk = next(a for a in accounts if a.username == "demo_school_admin")
    assert clerk.org_code == SCHOOL == EXAMPLE_SCHOOL  # the school of examples/students_1101080001_errors.csv
    client = TestClient(make_app(home), follow_redirects=False)
    for account in accounts:
        if account.role == "node":
            assert account.secret.startswith("ebk_")
            continue
        response = client.post("/login", data={"username": account.username, "password": account.secret, "next": "/"})
        assert response.status_code == 303, account
        assert client.get("/").status_code == 200
    home.engine.dispose()


def test_demo_example_error_file_is_the_demo_schools(catalog: Catalog) -> None:
    example = Path(__file__).parents[2] / "examples" / f"students_{EXAMPLE_SCHOOL}_errors.csv"
    rows = list(csv.DictReader(example.open(encoding="utf-8")))
    schools = [r["学校标识码"] for r in rows]
    assert schools.count(EXAMPLE_SCHOOL) == len(rows) - 1  # one row names another school: one of its mistakes
    for r in rows:  # a class the synthetic city gives the demo school: school, year, grade, number (01 always exists)
        assert r["班级编号"] == EXAMPLE_SCHOOL + r["学年"] + r["年级"] + "01", r
