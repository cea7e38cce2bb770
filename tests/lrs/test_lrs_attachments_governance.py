"""Attachments at rest and in scope: sealed files per school, atomic writes, no crossing schools (attacker tests)."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import select

from edubrain.governance.audit import AuditEvent
from edubrain.lrs import access
from edubrain.lrs.attachment_files import FOLDER
from edubrain.lrs.errors import StatementInvalid
from edubrain.store.db import session_scope
from tests.api.conftest import assert_error
from tests.conftest import OTHER_SCHOOL, SCHOOL
from tests.lrs.conftest import OTHER_PUPILS, PUPILS, Lrs, new_id, pupil, statement
from tests.lrs.multipart_helpers import RawPart, attachment, post_mixed, read_mixed, sha256


def _stored(lrs: Lrs, who: str, data: bytes, actor: dict | None = None, **extra: object) -> str:
    response = post_mixed(lrs, who, statement(actor, attachments=[attachment(data)], **extra), [RawPart(data)])
    assert response.status_code == 200, response.text
    return response.json()[0]


def test_attachment_data_is_sealed_in_a_private_file_per_school_and_hash(lrs: Lrs) -> None:
    """At rest the bytes are AES-256-GCM sealed (docs/lrs.md), 0600, named by school and SHA-2; no temp file stays."""
    data = "王小明的作文：我的理想".encode()
    _stored(lrs, "app1", data)
    folder = lrs.home.settings.home / FOLDER / SCHOOL
    path = folder / sha256(data)
    raw = path.read_bytes()
    assert data not in raw and "王小明".encode() not in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not [p for p in folder.iterdir() if p.name.startswith(".incoming-")]


def test_a_file_moved_to_another_school_does_not_open(lrs: Lrs) -> None:
    """The school and hash are the associated data: a sealed file copied into another school's folder is refused."""
    data = b"moved between schools"
    _stored(lrs, "app1", data)
    mine = lrs.home.settings.home / FOLDER / SCHOOL / sha256(data)
    theirs = lrs.home.settings.home / FOLDER / OTHER_SCHOOL / sha256(data)
    theirs.parent.mkdir(parents=True, exist_ok=True)
    theirs.write_bytes(mine.read_bytes())
    [statement_id] = lrs.post("app2", statement(pupil(OTHER_PUPILS[0]), attachments=[attachment(data, fileUrl="https://files.example/m")])).json()  # fmt: skip
    response = lrs.get("app2", statementId=statement_id, attachments="true")
    assert response.status_code == 503 and data not in response.content
    theirs.unlink()


def test_a_failed_transaction_leaves_no_attachment_file(lrs: Lrs, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are renamed into place before the commit; if the transaction fails, the files it created are removed."""
    data = b"never committed"

    def failing(*_args: object, **_kwargs: object) -> None:
        raise StatementInvalid("审计失败", "audit failed")

    monkeypatch.setattr(access, "record_event", failing)
    fresh = new_id()
    assert_error(post_mixed(lrs, "app1", statement(id=fresh, attachments=[attachment(data)]), [RawPart(data)]), 400)
    monkeypatch.undo()
    assert not (lrs.home.settings.home / FOLDER / SCHOOL / sha256(data)).exists()
    assert_error(lrs.get("app1", statementId=fresh), 404)


def test_another_school_cannot_fetch_an_attachment_by_naming_its_hash(lrs: Lrs) -> None:
    """Attachments never cross schools: B naming A's hash (fileUrl) gets no data; without a part B is refused
    exactly as for any unknown hash, so B cannot even learn that A holds it."""
    data = b"school A's certificate"
    _stored(lrs, "app1", data)
    claim = statement(pupil(OTHER_PUPILS[0]), attachments=[attachment(data, fileUrl="https://files.example/c")])
    [statement_id] = lrs.post("app2", claim).json()
    _, parts = read_mixed(lrs.get("app2", statementId=statement_id, attachments="true"))
    assert parts == {}
    known = assert_error(post_mixed(lrs, "app2", statement(pupil(OTHER_PUPILS[0]), attachments=[attachment(data)]), []), 400)  # fmt: skip
    unknown = assert_error(post_mixed(lrs, "app2", statement(pupil(OTHER_PUPILS[0]), attachments=[attachment(b"never stored")]), []), 400)  # fmt: skip
    assert known == unknown


@pytest.mark.parametrize("who", ["app2", "parent1", "pupil0"])
def test_readers_outside_the_statement_scope_get_no_attachment(lrs: Lrs, who: str) -> None:
    """Another school's key, a parent of another child and another pupil: neither the statement nor its data."""
    registration = new_id()
    data = f"{who}: pupil 2's essay".encode()
    _stored(lrs, "app1", data, pupil(PUPILS[2]), context={"registration": registration})
    response = lrs.get(who, registration=registration, attachments="true")
    answer, parts = read_mixed(response)
    assert answer["statements"] == [] and parts == {} and data not in response.content


def test_a_teacher_of_another_class_gets_no_attachment(lrs: Lrs) -> None:
    """The teacher of SCHOOL's class reads its pupils' attachments; a teacher of another class reads nothing."""
    registration = new_id()
    data = b"class attachment"
    _stored(lrs, "app1", data, pupil(PUPILS[0]), context={"registration": registration})
    _, parts = read_mixed(lrs.get("teacher", registration=registration, attachments="true"))
    assert sha256(data) in parts
    answer, parts = read_mixed(lrs.get("teacher2", registration=registration, attachments="true"))
    assert answer["statements"] == [] and parts == {}


def test_a_parent_gets_the_childs_attachment_and_the_read_is_audited(lrs: Lrs) -> None:
    """A parent reads its child's statement with its data; the ``lrs_read`` event counts the attachments sent."""
    data = b"child's drawing"
    statement_id = _stored(lrs, "app1", data, pupil(PUPILS[1]))
    _, parts = read_mixed(lrs.get("parent1", statementId=statement_id, attachments="true"))
    assert parts[sha256(data)][1] == data
    with session_scope(lrs.home.engine) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "lrs_read").order_by(AuditEvent.seq.desc())).first()  # fmt: skip
        assert event is not None
        assert event.minors and event.purpose == "self_access" and event.detail["attachments"] == 1
        assert PUPILS[1] not in json.dumps(event.detail)


def test_a_failed_request_never_removes_data_stored_by_an_earlier_one(lrs: Lrs, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Only files a failed transaction created are removed: an attachment already stored for the school stays."""
    data = b"stored before"
    statement_id = _stored(lrs, "app1", data)

    def failing(*_args: object, **_kwargs: object) -> None:
        raise StatementInvalid("审计失败", "audit failed")

    monkeypatch.setattr(access, "record_event", failing)
    assert_error(post_mixed(lrs, "app1", statement(attachments=[attachment(data)]), [RawPart(data)]), 400)
    monkeypatch.undo()
    _, parts = read_mixed(lrs.get("app1", statementId=statement_id, attachments="true"))
    assert parts[sha256(data)][1] == data
