"""The audit trail (审计日志): append-only, hash-chained events.

Every event that matters for the protection of personal information is a row
of ``audit_events``: logins and failed logins, submissions, every unmasked
read of personal information (who, purpose, dataset, fields, row count),
exports, changes of roles, users, tokens and keys, and incidents.

Each event's ``hash`` is SHA-256 over a canonical serialisation of all its
other fields, including its ``seq`` and the ``prev_hash`` of the event
before it (64 zeros for the first). The ``audit_anchor`` row holds the head
of the chain (last seq and hash), updated in the same transaction as each
append, so dropping the newest events is detected too. An auditor may *seal*
the head with an HMAC under a key the application never holds
(:func:`seal_chain`); history up to a seal then cannot be rewritten by
someone with write access to the database but without that key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, TypeDecorator, bindparam, select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, Session, mapped_column

from edubrain.errors import EduBrainError
from edubrain.store.models import Base

ZERO_HASH = "0" * 64
ANCHOR_ID = 1
MIN_KEY_LENGTH = 16
ACTIONS: dict[str, tuple[str, str]] = {
    "login": ("登录", "login"),
    "login_failed": ("登录失败", "failed login"),
    "submission": ("数据报送", "submission"),
    "transfer": ("数据转移（如学籍异动）", "transfer between organisations"),
    "report_read": ("查阅校验报告", "validation report read"),
    "read_unmasked": ("明文读取个人信息", "unmasked read of personal information"),
    "read_masked": ("脱敏读取个人信息", "masked read of personal information"),
    "export": ("数据导出", "export"),
    "role_change": ("角色变更", "role change"),
    "key_change": ("密钥变更", "key change"),
    "user_change": ("用户变更", "user change"),
    "token_issued": ("签发令牌", "token issued"),
    "token_revoked": ("吊销令牌", "token revoked"),
    "incident": ("安全事件", "security incident"),
    "audit_read": ("查阅审计日志", "audit trail read"),
    "identity_merge": ("学籍身份合并", "student records merged (identity resolution)"),
    "identity_reject": ("驳回疑似重复学籍", "duplicate candidate rejected (identity resolution)"),
    "identity_undo": ("撤销学籍身份合并", "merge of student records undone (identity resolution)"),
    "profile_read": ("查阅画像（学生、教师、学校）", "profile read (student, teacher or school)"),
    "lrs_write": ("写入学习记录（xAPI 语句）", "learning records stored (xAPI statements)"),
    "lrs_read": ("读取学习记录（xAPI 语句）", "learning records read (xAPI statements)"),
    "lrs_retention": ("按保留期限删除学习记录", "learning records deleted under the retention policy"),
    "smart_campus": (
        "智慧校园达标评定（自评、审核、认定）",
        "smart-campus evaluation (self-assessment, review, approval)",
    ),
    "smart_campus_evidence_read": ("下载智慧校园佐证材料", "smart-campus evidence downloaded"),
    "credit_bank": ("学分银行（开户、存入、认定、撤销）", "credit bank (account, deposit, recognition, revocation)"),
    "credit_bank_read": ("查阅学分银行档案", "credit-bank record read"),
    "credit_bank_evidence_read": ("下载学分银行佐证材料", "credit-bank evidence downloaded"),
    "public_service": (
        "接诉即办（受理、分拨、答复、办结、评价）",
        "public service case (intake, route, respond, close, rate)",
    ),
    "public_service_read": ("查阅接诉即办诉求原文", "public service case read in full"),
}
"""The actions an event may record, with Chinese and English titles."""

HASHED_FIELDS = tuple(
    "seq at actor actor_role org_code action dataset fields row_count purpose minors detail prev_hash".split()
)
"""The columns an event's hash covers: all but ``hash``."""

_MAX_LENGTH = {"actor": 128, "actor_role": 128, "org_code": 16, "dataset": 64, "purpose": 64}


class AuditError(EduBrainError):
    """An audit event is invalid, or the audit trail cannot be written or sealed."""

    code = "audit_error"


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` as timezone-aware UTC; a naive value is taken to be UTC already."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A ``timestamptz`` that stores and returns timezone-aware UTC, also on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Convert to UTC before storing (SQLite keeps the wall-clock time only)."""
        return None if value is None else as_utc(value)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Return aware UTC."""
        return None if value is None else as_utc(value)


class AuditEvent(Base):
    """One event of the audit trail. Rows are never updated or deleted (triggers refuse it)."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(128), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(128), nullable=True)
    org_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    dataset: Mapped[str | None] = mapped_column(String(64), nullable=True)
    fields: Mapped[list[str]] = mapped_column(JSON)
    row_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    purpose: Mapped[str | None] = mapped_column(String(64), nullable=True)
    minors: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def hashed_values(self) -> dict[str, Any]:
        """The fields the hash covers, by name."""
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the hashed fields (``at`` exactly as hashed) and ``hash``, enough to recompute it."""
        return {**self.hashed_values(), "at": utc_iso(self.at), "hash": self.hash}


class AuditAnchor(Base):
    """The head of the chain and the auditor's last seal, outside the events table (one row, ``id = 1``)."""

    __tablename__ = "audit_anchor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sealed_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sealed_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sealed_mac: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sealed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of :func:`verify_chain`.

    Attributes:
        ok: True when every event, the anchor and the seal check out.
        checked: Events found good (before the first problem, if any).
        first_bad_seq: Seq of the first bad or missing event; None when ok or not tied to one event.
        reason_zh: What was found, in Chinese.
        reason_en: What was found, in English.
        head_seq: Seq of the last good event (0 for none).
        head_hash: Hash of the last good event (64 zeros for none).
        sealed_seq: Seq of the auditor's last seal, if any.
        mac_checked: True when the seal's HMAC was checked with the key.
    """

    ok: bool
    checked: int
    first_bad_seq: int | None
    reason_zh: str
    reason_en: str
    head_seq: int = 0
    head_hash: str = ZERO_HASH
    sealed_seq: int | None = None
    mac_checked: bool = False

    def reason(self, lang: str = "zh") -> str:
        """The reason in ``lang`` (``zh`` or ``en``)."""
        return self.reason_zh if lang == "zh" else self.reason_en

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return asdict(self)


def utc_iso(value: dt.datetime) -> str:
    """ISO 8601 in UTC with microseconds, as hashed: ``2026-03-01T08:00:00.000000+00:00``."""
    return as_utc(value).isoformat(timespec="microseconds")


def canonical_bytes(values: Mapping[str, Any]) -> bytes:
    """An event's canonical serialisation: sorted-key compact JSON in UTF-8, ``at`` as :func:`utc_iso`."""
    data = {name: values[name] for name in HASHED_FIELDS} | {"at": utc_iso(values["at"])}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def event_hash(values: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of :func:`canonical_bytes`."""
    return hashlib.sha256(canonical_bytes(values)).hexdigest()


def head_mac(key: bytes, seq: int, head_hash: str) -> str:
    """HMAC-SHA256 (hex) under ``key`` of the chain head ``seq`` / ``head_hash``."""
    return hmac.new(key, f"edubrain-audit-seal:{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()


def parse_key(value: str) -> bytes:
    """An audit key from its text (surrounding whitespace ignored).

    Raises:
        AuditError: The key is shorter than 16 characters.
    """
    value = value.strip()
    if len(value) < MIN_KEY_LENGTH:
        raise AuditError(
            f"审计密钥太短：至少 {MIN_KEY_LENGTH} 个字符",
            f"The audit key is too short: at least {MIN_KEY_LENGTH} characters",
        )
    return value.encode()


def _invalid(zh: str, en: str) -> AuditError:
    return AuditError(f"审计事件无效：{zh}", f"Invalid audit event: {en}")


def _checked_values(values: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the caller's values (``detail`` as it will read back from JSON)."""
    if values["action"] not in ACTIONS:
        known = ", ".join(ACTIONS)
        raise _invalid(
            f"未知动作 {values['action']!r}；可用：{known}", f"unknown action {values['action']!r}; known: {known}"
        )
    if not values["actor"]:
        raise _invalid("缺少操作者", "no actor")
    if values["action"] == "read_unmasked" and not values["purpose"]:
        raise _invalid("明文读取个人信息必须说明用途", "an unmasked read needs a purpose")
    for name, limit in _MAX_LENGTH.items():
        if values[name] is not None and len(values[name]) > limit:
            raise _invalid(f"{name} 超过 {limit} 个字符", f"{name} is longer than {limit} characters")
    if values["row_count"] is not None and values["row_count"] < 0:
        raise _invalid("行数不能为负", "row_count is negative")
    try:
        values["fields"] = [str(f) for f in values["fields"]]
        values["detail"] = json.loads(json.dumps(values["detail"] or {}, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise _invalid(f"detail 不能表示为 JSON：{exc}", f"detail is not JSON: {exc}") from exc
    if not isinstance(values["detail"], dict):
        raise _invalid("detail 必须是字典", "detail must be a mapping")
    return values


_DEFAULTS: dict[str, Any] = {
    "actor_role": None,
    "org_code": None,
    "dataset": None,
    "fields": (),
    "row_count": None,
    "purpose": None,
    "minors": False,
    "detail": None,
}


def check_event(**values: Any) -> None:
    """Check the keyword arguments of :func:`record_event` without writing (raises :class:`AuditError`)."""
    given = {**_DEFAULTS, **values}
    given["minors"] = bool(given["minors"])
    _checked_values(given)


_TOUCH_ANCHOR = text("UPDATE audit_anchor SET last_seq = last_seq WHERE id = 1")
_LOCK_ANCHOR = select(AuditAnchor.last_seq, AuditAnchor.last_hash).where(AuditAnchor.id == ANCHOR_ID).with_for_update()
_MOVE_ANCHOR = text(
    "UPDATE audit_anchor SET last_seq = :seq, last_hash = :hash, updated_at = :at WHERE id = 1"
).bindparams(bindparam("at", type_=UTCDateTime()))
_SEAL_ANCHOR = text(
    "UPDATE audit_anchor SET sealed_seq = :seq, sealed_hash = :hash, sealed_mac = :mac, sealed_at = :at WHERE id = 1"
).bindparams(bindparam("at", type_=UTCDateTime()))


def _locked_head(session: Session) -> tuple[int, str]:
    """The anchor's (last seq, last hash), its row locked until the transaction ends.

    ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite a write comes first, which
    takes the database's writer lock, so two writers never read the same head.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(_TOUCH_ANCHOR)
    head = session.execute(_LOCK_ANCHOR).first()
    if head is None:
        raise AuditError(
            "审计锚点缺失，无法写入审计日志：请运行 edubrain audit verify",
            "The audit anchor is missing; the audit trail cannot be written: run 'edubrain audit verify'",
        )
    return head[0], head[1]


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    actor_role: str | None = None,
    org_code: str | None = None,
    dataset: str | None = None,
    fields: Sequence[str] = (),
    row_count: int | None = None,
    purpose: str | None = None,
    minors: bool = False,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail in the caller's transaction (flushed, not committed).

    The event and the action it records commit together. Writers queue on
    the anchor row (``SELECT ... FOR UPDATE`` on PostgreSQL, the writer lock
    on SQLite), so seqs are gapless and the chain has no forks.

    Args:
        session: The caller's session.
        actor: User id, node id or ``"system"``.
        action: One of :data:`ACTIONS`.
        actor_role: The actor's role id(s), if any.
        org_code: The organisation acted for, if any.
        dataset: The dataset touched, if any.
        fields: The fields read, exported or changed.
        row_count: Rows read, exported or submitted (>= 0).
        purpose: The declared purpose; required for ``read_unmasked``.
        minors: True when minors' personal information was touched.
        detail: More JSON-ready context (file name, target user, reason ...).

    Returns:
        The new event with ``seq``, ``at``, ``prev_hash`` and ``hash`` set.

    Raises:
        AuditError: The event is invalid, or the anchor is missing.
    """
    given: dict[str, Any] = {
        "actor": actor,
        "action": action,
        "actor_role": actor_role,
        "org_code": org_code,
        "dataset": dataset,
    }
    given |= {"fields": fields, "row_count": row_count, "purpose": purpose, "minors": bool(minors), "detail": detail}
    return record_events(session, [given])[0]


def record_events(session: Session, events: Sequence[Mapping[str, Any]]) -> list[AuditEvent]:
    """Append events, in order, in the caller's transaction: all checked first, one lock of the anchor, one flush.

    Each mapping holds keyword arguments of :func:`record_event` (those left out take its defaults). The
    events are chained one after the other exactly as that many calls of :func:`record_event` would chain them.

    Raises:
        AuditError: An event is invalid (then none is appended), or the anchor is missing.
    """
    checked = [
        _checked_values({**_DEFAULTS, **values, "minors": bool(values.get("minors", False))}) for values in events
    ]
    if not checked:
        return []
    last_seq, last_hash = _locked_head(session)
    added: list[AuditEvent] = []
    for values in checked:
        event = AuditEvent(seq=last_seq + 1, at=dt.datetime.now(dt.UTC), prev_hash=last_hash, **values)
        event.hash = event_hash(event.hashed_values())
        added.append(event)
        last_seq, last_hash = event.seq, event.hash
    session.add_all(added)
    session.flush()
    session.execute(_MOVE_ANCHOR, {"seq": last_seq, "hash": last_hash, "at": added[-1].at})
    return added


_EVENTS = f"SELECT {', '.join(HASHED_FIELDS)}, hash FROM audit_events"
_EVENTS_ALL, _EVENTS_AFTER = text(f"{_EVENTS} ORDER BY seq"), text(f"{_EVENTS} WHERE seq > :after ORDER BY seq")
_ANCHOR = text("SELECT last_seq, last_hash, sealed_seq, sealed_hash, sealed_mac FROM audit_anchor WHERE id = 1")
Problem = tuple[int | None, str, str]
"""A problem found: (first bad seq or None, Chinese, English)."""

_PROBLEMS = {
    "missing": ("事件 #{seq} 缺失（其后是 #{found}）：事件被删除", "event #{seq} is missing (#{found} follows): events were removed"),
    "inserted": ("出现了不应存在的事件 #{seq}（应为 #{expected}）：事件被插入", "event #{seq} should not exist (expected #{expected}): an event was inserted"),
    "link": ("事件 #{seq} 的 prev_hash 与前一事件的哈希不符：事件被插入、删除、调换顺序或改写", "event #{seq}'s prev_hash does not match the previous event's hash: events were inserted, removed, reordered or rewritten"),
    "unreadable": ("事件 #{seq} 无法解析（{error}）：事件被修改", "event #{seq} cannot be parsed ({error}): it was edited"),
    "edited": ("事件 #{seq} 的内容与其哈希不符：事件被修改", "event #{seq} does not match its hash: it was edited"),
    "truncated": ("锚点记录的最后事件是 #{last}，日志却止于 #{head}：最新的事件被删除（截断）", "the anchor's last event is #{last} but the log ends at #{head}: the newest events were removed"),
    "beyond": ("事件 #{seq} 起超出锚点记录的最后事件 #{last}：事件被追加或锚点被回退", "events from #{seq} lie beyond the anchor's last event #{last}: appended by hand, or the anchor was rolled back"),
    "replaced": ("事件 #{seq} 的哈希与锚点不符：最后一个事件被替换", "event #{seq}'s hash differs from the anchor's: the last event was replaced"),
    "seal": ("审计员封印（至 #{sealed}）不符：封印之前的日志被整体重写，或封印被篡改", "the auditor's seal (up to #{sealed}) does not match: history before it was rewritten, or the seal was tampered with"),
    "unsealed": ("有审计员密钥，但锚点中没有封印：尚未封印（请运行 edubrain audit seal），或封印被删除", "a key was given but the anchor holds no seal: never sealed (run 'edubrain audit seal'), or the seal was removed"),
    "no_anchor": ("审计锚点缺失：无法排除最新事件被删除", "the audit anchor is missing: truncation cannot be ruled out"),
}  # fmt: skip


def _problem(kind: str, seq: int | None, **values: Any) -> Problem:
    zh, en = _PROBLEMS[kind]
    return seq, zh.format(seq=seq, **values), en.format(seq=seq, **values)


def _raw_values(row: Mapping[Any, Any]) -> dict[str, Any]:
    """Event values from the driver's raw row (on SQLite: text and integers), parsed strictly."""
    values = dict(row)
    if isinstance(values["at"], str):
        values["at"] = dt.datetime.fromisoformat(values["at"])
    if not isinstance(values["at"], dt.datetime):
        raise ValueError("at is not a timestamp")
    for name in ("fields", "detail"):
        if isinstance(values[name], str):
            values[name] = json.loads(values[name])
    if isinstance(values["minors"], float) or values["minors"] not in (0, 1):
        raise ValueError("minors is not a boolean")
    values["minors"] = bool(values["minors"])
    return values


def _event_problem(row: Mapping[Any, Any], expected: int, prev_hash: str) -> Problem | None:
    """What is wrong with the event read where seq ``expected`` should be, or None."""
    seq = row["seq"]
    if isinstance(seq, int) and seq > expected:
        return _problem("missing", expected, found=seq)
    if seq != expected:
        return _problem("inserted", seq, expected=expected)
    if row["prev_hash"] != prev_hash:
        return _problem("link", seq)
    try:
        good = event_hash(_raw_values(row)) == row["hash"]
    except (ValueError, TypeError) as exc:
        return _problem("unreadable", seq, error=exc)
    return None if good else _problem("edited", seq)


def _scan(session: Session, head_seq: int, head_hash: str) -> tuple[Problem | None, int, str]:
    """Check the events after ``head_seq`` in seq order; returns (problem, new head seq, new head hash)."""
    stmt = _EVENTS_AFTER if head_seq else _EVENTS_ALL  # from the start: also any seq <= 0 someone inserted
    rows = session.execute(stmt, {"after": head_seq}, execution_options={"yield_per": 1000}).mappings()
    for row in rows:
        problem = _event_problem(row, head_seq + 1, head_hash)
        if problem:
            rows.close()
            return problem, head_seq, head_hash
        head_seq, head_hash = row["seq"], row["hash"]
    return None, head_seq, head_hash


def _anchor_problem(
    session: Session, anchor: Any, head_seq: int, head_hash: str, key: bytes | None, sealing: bool
) -> Problem | None:
    """Where the anchor (or the seal in it) disagrees with the verified chain, or None."""
    if anchor is None:
        return _problem("no_anchor", None)
    last_seq, last_hash, sealed_seq, sealed_hash, sealed_mac = anchor
    if last_seq > head_seq:
        return _problem("truncated", head_seq + 1, last=last_seq, head=head_seq)
    if last_seq < head_seq:
        return _problem("beyond", last_seq + 1, last=last_seq)
    if last_hash != head_hash:
        return _problem("replaced", head_seq)
    if sealed_seq is None:
        return _problem("unsealed", None) if key and not sealing else None
    found = session.execute(text("SELECT hash FROM audit_events WHERE seq = :s"), {"s": sealed_seq}).scalar()
    if found != sealed_hash or (key and not hmac.compare_digest(sealed_mac or "", head_mac(key, sealed_seq, found))):
        return _problem("seal", None, sealed=sealed_seq)
    return None


def verify_chain(session: Session, *, key: bytes | None = None) -> VerifyResult:
    """Check every event's link and hash, then the anchor, then the auditor's seal.

    Finds edited, removed, inserted, reordered and truncated events and names
    the first bad one. Events appended while it runs are checked too.

    Args:
        session: A session on the operational database.
        key: The auditor's key; with it the seal's HMAC is checked, without it only its consistency.

    Returns:
        The result; ``ok`` is False at the first problem found. With ``key``
        a seal must exist (else someone may have removed it).
    """
    return _verify(session, key, sealing=False)


def _verify(session: Session, key: bytes | None, sealing: bool) -> VerifyResult:
    head_seq, head_hash = 0, ZERO_HASH
    for _ in range(100):  # the anchor is read after the events: catch up with events appended meanwhile
        problem, seen, head_hash = _scan(session, head_seq, head_hash)
        progressed, head_seq = seen > head_seq, seen
        anchor = session.execute(_ANCHOR).first()
        if problem or anchor is None or anchor[0] <= head_seq or not progressed:
            break
    problem = problem or _anchor_problem(session, anchor, head_seq, head_hash, key, sealing)
    sealed = None if anchor is None else anchor[2]
    if problem:
        return VerifyResult(False, head_seq, *problem, head_seq=head_seq, head_hash=head_hash, sealed_seq=sealed)
    mac = key is not None and sealed is not None
    zh = f"审计链完整：已校验 {head_seq} 个事件" + (f"，审计员封印（至 #{sealed}）正确" if mac else "")
    en = f"the audit chain is intact: {head_seq} events checked" + (
        f", the auditor's seal (to #{sealed}) holds" if mac else ""
    )
    return VerifyResult(True, head_seq, None, zh, en, head_seq, head_hash, sealed, mac)


def seal_chain(session: Session, key: bytes) -> VerifyResult:
    """Verify the chain with ``key``, then seal its head: store the head's HMAC in the anchor.

    Run by the auditor (``edubrain audit seal``) with a key the application
    does not hold. The seal only moves forward.

    Raises:
        AuditError: The chain does not verify (nothing is sealed), or it is empty.
    """
    result = _verify(session, key, sealing=True)
    if not result.ok:
        raise AuditError(
            f"审计链校验未通过，未封印：{result.reason_zh}", f"Not sealed: the chain fails: {result.reason_en}"
        )
    if result.head_seq == 0:
        raise AuditError("审计日志为空，无可封印", "The audit trail is empty: nothing to seal")
    _locked_head(session)
    mac = head_mac(key, result.head_seq, result.head_hash)
    at = dt.datetime.now(dt.UTC)
    session.execute(_SEAL_ANCHOR, {"seq": result.head_seq, "hash": result.head_hash, "mac": mac, "at": at})
    return replace(result, sealed_seq=result.head_seq, mac_checked=True)


def list_events(
    session: Session,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> list[AuditEvent]:
    """The newest ``limit`` events that match, oldest first.

    Args:
        session: A session on the operational database.
        since: Events at or after this time (naive means UTC).
        until: Events before this time (naive means UTC).
        actor: Only this actor's events.
        action: Only this action's events.
        limit: At most this many events (at least 1).
    """
    stmt = select(AuditEvent)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= as_utc(since))
    if until is not None:
        stmt = stmt.where(AuditEvent.at < as_utc(until))
    if actor is not None:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    newest = session.scalars(stmt.order_by(AuditEvent.seq.desc()).limit(max(limit, 1))).all()
    return list(reversed(newest))


def iter_events(session: Session, since: dt.datetime, until: dt.datetime) -> Iterator[AuditEvent]:
    """Every event in ``[since, until)`` in seq order, streamed (for a year's report)."""
    stmt = select(AuditEvent).where(AuditEvent.at >= as_utc(since), AuditEvent.at < as_utc(until))
    yield from session.scalars(stmt.order_by(AuditEvent.seq), execution_options={"yield_per": 1000})
