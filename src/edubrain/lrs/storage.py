"""Storing statements: ids, ``stored``/``timestamp``/``authority``/``version`` set, conflicts, voiding.

Rules (xAPI 1.0.3 Communication §2.1.1–§2.1.2 and Data §2.3, IEEE 9274.1.1 §4.1.6.1 and §4.2):

- a statement without ``id`` gets a new UUID; two statements of one batch with the same id reject the batch (400);
- a stored id with an equal statement is a no-op, with a different one a conflict (409): either way nothing of
  the LRS's state changes. Equality ignores case, group member order, ``id``, ``authority``, ``stored``,
  ``timestamp``, ``version``, attachments, verb display and activity definitions (:func:`comparable`);
- the LRS sets ``stored`` (now, to the millisecond) and ``authority`` (the credential), keeps a given ``timestamp``
  (else sets it to ``stored``) and ``version`` (else ``1.0.0`` or ``2.0.0`` by the request's version);
- a voiding statement (verb ``…/voided``) voids its target, stored before or after it; it may not target another
  voiding statement (400); a voiding statement is never voided.

One batch is one transaction: all stored or none. Ids are unique per organisation (see :mod:`edubrain.lrs.models`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from edubrain.governance.pseudonyms import PseudonymKey
from edubrain.lrs import agents, sealing
from edubrain.lrs.errors import StatementConflict, StatementInvalid
from edubrain.lrs.models import LrsStatement, LrsStatementRef
from edubrain.lrs.validation import VOIDED

_IGNORED = ("id", "authority", "stored", "timestamp", "version", "attachments")
_STATEMENTS: Table = LrsStatement.__table__  # type: ignore[assignment]
_INSERT_REFS = f"INSERT INTO {LrsStatementRef.__tablename__} (statement_pk, kind, value, is_primary) VALUES"


@dataclass(frozen=True)
class Writer:
    """Who stores: the principal's id, the school the statements belong to, and the authority agent set."""

    principal_id: str
    org_code: str
    authority: dict[str, Any]


def iri_hash(value: str) -> str:
    """SHA-256 (hex) of an IRI: the fixed-width form the verb and activity filters match on."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def iso(moment: dt.datetime) -> str:
    """An xAPI timestamp, UTC to the millisecond: ``2026-12-07T08:00:00.123Z``."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def comparable(statement: dict[str, Any]) -> Any:
    """The parts of a statement that decide whether two are the same (IEEE 9274.1.1 §4.2, xAPI Data §2.3.1)."""

    def norm(value: Any, parent: str = "") -> Any:
        if isinstance(value, dict):
            out = {k: norm(v, k) for k, v in value.items() if not (k == "definition" or (parent == "verb" and k == "display"))}  # fmt: skip
            if isinstance(out.get("member"), list):
                out["member"] = sorted(out["member"], key=repr)
            return out
        if isinstance(value, list):
            return [norm(v, parent) for v in value]
        return value.lower() if isinstance(value, str) else value

    return norm({k: v for k, v in statement.items() if k not in _IGNORED})


def store_statements(
    session: Session, key: PseudonymKey, writer: Writer, statements: list[dict[str, Any]], version: str
) -> list[str]:
    """Store a batch of validated statements for ``writer``; returns their ids in order (stored or already there).

    Raises:
        StatementInvalid: duplicate ids in the batch, or a statement voids a voiding statement.
        StatementConflict: an id is stored with a different statement.
    """
    moment = dt.datetime.now(dt.UTC)
    now = moment.replace(microsecond=moment.microsecond // 1000 * 1000)  # stored as shown: to the millisecond
    ids = [str(uuid.UUID(s["id"])) if "id" in s else str(uuid.uuid4()) for s in statements]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise StatementInvalid(
            f"同一批次中语句 id {duplicate} 出现多次",
            f"Statement id {duplicate} occurs more than once in the batch",
            statement_id=duplicate,
        )
    existing = _existing(session, key, writer.org_code, ids)
    fresh: list[tuple[str, dict[str, Any]]] = []
    for statement_id, statement in zip(ids, statements, strict=True):
        full = _completed(statement, statement_id, now, writer, version)
        if statement_id in existing:
            if comparable(existing[statement_id]) != comparable(full):
                raise StatementConflict(
                    f"语句 id {statement_id} 已存储为不同的语句，未作任何改动",
                    f"Statement id {statement_id} is stored with a different statement; nothing was changed",
                    statement_id=statement_id,
                )
            continue
        fresh.append((statement_id, full))
    _check_voiding(session, writer.org_code, fresh)
    _insert_all(session, key, writer, fresh, now)
    session.flush()
    return ids


def _completed(
    statement: dict[str, Any], statement_id: str, now: dt.datetime, writer: Writer, version: str
) -> dict[str, Any]:
    full = {**statement, "id": statement_id, "stored": iso(now), "authority": writer.authority}
    full.setdefault("timestamp", full["stored"])
    full.setdefault("version", "1.0.0" if version.startswith("1.") else "2.0.0")
    return full


def _existing(session: Session, key: PseudonymKey, org_code: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = session.execute(
        select(*SEALED_COLUMNS).where(LrsStatement.org_code == org_code, LrsStatement.statement_id.in_(ids))
    )
    return {row.statement_id: original(row, key) for row in rows}


class SealedRow(Protocol):
    """What :func:`original` reads of a row: an ``LrsStatement`` or a row of :data:`SEALED_COLUMNS`."""

    @property
    def statement_id(self) -> str:
        """The statement's id."""

    @property
    def org_code(self) -> str:
        """The school that stored it."""

    @property
    def sealed(self) -> str:
        """The exact statement, sealed."""

    @property
    def key_id(self) -> str:
        """The id of the key it was sealed under."""


SEALED_COLUMNS = (LrsStatement.statement_id, LrsStatement.org_code, LrsStatement.sealed, LrsStatement.key_id)
"""The columns :func:`original` needs (selected alone, not the whole row with its pseudonymous copy)."""


def original(row: SealedRow, key: PseudonymKey) -> dict[str, Any]:
    """The statement of ``row`` exactly as stored (unsealed)."""
    return sealing.unseal(row.sealed, key, key_id=row.key_id, org_code=row.org_code, statement_id=row.statement_id)


def original_json(row: SealedRow, key: PseudonymKey) -> bytes:
    """The statement of ``row`` exactly as stored, as the compact UTF-8 JSON it was sealed as (not parsed)."""
    return sealing.unseal_json(row.sealed, key, key_id=row.key_id, org_code=row.org_code, statement_id=row.statement_id)  # fmt: skip


def _target(statement: dict[str, Any]) -> str | None:
    target = statement["object"]
    return str(uuid.UUID(target["id"])) if target.get("objectType") == "StatementRef" else None


def _check_voiding(session: Session, org_code: str, fresh: list[tuple[str, dict[str, Any]]]) -> None:
    """A voiding statement may not target a voiding statement (stored, or earlier in the batch)."""
    voiding_in_batch = {i for i, s in fresh if s["verb"]["id"] == VOIDED}
    for statement_id, statement in fresh:
        if statement["verb"]["id"] != VOIDED:
            continue
        target = _target(statement)
        stored_voiding = session.scalar(
            select(LrsStatement.pk).where(
                LrsStatement.org_code == org_code, LrsStatement.statement_id == target, LrsStatement.voiding.is_(True)
            )
        )
        if target in voiding_in_batch or stored_voiding is not None:
            raise StatementInvalid(
                f"语句 {statement_id} 试图作废作废语句 {target}：作废语句不能被作废",
                f"Statement {statement_id} targets the voiding statement {target}: a voiding statement cannot be voided",
                statement_id=statement_id,
            )


def _insert_all(
    session: Session, key: PseudonymKey, writer: Writer, fresh: list[tuple[str, dict[str, Any]]], now: dt.datetime
) -> None:
    """Insert the batch's new statements and their references: two multi-row INSERTs, not a flush per statement.

    A statement is stored voided when a voiding statement names it, stored before or in this batch; targets stored
    before are voided by one UPDATE.
    """
    if not fresh:
        return
    targets = {t for _, s in fresh if s["verb"]["id"] == VOIDED and (t := _target(s)) is not None}
    voided_before = {
        target
        for target in session.scalars(
            select(LrsStatement.object_statement_id).where(
                LrsStatement.org_code == writer.org_code,
                LrsStatement.voiding.is_(True),
                LrsStatement.object_statement_id.in_([i for i, _ in fresh]),
            )
        )
        if target is not None
    }
    rows, people = [], []
    for statement_id, full in fresh:
        row, found = _row(key, writer, statement_id, full, now, targets | voided_before)
        rows.append(row)
        people.append(found)
    connection = session.connection()  # Core executemany: no ORM unit of work for rows it never loads again
    inserted = insert(_STATEMENTS).returning(_STATEMENTS.c.pk, sort_by_parameter_order=True)
    pks = list(connection.execute(inserted, rows).scalars())
    refs: list[tuple[int, str, str, bool]] = []
    for pk, (_, full), found in zip(pks, fresh, people, strict=True):
        refs += [(pk, "agent", code, primary) for code, primary in found.items()]
        refs += [(pk, "activity", iri_hash(i), primary) for i, primary in agents.activity_refs(full).items()]
    if refs:  # plain values, no type to process: straight to the driver's executemany
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        connection.exec_driver_sql(f"{_INSERT_REFS} ({', '.join([mark] * 4)})", refs)  # type: ignore[arg-type]
    if targets:
        session.execute(
            update(LrsStatement)
            .where(
                LrsStatement.org_code == writer.org_code,
                LrsStatement.statement_id.in_(sorted(targets)),
                LrsStatement.voiding.is_(False),
            )
            .values(voided=True)
        )


def _row(
    key: PseudonymKey, writer: Writer, statement_id: str, full: dict[str, Any], now: dt.datetime, voided: set[str]
) -> tuple[dict[str, Any], dict[str, bool]]:
    """The ``lrs_statements`` values of one statement and its agents' pseudonyms (as ``agents.agent_refs``).

    ``voided``: the ids a voiding statement names.
    """
    voiding = full["verb"]["id"] == VOIDED
    actor_learner = agents.learner_id(full["actor"])
    context = full.get("context", {})
    copy, people = agents.pseudonymous_with_refs(full, key)
    return {
        "statement_id": statement_id,
        "org_code": writer.org_code,
        "stored": now,
        "verb_hash": iri_hash(full["verb"]["id"]),
        "registration": str(uuid.UUID(context["registration"])) if "registration" in context else None,
        "learner_pseudonym": None if actor_learner is None else agents.agent_pseudonym(full["actor"], key),
        "object_statement_id": _target(full),
        "voiding": voiding,
        "voided": not voiding and statement_id in voided,
        "statement": copy,
        "sealed": sealing.seal(full, key, org_code=writer.org_code, statement_id=statement_id),
        "key_id": key.key_id,
        "writer": writer.principal_id,
    }, people
