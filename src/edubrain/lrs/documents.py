"""The governed door of the Document resources (State, Activity Profile, Agent Profile): who writes, reads, audit.

Adapters (the ``/xAPI`` documents router) call only this module. Rules (docs/lrs.md, "文档资源"):

- **write** (PUT, POST, DELETE): the writers of statements (:func:`edubrain.lrs.access.writer_of`: a school's node
  API key or ``school_admin``). Documents belong to that school; a write touches only that school's documents, so
  another school can neither change nor detect them. A pupil named as ``agent`` must be a stored student of that
  school, else 403 and nothing changes (as for statements).
- **read** (GET): :func:`edubrain.lrs.access.read_scope` on the documents' columns: the school's node key and
  administrator read its documents; a teacher those of its school whose agent is a pupil of its classes; a student
  its own, a parent its children's. Activity Profile documents have no agent, so only the school reads them. A
  document outside the scope answers exactly like a missing one: 404, or absent from a list.
- **audit**: each write that changed something is an ``lrs_write`` event, each read that returned a document or ids
  an ``lrs_read`` event (``minors`` when a pupil's document is involved; ``detail`` holds pseudonyms only).

POST merges JSON objects (Communication §2.2.s7–s8); one request is one transaction, so a crash leaves the
document as it was; two parallel first writes of one document meet the unique key and the loser is evaluated again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.governance.lookups import stored_lookup
from edubrain.governance.policy import role
from edubrain.governance.pseudonyms import pseudonym_key
from edubrain.governance.scope import AccessDenied
from edubrain.home import Home
from edubrain.lrs import document_store as store
from edubrain.lrs.access import read_scope, writer_of
from edubrain.lrs.concurrency import check
from edubrain.lrs.document_params import DocumentRequest, Kind, Method, document_request
from edubrain.lrs.errors import StatementInvalid, StatementNotFound
from edubrain.lrs.models import LrsDocument
from edubrain.store.db import session_scope

DATASET = "xapi_documents"
JSON_TYPE = "application/json"
DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class DocumentAnswer:
    """A GET's answer: one document (``content``, its type) or a list of ids, with its ETag and time."""

    content: bytes | None
    content_type: str
    etag: str | None
    last_modified: dt.datetime | None
    ids: list[str] | None


def _media(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


_WHERE_ZH = {"stored document": "已存的文档", "posted document": "提交的文档"}


def _not_mergeable(where: str) -> StatementInvalid:
    return StatementInvalid(
        f"POST 合并要求{_WHERE_ZH[where]}为 JSON 对象（application/json），文档未更改",
        f"A POST merges JSON objects only: the {where} is not an application/json object; the document is unchanged (xAPI Communication 2.2)",  # fmt: skip
        document=where,
    )


def _json_object(content: bytes, where: str) -> dict[str, Any]:
    try:
        value = json.loads(content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        value = None
    if not isinstance(value, dict):
        raise _not_mergeable(where)
    return value


def _merged(row: LrsDocument, stored: bytes, posted: bytes, content_type: str) -> bytes:
    """The stored object with each top-level property of the posted one set (Communication §2.2.s7)."""
    for media, where in ((row.content_type, "stored document"), (content_type, "posted document")):
        if _media(media) != JSON_TYPE:
            raise _not_mergeable(where)
    merged = _json_object(stored, "stored document") | _json_object(posted, "posted document")
    return json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _etag(row: LrsDocument | None) -> str | None:
    return None if row is None else row.etag


def _request(home: Home, kind: Kind, params: dict[str, str], method: Method, repeated: str | None) -> DocumentRequest:
    return document_request(kind, params, method, pseudonym_key(home.settings), repeated=repeated)


def _check_pupil(home: Home, org_code: str, request: DocumentRequest) -> None:
    if request.learner is None:
        return
    if request.learner not in set(stored_lookup(home, "students", "student_id", "school_code")(org_code)):
        raise AccessDenied(
            f"agent 中的学生不是学校 {org_code} 已登记的学生：{request.learner}",
            f"The agent names a student not stored for school {org_code}: {request.learner}",
        )


def _roles(principal: Principal) -> str | None:
    return ",".join(sorted({g.role for g in principal.grants})) or None


def _audit(session: Any, principal: Principal, action: str, org: str | None, learners: list[str | None], **detail: Any) -> None:  # fmt: skip
    own = bool(principal.grants) and all(role(g.role).scope in ("self", "children") for g in principal.grants)
    record_event(
        session,
        actor=principal.id,
        actor_role=_roles(principal),
        org_code=org,
        action=action,
        dataset=DATASET,
        row_count=len(learners),
        purpose=None if action == "lrs_write" else ("self_access" if own else "routine_duty"),
        minors=any(learners),
        detail={**detail, "learners": sorted({p for p in learners if p})[:50]},
    )


def write(
    home: Home,
    principal: Principal,
    kind: Kind,
    params: dict[str, str],
    *,
    method: Method,
    content: bytes,
    content_type: str | None,
    if_match: str | None = None,
    if_none_match: str | None = None,
    version: str = "1.0.3",
    repeated: str | None = None,
) -> None:
    """Store (PUT) or store-or-merge (POST) one document for ``principal``'s school, audited.

    Raises:
        AccessDenied: the principal may not write, or the agent is a pupil not of its school.
        StatementInvalid: a parameter is wrong, a JSON body is malformed, or a POST cannot merge (400).
        PreconditionFailed: ``If-Match``/``If-None-Match`` does not hold (412).
        DocumentConflict: a PUT over an existing document without either header (409).
    """
    writer = writer_of(principal)
    request = _request(home, kind, params, method, repeated)
    _check_pupil(home, writer.org_code, request)
    content_type = (content_type or "").strip() or DEFAULT_TYPE
    if _media(content_type) == JSON_TYPE:
        try:
            json.loads(content.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise StatementInvalid(
                "Content-Type 为 application/json，但请求体不是有效的 JSON",
                "The body is declared application/json but is not valid JSON",  # fmt: skip
            ) from None
    key = pseudonym_key(home.settings)
    for attempt in range(2):
        try:
            with session_scope(home.engine) as session:
                row = store.own(session, writer.org_code, request)
                check(method=method, kind=kind, version=version, current=_etag(row), if_match=if_match, if_none_match=if_none_match)  # fmt: skip
                body, media = content, content_type
                if method == "POST" and row is not None:
                    body, media = _merged(row, store.plain(row, key), content, content_type), JSON_TYPE
                store.write(session, key, org_code=writer.org_code, request=request, row=row, content=body, content_type=media, writer=principal.id)  # fmt: skip
                _audit(session, principal, "lrs_write", writer.org_code, [request.learner_pseudonym], resource=kind, method=method)  # fmt: skip
            return
        except IntegrityError:  # a parallel first write of the same document: evaluate again against it
            if attempt:
                raise


def delete(
    home: Home,
    principal: Principal,
    kind: Kind,
    params: dict[str, str],
    *,
    if_match: str | None = None,
    if_none_match: str | None = None,
    version: str = "1.0.3",
    repeated: str | None = None,
) -> None:
    """Delete one document, or (State without ``stateId``) every State document of the context; audited.

    Deleting what is not there changes nothing and is not an error (204), as in the specification's tables.

    Raises:
        AccessDenied: the principal may not write, or the agent is a pupil not of its school.
        StatementInvalid: a parameter is wrong.
        PreconditionFailed: ``If-Match``/``If-None-Match`` on one document does not hold (412).
    """
    writer = writer_of(principal)
    request = _request(home, kind, params, "DELETE", repeated)
    _check_pupil(home, writer.org_code, request)
    with session_scope(home.engine) as session:
        if request.document_id is not None:
            row = store.own(session, writer.org_code, request)
            check(method="DELETE", kind=kind, version=version, current=_etag(row), if_match=if_match, if_none_match=if_none_match)  # fmt: skip
        gone = store.remove(session, writer.org_code, request)
        if gone:
            _audit(session, principal, "lrs_write", writer.org_code, gone, resource=kind, method="DELETE")


def read(
    home: Home, principal: Principal, kind: Kind, params: dict[str, str], *, repeated: str | None = None
) -> DocumentAnswer:
    """Answer one GET: the document named (with ``stateId``/``profileId``) or the ids in its context; audited.

    Raises:
        AccessDenied: the principal may not read learning records.
        StatementInvalid: a parameter is wrong.
        StatementNotFound: no such document inside the scope (the same for any other school's).
    """
    scope = read_scope(home, principal, LrsDocument.org_code, LrsDocument.learner_pseudonym)
    request = _request(home, kind, params, "GET", repeated)
    key = pseudonym_key(home.settings)
    with session_scope(home.engine) as session:
        if request.document_id is None:
            ids, latest, learners = store.listed(session, scope, request)
            if ids:
                _audit(session, principal, "lrs_read", None, learners, resource=kind, single=False)
            return DocumentAnswer(None, JSON_TYPE, None, latest, ids)
        row = store.readable(session, scope, request)
        if row is None:
            name = request.resource.id_param
            raise StatementNotFound(
                f"没有该文档（{name}={request.document_id}）",
                f"No such document ({name}={request.document_id})",
                **{name: request.document_id},
            )
        content = store.plain(row, key)
        _audit(session, principal, "lrs_read", row.org_code, [row.learner_pseudonym], resource=kind, single=True)
    return DocumentAnswer(content, row.content_type, row.etag, row.updated, None)
