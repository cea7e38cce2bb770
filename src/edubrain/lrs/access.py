"""The governed door of the LRS: who may write and read statements, and the audit of both.

Adapters (the ``/xAPI`` router) call only this module. Rules (docs/lrs.md, "权限"):

- **write**: a school's learning applications, through a node API key of that school, and the school's
  administrator (``school_admin``). Statements belong to that school. A statement naming a pupil
  (``account.homePage`` = :data:`~edubrain.lrs.agents.LEARNER_HOMEPAGE`) is accepted only if every pupil it names
  is stored in the lake as a student of that school. Teachers, districts, the city and others do not write.
- **read**: a school's node key and administrator read the school's statements; a teacher the statements of its
  school whose actor is a pupil of its classes; a student its own, a parent its children's (any school's).
  Districts, the city, analysts, auditors and the public read none (they get the lake export, not pupils' streams).
  A statement outside the scope is answered exactly like an unknown one (404), in lists it is simply absent.
- **audit**: every write is an ``lrs_write`` event; every read that returns statements is an ``lrs_read`` event
  (``minors`` when a pupil's statement is among them; purpose ``self_access`` for students and parents, else
  ``routine_duty``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edubrain.governance import tokens
from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.governance.lookups import stored_lookup
from edubrain.governance.policy import role
from edubrain.governance.pseudonyms import pseudonym_key
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.governance.signin import API_KEY_PREFIX
from edubrain.governance.tokens import signing_key
from edubrain.home import Home
from edubrain.lrs import activities, agents, attachment_files, paging, query
from edubrain.lrs.attachments import attachments_of, matched
from edubrain.lrs.errors import StatementInvalid, StatementNotFound
from edubrain.lrs.formats import shaped
from edubrain.lrs.models import LrsStatement
from edubrain.lrs.multipart import OutPart, Part
from edubrain.lrs.params import statement_request
from edubrain.lrs.storage import Writer, iri_hash, iso, original, original_json, store_statements
from edubrain.lrs.validation import validate_statement
from edubrain.store.db import session_scope

DATASET = "xapi_statements"
WRITER_ROLES = ("school_admin", "node")


@dataclass(frozen=True)
class StatementAnswer:
    """A GET's answer: one statement (``single``) or a list with its ``more`` cursor, and the times to report.

    ``documents`` are the statements as compact UTF-8 JSON, ready to send: in the ``exact`` format the text that
    was sealed, never parsed and written again.
    """

    documents: list[bytes]
    single: bool
    attachments: bool
    more: str | None
    consistent_through: str
    last_modified: dt.datetime | None
    attachment_parts: list[OutPart]

    @property
    def statements(self) -> list[dict[str, Any]]:
        """The statements, parsed."""
        return [json.loads(d) for d in self.documents]


def writer_of(principal: Principal) -> Writer:
    """The school ``principal`` writes for, and the authority set on its statements.

    Raises:
        AccessDenied: no grant may write statements, or grants of several schools do.
    """
    schools = sorted({g.org_code for g in principal.grants if g.role in WRITER_ROLES and g.org_level == "school"})
    if not schools:
        raise AccessDenied(
            f"{principal.name} 不能写入学习记录：只有学校的节点 API 密钥和学校管理员可以",
            f"{principal.name} may not store statements: only a school's node API key and school administrator may",
        )
    if len(schools) > 1:
        raise AccessDenied(
            f"{principal.name} 可代表多所学校（{', '.join(schools)}），请使用其中一所学校的凭据",
            f"{principal.name} acts for several schools ({', '.join(schools)}): use one school's credential",
        )
    authority = {"objectType": "Agent", "account": {"homePage": agents.CLIENT_HOMEPAGE, "name": principal.id}}
    return Writer(principal.id, schools[0], authority)


@dataclass(frozen=True, repr=False)
class Credential:
    """A caller's access token or node API key, checked inside the request's own transaction.

    The check (and the key's ``last_used_at``) commits with the statements stored or the read's audit event: one
    transaction, one commit per request instead of two. A check that fails raises before anything else is done.
    """

    token: str


Caller = Principal | Credential
"""Who calls: a principal already known (another module's own check), or a credential still to be checked."""


def _principal(home: Home, session: Session, caller: Caller) -> Principal:
    """The principal of ``caller`` (:func:`edubrain.governance.signin.principal_of_token`, in ``session``).

    Raises:
        AuthError: the token or key is invalid, expired, revoked, or its account disabled.
    """
    if isinstance(caller, Principal):
        return caller
    if caller.token.startswith(API_KEY_PREFIX):
        return tokens.verify_api_key(session, caller.token)
    return tokens.verify_access_token(session, home.settings, caller.token)


def store(
    home: Home, caller: Caller, statements: list[Any], version: str, parts: list[Part] | None = None
) -> list[str]:
    """Validate and store a batch for the caller's school (all or nothing, audited); returns the ids.

    ``parts`` are the attachment parts of a ``multipart/mixed`` request; their data is kept sealed in the
    school's attachment folder (:mod:`edubrain.lrs.attachment_files`), written before the transaction commits.

    Raises:
        AuthError: the credential is not valid.
        AccessDenied: the principal may not write, or a statement names a pupil not of its school.
        StatementInvalid: a statement or attachment breaks the specification (nothing is stored).
        StatementConflict: an id is stored with a different statement (nothing is stored).
    """
    key = pseudonym_key(home.settings)
    checked: tuple[Writer, bool, list[Any]] | None = None
    for attempt in range(2):
        created: list[Path] = []
        try:
            with session_scope(home.engine) as session:
                principal = _principal(home, session, caller)
                writer, minors, data = checked = checked or _checked(home, principal, statements, parts or [])
                ids = store_statements(session, key, writer, statements, version)
                created = attachment_files.save(home.settings.home, key, writer.org_code, data)
                record_event(
                    session,
                    actor=principal.id,
                    actor_role=_roles(principal),
                    org_code=writer.org_code,
                    action="lrs_write",
                    dataset=DATASET,
                    row_count=len(ids),
                    minors=minors,
                    detail={"statements": len(ids), "attachments": len(data)},
                )
            return ids
        except IntegrityError:  # the same id stored by a parallel request: compare again (no-op or 409)
            attachment_files.discard(created)
            if attempt:
                raise
        except BaseException:
            attachment_files.discard(created)
            raise
    raise AssertionError("unreachable")


def _checked(
    home: Home, principal: Principal, statements: list[Any], parts: list[Part]
) -> tuple[Writer, bool, list[Any]]:
    """The writer of a valid batch, whether it names pupils, and its attachments' data matched to their parts.

    Raises:
        AccessDenied: the principal may not write, or a statement names a pupil not of its school.
        StatementInvalid: a statement or attachment breaks the specification.
    """
    writer = writer_of(principal)
    if not statements:
        raise StatementInvalid("语句批次为空", "The batch holds no statement")
    for i, statement in enumerate(statements):
        validate_statement(statement, f"statement[{i}]" if len(statements) > 1 else "statement")
    named = set().union(*(agents.learner_ids(s) for s in statements))
    if named:
        pupils = set(stored_lookup(home, "students", "student_id", "school_code")(writer.org_code))
        outside = sorted(named - pupils)
        if outside:
            raise AccessDenied(
                f"语句中的学生不是学校 {writer.org_code} 已登记的学生：{', '.join(outside[:5])}",
                f"Statements name students not stored for school {writer.org_code}: {', '.join(outside[:5])}",
            )
    return writer, bool(named), matched(statements, parts)


def read_scope(
    home: Home,
    principal: Principal,
    org_code: Any = LrsStatement.org_code,
    learner_pseudonym: Any = LrsStatement.learner_pseudonym,
) -> ColumnElement[bool]:
    """The statements ``principal`` may read, as a SQL condition (see the module's rules).

    ``org_code`` and ``learner_pseudonym`` are the columns the condition tests: a statement's by default, a
    document's (:mod:`edubrain.lrs.documents`) under the same rules.

    Raises:
        AccessDenied: no grant may read statements.
    """
    scope = Scope.of(home, principal)
    pseudonyms_of = scope.pseudonyms_of
    assert pseudonyms_of is not None
    clauses: list[ColumnElement[bool]] = []
    for grant in principal.grants:
        kind = role(grant.role).scope
        if grant.role in WRITER_ROLES and grant.org_level == "school":
            clauses.append(org_code == grant.org_code)
        elif kind == "class":
            pupils = pseudonyms_of(",".join(scope.students_of(",".join(grant.refs))))
            clauses.append(and_(org_code == grant.org_code, learner_pseudonym.in_(pupils)))
        elif kind in ("self", "children"):
            clauses.append(learner_pseudonym.in_(pseudonyms_of(",".join(grant.refs))))
    if not clauses:
        raise AccessDenied(
            f"{principal.name} 无权读取学习记录", f"{principal.name} may not read learning records (xAPI statements)"
        )
    return or_(false(), *clauses)


def read(
    home: Home,
    caller: Caller,
    params: dict[str, str],
    *,
    accept_language: str | None = None,
    purpose: str | None = None,
) -> StatementAnswer:
    """Answer one ``GET /xAPI/statements`` (``params`` as sent; ``more`` continues a list), audited.

    ``purpose``: a purpose the caller already declared and checked (e.g. a teacher's, for the mastery pages);
    the audit event records it instead of the default (``self_access`` or ``routine_duty``).

    Raises:
        AuthError: the credential is not valid.
        AccessDenied: the principal may not read statements.
        StatementInvalid: a parameter is unknown, malformed or conflicting; the cursor is not valid.
        StatementNotFound: no statement with the id asked inside the scope (the same for any other school's).
    """
    key = pseudonym_key(home.settings)
    now = dt.datetime.now(dt.UTC)
    with session_scope(home.engine) as session:
        principal = _principal(home, session, caller)
        scope = read_scope(home, principal)
        after = None
        if "more" in params:
            if len(params) > 1:
                raise StatementInvalid("more 不能与其他参数同时使用", "'more' cannot be combined with other parameters")  # fmt: skip
            params, after = paging.read_cursor(signing_key(home.settings), principal.id, params["more"], now)
        request = statement_request(params, key)
        if request.statement_id is not None:
            row = query.single(session, scope, request.statement_id, voided=request.voided)
            if row is None:
                raise StatementNotFound(
                    f"没有语句 {request.statement_id}",
                    f"No statement {request.statement_id}",
                    statement_id=request.statement_id,  # fmt: skip
                )
            rows, cursor = [row], None
        else:
            page = query.statements(session, scope, request.filter, after)
            rows = page.rows
            cursor = None if page.after is None else paging.make_cursor(signing_key(home.settings), principal.id, params, page.after, now)  # fmt: skip
        parts: list[OutPart] = []
        if request.fmt == "exact" and not request.attachments:  # as sealed: no parsing, no writing again
            documents = [original_json(r, key) for r in rows]
        else:
            exact = [original(r, key) for r in rows]
            documents = [_json(shaped(s, request.fmt, accept_language)) for s in exact]
            parts = _attachment_parts(home, rows, exact) if request.attachments else []
        if rows:
            _audit_read(session, principal, rows, single=request.statement_id is not None, purpose=purpose, attachments=len(parts))  # fmt: skip
    return StatementAnswer(
        documents=documents,
        single=request.statement_id is not None,
        attachments=request.attachments,
        more=cursor,
        consistent_through=iso(now),
        last_modified=rows[0].stored if request.statement_id is not None else None,
        attachment_parts=parts,
    )


def activity(home: Home, principal: Principal, params: dict[str, str]) -> dict[str, Any]:
    """Answer ``GET /xAPI/activities``: the Activity with its definition as the caller's statements give it.

    Raises:
        AccessDenied: the principal may not read statements.
        StatementInvalid: ``activityId`` is missing or malformed, or another parameter is given.
    """
    activity_id = activities.activity_request(params)
    scope = read_scope(home, principal)
    with session_scope(home.engine) as session:
        rows = query.mentioning(session, scope, "activity", iri_hash(activity_id), activities.MAX_SCAN)
        found = activities.canonical_activity(activity_id, [r.statement for r in rows])
        if rows:  # definitions are not personal data: not counted as a read of minors' records
            _audit_read(session, principal, rows, single=True, resource="activities", minors=False)
    return found


def person(home: Home, principal: Principal, params: dict[str, str]) -> dict[str, Any]:
    """Answer ``GET /xAPI/agents``: the Person of the agent asked, from statements the caller may read only.

    Raises:
        AccessDenied: the principal may not read statements.
        StatementInvalid: ``agent`` is missing, malformed or a Group, or another parameter is given.
    """
    agent = activities.agent_request(params)
    scope = read_scope(home, principal)
    key = pseudonym_key(home.settings)
    code = agents.agent_pseudonym(agent, key)
    assert code is not None  # an Agent always has an identifier
    with session_scope(home.engine) as session:
        rows = query.mentioning(session, scope, "agent", code, activities.MAX_SCAN)
        found = activities.person(agent, [original(r, key) for r in rows], key)
        if rows:
            _audit_read(session, principal, rows, single=True, resource="agents")
    return found


def _attachment_parts(home: Home, rows: list[query.FoundRow], exact: list[dict[str, Any]]) -> list[OutPart]:
    """The stored data of the returned statements' attachments, each from its statement's school, once per hash."""
    key = pseudonym_key(home.settings)
    parts: dict[str, OutPart] = {}
    for row, statement in zip(rows, exact, strict=True):
        for _, attachment in attachments_of(statement):
            sha2 = str(attachment["sha2"]).lower()
            if sha2 in parts:
                continue
            data = attachment_files.load(home.settings.home, key, row.org_code, sha2)
            if data is not None:
                parts[sha2] = OutPart(sha2, attachment["contentType"], data)
    return list(parts.values())


def _audit_read(
    session: Any,
    principal: Principal,
    rows: Sequence[query.FoundRow] | Sequence[LrsStatement],
    *,
    single: bool,
    purpose: str | None = None,
    attachments: int = 0,
    resource: str = "statements",
    minors: bool | None = None,
) -> None:
    own = bool(principal.grants) and all(role(g.role).scope in ("self", "children") for g in principal.grants)
    orgs = sorted({r.org_code for r in rows})
    record_event(
        session,
        actor=principal.id,
        actor_role=_roles(principal),
        org_code=orgs[0] if len(orgs) == 1 else None,
        action="lrs_read",
        dataset=DATASET,
        row_count=len(rows),
        purpose=purpose or ("self_access" if own else "routine_duty"),
        minors=any(r.learner_pseudonym is not None for r in rows) if minors is None else minors,
        detail={
            "resource": resource,
            "single": single,
            "attachments": attachments,
            "learners": sorted({r.learner_pseudonym for r in rows if r.learner_pseudonym})[:50],
        },
    )


def _json(statement: dict[str, Any]) -> bytes:
    """A statement as compact UTF-8 JSON, as :func:`edubrain.lrs.sealing.seal` writes it."""
    return json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _roles(principal: Principal) -> str | None:
    return ",".join(sorted({g.role for g in principal.grants})) or None
