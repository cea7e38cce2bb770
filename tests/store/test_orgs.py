"""The organisation tree follows the stored ``schools`` dataset on every path that commits it."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from edubrain.catalog import Catalog
from edubrain.cli import main
from edubrain.exchange.ingest import FAULT_ENV, Exchange, ingest_file
from edubrain.governance import identity
from edubrain.governance.transfers import TransferRequest, transfer_rows
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import Organisation
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL, home_with_schools, write_csv


def _tree(home: Home) -> dict[str, str | None]:
    """School code -> parent code of the tree's schools."""
    with session_scope(home.engine) as session:
        orgs = session.scalars(select(Organisation).where(Organisation.level == "school"))
        return {o.code: o.parent_code for o in orgs}


def _stored_schools(home: Home) -> dict[str, str]:
    """School code -> district code of the stored ``schools`` dataset."""
    table = home.lake.read(home.catalog.dataset("schools"), columns=["school_code", "district_code"])
    return dict(zip(*(table.column(i).to_pylist() for i in range(2)), strict=True))


@pytest.mark.slow
def test_bulk_load_puts_every_stored_school_in_the_tree_and_users_can_join_it(
    home: Home, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = SynthConfig(
        scale=0.004,
        seed=3,
        years=1,
        out=tmp_path_factory.mktemp("tiny"),
        districts=("110108", "110119"),
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )
    generate(config, workers=1)
    assert load_city(home, config.out, "bulk").rejected == []
    stored = _stored_schools(home)
    assert len(stored) >= 4 and {d for d in stored.values()} == {"110108", "110119"}
    tree = _tree(home)
    assert {code: tree.get(code) for code in stored} == stored  # every school, under its own district
    last = max(stored)  # a school no submission of its own ever named
    for name in [k for k in os.environ if k.startswith("EDUBRAIN_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("EDUBRAIN_HOME", str(home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", home.settings.resolved_database_url)
    command = ["users", "add", "clerk", "--org", last, "--role", "school_admin", "--password-stdin"]
    monkeypatch.setattr(sys, "argv", ["edubrain", *command])
    monkeypatch.setattr(sys, "stdin", io.StringIO("clerk-password-2026\n"))
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code in (0, None)
    with session_scope(home.engine) as session:
        assert identity.get_user(session, "clerk").org_code == last


def test_a_district_submission_and_a_transfer_keep_the_tree_in_step(tmp_path: Path, catalog: Catalog) -> None:
    home = home_with_schools(tmp_path, catalog)
    assert _tree(home) == {SCHOOL: "110108", OTHER_SCHOOL: "110108"}  # the district's file, not the schools
    rows = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是"],
    ]
    assert ingest_file(home, write_csv(tmp_path / "cy.csv", rows), "schools", "110105").report.status == "committed"
    assert _tree(home)[CHAOYANG_SCHOOL] == "110105"
    with session_scope(home.engine) as session:
        identity.add_user(session, "city", "city-password-2026", "110000")
        identity.grant(session, "city", "city_admin", "110000")
        city = identity.principal_of(session, identity.get_user(session, "city"))
    moved = transfer_rows(home, city, TransferRequest("schools", [SCHOOL], "110105", "行政区划调整"))
    assert moved.report.status == "committed", moved.report
    assert _tree(home)[SCHOOL] == "110105"
    home.engine.dispose()


def test_a_schools_batch_cut_off_after_its_lake_commit_enters_the_tree_when_settled(
    tmp_path: Path, catalog: Catalog
) -> None:
    home = home_with_schools(tmp_path, catalog)
    rows = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是"],
    ]
    command = [str(Path(sys.executable).parent / "edubrain"), "ingest", str(write_csv(tmp_path / "cy.csv", rows))]
    env = {**os.environ, "EDUBRAIN_HOME": str(home.settings.home), FAULT_ENV: "after_lake_commit"}
    env.pop("EDUBRAIN_DATABASE_URL", None)
    killed = subprocess.run([*command, "--dataset", "schools", "--org", "110105"], env=env, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL
    assert CHAOYANG_SCHOOL not in _tree(home)  # stored in the lake, the process gone before the tree was told
    with Exchange(home):  # the next writer settles the pending batch
        pass
    assert _tree(home)[CHAOYANG_SCHOOL] == "110105"
    home.engine.dispose()
