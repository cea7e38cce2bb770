"""Identity resolution measured on the synthetic city's planted duplicates (known truth, never used in training).

The generator plants, at a raised rate, second records of the same child (re-registration at another school
under a new 学籍号, a name typo, a wrong birth-date digit, a missing 身份证号) and look-alikes that are different
children (twins, namesakes). The city is loaded through the exchange like any other; the city's administrator
finds candidates through governance; the stored candidates are compared with the truth file.

Command (prints the numbers): ``.venv/bin/pytest -q -s tests/governance/test_identity_resolution.py``
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
from sqlalchemy import select

from edubrain.analytics.linkage import MATCH_THRESHOLD, LinkageInputError, score_pairs
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.governance import identity_merge as im
from edubrain.governance.audit import AuditEvent
from edubrain.governance.models import IdentityCandidate
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.db import session_scope
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.duplicates import MATCH_KINDS, NON_MATCH_KINDS, read_truth
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city

DISTRICTS = ("110108", "110105")
RATE = 0.04


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Home, pl.DataFrame, pl.DataFrame]]:
    """Two districts at 1 % scale, the last year with planted duplicates, loaded; the city admin found candidates."""
    root = tmp_path_factory.mktemp("identity-city")
    config = SynthConfig(scale=0.01, seed=11, years=1, out=root / "city", districts=DISTRICTS, duplicates=RATE,
                         formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0))  # fmt: skip
    generate(config, workers=1)
    home = Home(Settings(home=root / "home"))
    db.upgrade(home.settings.resolved_database_url)
    with session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
        identity.add_user(session, "city", "correct horse battery staple", "110000")
        identity.grant(session, "city", "city_admin", "110000")
    summary = load_city(home, config.out, "bulk")
    assert summary.rejected == [] and sum(summary.problems.values()) == 0  # planted rows pass validation
    with session_scope(home.engine) as session:
        principal = identity.principal_of(session, identity.get_user(session, "city"))
    found = im.find_candidates(home, principal)
    assert found.records > 1000
    with session_scope(home.engine) as session:
        rows = session.execute(select(IdentityCandidate.left_id, IdentityCandidate.right_id)).all()
    candidates = pl.DataFrame(rows, schema=["left_id", "right_id"], orient="row")
    yield home, read_truth(config.out), candidates
    home.engine.dispose()


def _ordered(truth: pl.DataFrame) -> pl.DataFrame:
    return truth.select(
        "kind", "match",
        pl.min_horizontal("left_id", "right_id").alias("left_id"), pl.max_horizontal("left_id", "right_id").alias("right_id"),
    )  # fmt: skip


def test_identity_precision_and_recall_on_planted_duplicates(planted: tuple[Home, pl.DataFrame, pl.DataFrame]) -> None:
    _, truth, candidates = planted
    assert truth.height >= 100, truth.height
    assert set(truth.get_column("kind")) == set(MATCH_KINDS) | set(NON_MATCH_KINDS)
    truth = _ordered(truth)
    matches = truth.filter("match")
    hits = candidates.join(matches, on=["left_id", "right_id"], how="semi").height
    precision = hits / candidates.height
    recall = hits / matches.height
    by_kind = (
        matches.join(candidates.with_columns(pl.lit(True).alias("found")), on=["left_id", "right_id"], how="left")
        .group_by("kind").agg(pl.len().alias("planted"), pl.col("found").fill_null(False).sum().alias("found"))
        .sort("kind")
    )  # fmt: skip
    print(
        f"\nidentity resolution @ {MATCH_THRESHOLD}: planted pairs {truth.height} (same child {matches.height}), "
        f"candidates {candidates.height}, correct {hits}: precision {precision:.4f}, recall {recall:.4f}"
    )
    print(by_kind)
    assert precision >= 0.98
    assert recall >= 0.95


def test_identity_twins_and_namesakes_are_never_candidates(planted: tuple[Home, pl.DataFrame, pl.DataFrame]) -> None:
    _, truth, candidates = planted
    hard = _ordered(truth).filter(~pl.col("match"))
    assert set(hard.get_column("kind")) == {"twins", "namesake"} and hard.height >= 10
    assert candidates.join(hard, on=["left_id", "right_id"], how="semi").height == 0


def test_identity_find_reads_the_rosters_through_governance_and_is_audited(
    planted: tuple[Home, pl.DataFrame, pl.DataFrame],
) -> None:
    home, _, _ = planted
    with session_scope(home.engine) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "read_unmasked")).all()
    assert any(e.dataset == "students" and e.purpose == "enrollment_management" for e in events)  # the find read


def _records(**changes: object) -> pl.DataFrame:
    base = {
        "student_id": "G110108201403150012", "name": "王思远", "sex": "1", "birth_date": "2014-03-15",
        "id_number": "110108201403150012", "hukou_district_code": "110108", "address": "北京市海淀区学院路1号",
        "guardian_phone": "13800001234", "school_code": "1101080001",
    }  # fmt: skip
    rows = [base, {**base, **changes}]
    filler = [
        {**base, "student_id": f"J00{i:016d}", "name": f"李{chr(0x4E00 + i * 7)}{chr(0x4E80 + i)}", "sex": "12"[i % 2],
         "birth_date": f"2014-{i % 12 + 1:02d}-{i % 27 + 1:02d}", "id_number": None, "address": f"北京市朝阳区{i}号",
         "guardian_phone": f"139{i:08d}", "hukou_district_code": "110105"}
        for i in range(1, 400)
    ]  # fmt: skip
    return pl.DataFrame(rows + filler)


def test_linkage_rules_decide_when_both_id_numbers_are_present() -> None:
    twin = _records(student_id="G110108201403150020", name="王思源", id_number="110108201403150020")
    pairs = score_pairs(twin)
    assert pairs.filter(pl.col("left_id").str.starts_with("G")).height == 0  # different 身份证号: never
    moved = _records(student_id="J99202500000000001", school_code="1101080002", address="北京市海淀区别处")
    pairs = score_pairs(moved)
    same = pairs.filter(pl.col("right_id") == "J99202500000000001")
    assert same.height == 1 and same.get_column("rule").item() == "id_number"
    assert same.get_column("match_probability").item() == 1.0


def test_linkage_is_deterministic_and_checks_its_input() -> None:
    typo = _records(student_id="J99202500000000002", name="王思元", id_number=None)
    first, second = score_pairs(typo), score_pairs(typo)
    assert first.equals(second)
    assert first.filter(pl.col("right_id") == "J99202500000000002").get_column("rule").to_list() == ["model"]
    with pytest.raises(LinkageInputError) as err:
        score_pairs(typo.drop("guardian_phone"))
    assert "guardian_phone" in err.value.en and "缺少" in err.value.zh
    with pytest.raises(LinkageInputError):
        score_pairs(pl.concat([typo, typo.head(1)]))
