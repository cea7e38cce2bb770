"""The demo accounts of ``make demo``: one per role, each able to log in."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import policy
from edubrain.synth.demo import create_demo_accounts
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
    client = TestClient(make_app(home), follow_redirects=False)
    for account in accounts:
        if account.role == "node":
            assert account.secret.startswith("ebk_")
            continue
        response = client.post("/login", data={"username": account.username, "password": account.secret, "next": "/"})
        assert response.status_code == 303, account
        assert client.get("/").status_code == 200
    home.engine.dispose()
