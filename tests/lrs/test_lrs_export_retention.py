"""The LRS lake export (``learning_statements``) and the retention run (docs/lrs.md, "湖表导出", "保留期限")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from edubrain.governance.audit import list_events
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.jobs.lrs_export import DATASET, KNOWLEDGE_POINT, run_lrs_export
from edubrain.lrs.models import LrsStatement, LrsStatementRef
from edubrain.lrs.retention import RetentionPolicy, apply_retention, load_policy
from edubrain.store.db import session_scope
from tests.conftest import OTHER_SCHOOL, SCHOOL
from tests.lrs.conftest import OTHER_PUPILS, PUPILS, Lrs, new_id, pupil, statement

ROWS = f"/api/v1/datasets/{DATASET}/rows"


def _export_rows(lrs: Lrs) -> dict[str, dict]:
    run_lrs_export(lrs.home)
    table = lrs.home.lake.read(lrs.home.catalog.dataset(DATASET))
    return {row["statement_id"]: row for row in table.to_pylist()}


def _scored(kp: str) -> dict:
    activity = {
        "objectType": "Activity",
        "id": f"https://edubrain.example/xapi/kp/{kp}/item-1",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "extensions": {KNOWLEDGE_POINT: kp},
        },
    }
    result = {"success": True, "completion": True, "score": {"scaled": 0.8, "raw": 8}, "duration": "PT1M30.5S"}
    return statement(object=activity, result=result, timestamp="2026-03-02T09:15:00+08:00")


def test_export_holds_the_pseudonymous_fields_and_never_a_student_number(lrs: Lrs) -> None:
    sid, other = new_id(), new_id()
    assert lrs.post("app1", _scored("kp-add") | {"id": sid}).status_code == 200
    assert lrs.post("app2", statement(pupil(OTHER_PUPILS[0])) | {"id": other}).status_code == 200
    rows = _export_rows(lrs)
    row = rows[sid]
    key = pseudonym_key(lrs.home.settings)
    assert row["school_code"] == SCHOOL and row["student_pseudonym"] == pseudonym(PUPILS[0], "student", key)
    assert (row["knowledge_point"], row["success"], row["completion"]) == ("kp-add", True, True)
    assert (row["score_scaled"], row["score_raw"], row["duration_seconds"]) == (0.8, 8.0, 90.5)
    assert row["event_date"] == dt.date(2026, 3, 2) and row["event_time"] == "2026-03-02T09:15:00+08:00"
    assert row["activity_id"] == "https://edubrain.example/xapi/kp/kp-add/item-1"
    assert rows[other]["school_code"] == OTHER_SCHOOL
    files = list(Path(lrs.home.lake.table_path(DATASET)).rglob("*.parquet"))
    text = b"".join(f.read_bytes() for f in files)
    assert all(p.encode() not in text for p in PUPILS + OTHER_PUPILS)  # no student number, not even compressed away
    assert all(p not in str(pq.read_table(f).to_pylist()) for f in files for p in PUPILS + OTHER_PUPILS)


def test_export_leaves_out_voided_and_voiding_statements(lrs: Lrs) -> None:
    target, voider = new_id(), new_id()
    assert lrs.post("app1", statement() | {"id": target}).status_code == 200
    void = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
        object={"objectType": "StatementRef", "id": target},
    )
    assert lrs.post("app1", void | {"id": voider}).status_code == 200
    rows = _export_rows(lrs)
    assert target not in rows and voider not in rows


@pytest.mark.parametrize("duration,seconds", [("PT2H", 7200.0), ("P1DT1S", 86401.0), ("P1M", None), ("PT0.25S", 0.25)])
def test_export_turns_durations_into_seconds_or_leaves_them_empty(
    lrs: Lrs, duration: str, seconds: float | None
) -> None:
    sid = new_id()
    assert lrs.post("app1", statement(result={"duration": duration}) | {"id": sid}).status_code == 200
    assert _export_rows(lrs)[sid]["duration_seconds"] == seconds


def test_export_is_read_through_governance_by_school(lrs: Lrs) -> None:
    sid = new_id()
    assert lrs.post("app1", statement() | {"id": sid}).status_code == 200
    run_lrs_export(lrs.home)
    own = lrs.client.get(ROWS, headers=lrs.city.auth("school1")).json()
    assert own["count"] >= 1 and {r["school_code"] for r in own["data"]} == {SCHOOL}
    assert "student_pseudonym" in own["masked"] or all(r["student_pseudonym"] is None for r in own["data"])
    other_district = lrs.client.get(ROWS, headers=lrs.city.auth("chaoyang")).json()
    assert other_district["count"] == 0
    probe = lrs.client.get(ROWS, params={"filter": f"statement_id:{sid}"}, headers=lrs.city.auth("chaoyang")).json()
    assert probe["count"] == 0


def test_a_derived_export_cannot_be_submitted(lrs: Lrs) -> None:
    from edubrain.governance.submissions import submittable  # the datasets a principal may submit

    assert DATASET not in {d.id for d in submittable(lrs.home, "city")}


def _age(lrs: Lrs, sid: str, stored: dt.datetime) -> None:
    with session_scope(lrs.home.engine) as session:
        session.execute(update(LrsStatement).where(LrsStatement.statement_id == sid).values(stored=stored))


def test_policy_is_data_and_counts_back_whole_years() -> None:
    policy = load_policy()
    assert policy.keep_years == 3 and policy.reason_zh and policy.reason_en
    assert policy.cutoff(dt.date(2026, 12, 7)) == dt.datetime(2023, 12, 7, tzinfo=dt.UTC)
    assert RetentionPolicy(1, "", "").cutoff(dt.date(2028, 2, 29)) == dt.datetime(2027, 2, 28, tzinfo=dt.UTC)


def test_retention_dry_run_counts_and_changes_nothing_then_apply_deletes_audits_and_the_lake_forgets(lrs: Lrs) -> None:
    old, young, other_old = new_id(), new_id(), new_id()
    for who, sid, actor in (("app1", old, None), ("app1", young, None), ("app2", other_old, pupil(OTHER_PUPILS[1]))):
        assert lrs.post(who, statement(actor) | {"id": sid}).status_code == 200
    _age(lrs, old, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    _age(lrs, other_old, dt.datetime(2021, 6, 1, tzinfo=dt.UTC))
    assert old in _export_rows(lrs)
    dry = apply_retention(lrs.home, today=dt.date(2026, 12, 7))
    assert dry.dry_run and dry.per_school.get(SCHOOL, 0) >= 1 and dry.per_school.get(OTHER_SCHOOL, 0) >= 1
    with session_scope(lrs.home.engine) as session:
        before = session.scalar(select(func.count()).select_from(LrsStatement))
        events_before = len(list_events(session, action="lrs_retention"))
    done = apply_retention(lrs.home, today=dt.date(2026, 12, 7), dry_run=False)
    assert done.per_school == dry.per_school
    with session_scope(lrs.home.engine) as session:
        ids = set(session.scalars(select(LrsStatement.statement_id)))
        assert session.scalar(select(func.count()).select_from(LrsStatement)) == before - done.total
        orphans = select(LrsStatementRef).where(LrsStatementRef.statement_pk.not_in(select(LrsStatement.pk)))
        assert session.execute(orphans).first() is None
        events = list_events(session, action="lrs_retention")[events_before:]
    assert old not in ids and other_old not in ids and young in ids
    assert {e.org_code: e.row_count for e in events} == done.per_school and all(e.minors for e in events)
    assert all("pseudonym" not in str(e.detail) for e in events)
    assert lrs.get("app1", statementId=old).status_code == 404
    rows = _export_rows(lrs)
    assert old not in rows and young in rows
    assert lrs.home.lake.history(DATASET) and len(list(Path(lrs.home.lake.table_path(DATASET)).glob("*.parquet"))) == 1


def test_retention_cli_defaults_to_a_dry_run(lrs: Lrs, monkeypatch: pytest.MonkeyPatch) -> None:
    from edubrain.cli import app

    sid = new_id()
    assert lrs.post("app1", statement() | {"id": sid}).status_code == 200
    _age(lrs, sid, dt.datetime(2019, 1, 1, tzinfo=dt.UTC))
    monkeypatch.setenv("EDUBRAIN_HOME", str(lrs.home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", lrs.home.settings.resolved_database_url)
    result = CliRunner().invoke(app, ["--lang", "en", "lrs", "retention", "--today", "2026-12-07", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert lrs.get("app1", statementId=sid).status_code == 200
    bad = CliRunner().invoke(app, ["--lang", "en", "lrs", "retention", "--today", "07/12/2026"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_retention_deletes_documents_not_updated_within_the_period(lrs: Lrs) -> None:
    from edubrain.lrs.models import LrsDocument
    from tests.lrs.document_helpers import doc, get, put

    old, fresh = doc("state"), doc("state")
    assert put(lrs, "app1", old, {"step": 1}).status_code == 204
    assert put(lrs, "app1", fresh, {"step": 2}).status_code == 204
    with session_scope(lrs.home.engine) as session:
        newest = session.scalar(select(func.max(LrsDocument.pk)))
        session.execute(
            update(LrsDocument)
            .where(LrsDocument.pk == newest - 1)
            .values(updated=dt.datetime(2020, 5, 1, tzinfo=dt.UTC))
        )
    dry = apply_retention(lrs.home, today=dt.date(2026, 12, 7))
    assert dry.documents.get(SCHOOL, 0) >= 1 and get(lrs, "app1", old).status_code == 200
    done = apply_retention(lrs.home, today=dt.date(2026, 12, 7), dry_run=False)
    assert done.documents == dry.documents
    assert get(lrs, "app1", old).status_code == 404 and get(lrs, "app1", fresh).status_code == 200
    with session_scope(lrs.home.engine) as session:
        event = list_events(session, action="lrs_retention")[-1]
    assert event.detail["documents"] >= 1


def test_retention_removes_attachment_files_no_remaining_statement_names(lrs: Lrs) -> None:
    from edubrain.lrs.attachment_files import FOLDER
    from tests.lrs.multipart_helpers import RawPart, attachment, post_mixed, sha256

    only_old, shared = f"只属于旧语句 {new_id()}".encode(), f"新旧语句都有 {new_id()}".encode()
    old, young = new_id(), new_id()
    body = statement(attachments=[attachment(only_old), attachment(shared)]) | {"id": old}
    assert post_mixed(lrs, "app1", body, [RawPart(only_old), RawPart(shared)]).status_code == 200
    body = statement(attachments=[attachment(shared)]) | {"id": young}
    assert post_mixed(lrs, "app1", body, [RawPart(shared)]).status_code == 200
    _age(lrs, old, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    folder = lrs.home.settings.home / FOLDER / SCHOOL
    assert (folder / sha256(only_old)).exists() and (folder / sha256(shared)).exists()
    apply_retention(lrs.home, today=dt.date(2026, 12, 7), dry_run=False)
    assert not (folder / sha256(only_old)).exists()
    assert (folder / sha256(shared)).exists()
    assert lrs.get("app1", statementId=young, attachments="true").status_code == 200
