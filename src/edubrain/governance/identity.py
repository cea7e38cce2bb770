"""Local accounts: Argon2id passwords, role grants, login with throttling.

A principal is a user with role grants; each grant names a role, the
organisation it applies in and, for teachers, students and parents, the
classes or students it covers.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from edubrain.config import Settings
from edubrain.errors import EduBrainError
from edubrain.governance import policy
from edubrain.governance.models import LoginAttempt, RoleGrant, User
from edubrain.store.models import Organisation, utcnow

if TYPE_CHECKING:
    from edubrain.home import Home

_HASHER = PasswordHasher()  # Argon2id with the library's (RFC 9106 low-memory) parameters
MIN_PASSWORD = 10
_ROLE_LEVELS = {
    "city": {"city"},
    "district": {"district"},
    "school": {"school"},
    "class": {"school"},
    "self": {"school"},
    "children": {"school", "district", "city"},
    "organisation": {"city", "district", "school"},
    "none": {"city", "district", "school"},
}
"""Organisation levels in which a role of each scope kind may be granted."""


class AuthError(EduBrainError):
    """Login failed, a token is invalid, or an account is disabled or locked."""

    exit_code = 3
    code = "auth_error"


class AccountError(EduBrainError):
    """An account cannot be created or changed as asked."""

    code = "account_error"


@dataclass(frozen=True)
class Grant:
    """One role held in one organisation (refs: class ids for teachers, student ids for students and parents)."""

    role: str
    org_code: str
    org_level: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Principal:
    """Who is acting: a user (or node) and the grants that define what it may see."""

    id: str
    name: str
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    kind: str = "user"

    def roles(self) -> list[policy.Role]:
        """The roles of the grants."""
        return [policy.role(g.role) for g in self.grants]

    def may(self, ability: str) -> bool:
        """Whether any grant's role has ``ability`` (``may_submit``, ``may_query``, ``may_manage_users``)."""
        return any(getattr(r, ability) for r in self.roles())


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (refuses passwords shorter than 10 characters)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符", f"A password needs at least {MIN_PASSWORD} characters")
    return _HASHER.hash(password)


def add_user(
    session: Session, username: str, password: str | None, org_code: str, display_name: str | None = None
) -> User:
    """Create a user in ``org_code``; ``password`` None makes an account that can only log in through OIDC."""
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError(f"用户 {username} 已存在", f"User {username} already exists", username=username)
    _organisation(session, org_code)
    user = User(
        id=uuid.uuid4().hex,
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password) if password else None,
        org_code=org_code,
    )
    session.add(user)
    session.flush()
    return user


def _organisation(session: Session, code: str) -> Organisation:
    org = session.get(Organisation, code)
    if org is None:
        raise AccountError(
            f"单位 {code} 不在单位树中", f"Organisation {code} is not in the organisation tree", org=code
        )
    return org


def grant(session: Session, username: str, role_id: str, org_code: str, refs: list[str] | None = None) -> RoleGrant:
    """Give ``username`` the role ``role_id`` in ``org_code`` (checking the role fits the organisation's level)."""
    user = get_user(session, username)
    role = policy.role(role_id)
    org = _organisation(session, org_code)
    if org.level not in _ROLE_LEVELS[role.scope]:
        raise AccountError(
            f"角色 {role.title_zh} 不能授予{org.level}级单位 {org_code}",
            f"Role {role_id} cannot be granted in a {org.level} organisation ({org_code})",
        )
    if role.scope in ("class", "self", "children") and not refs:
        raise AccountError(
            f"角色 {role.title_zh} 需要指明范围（班级编号或学籍号）",
            f"Role {role_id} needs its references (class ids or student numbers)",
        )
    row = RoleGrant(user_id=user.id, role=role_id, org_code=org_code, refs=list(refs or []))
    session.add(row)
    session.flush()
    return row


def grant_checked(
    home: Home, session: Session, username: str, role_id: str, org_code: str, refs: list[str] | None = None
) -> RoleGrant:
    """:func:`grant`, after checking that the references lie inside ``org_code``.

    A teacher's references must be stored classes of the organisation's
    schools, a student's or parent's stored students of them (read from the
    lake's newest versions). Every adapter that grants roles calls this.

    Raises:
        AccountError: a reference is not a class or student of the organisation
            (nothing is granted), or :func:`grant` refuses.
    """
    from edubrain.governance.grant_refs import refs_outside

    role = policy.role(role_id)
    org = _organisation(session, org_code)
    outside = refs_outside(home, role.scope, org.code, org.level, list(refs or []))
    if outside:
        shown = ", ".join(outside[:10])
        kind_zh, kind_en = ("班级", "classes") if role.scope == "class" else ("学生", "students")
        raise AccountError(
            f"授权范围不在单位 {org_code} 内：{shown} 不是该单位已登记的{kind_zh}",
            f"References outside organisation {org_code}: {shown} are not {kind_en} stored for it",
            org=org_code,
            refs=outside,
        )
    return grant(session, username, role_id, org_code, refs)


def revoke_grant(session: Session, username: str, role_id: str, org_code: str) -> int:
    """Remove ``username``'s grants of ``role_id`` in ``org_code``; returns how many."""
    user = get_user(session, username)
    rows = list(
        session.scalars(
            select(RoleGrant).where(
                RoleGrant.user_id == user.id, RoleGrant.role == role_id, RoleGrant.org_code == org_code
            )
        )
    )
    for row in rows:
        session.delete(row)
    return len(rows)


def get_user(session: Session, username: str) -> User:
    """The user called ``username``."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"没有用户 {username}", f"No user {username}", username=username)
    return user


def set_disabled(session: Session, username: str, disabled: bool = True) -> User:
    """Disable (or enable) an account; a disabled account cannot log in or use its tokens."""
    user = get_user(session, username)
    user.disabled = disabled
    return user


def principal_of(session: Session, user: User) -> Principal:
    """The principal of an active user, with its grants."""
    if user.disabled:
        raise AuthError(f"账户 {user.username} 已停用", f"Account {user.username} is disabled", username=user.username)
    grants = []
    for row in session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id)):
        org = _organisation(session, row.org_code)
        grants.append(Grant(row.role, row.org_code, org.level, tuple(str(r) for r in row.refs or ())))
    return Principal(id=user.id, name=user.username, grants=tuple(grants))


def authenticate(session: Session, settings: Settings, username: str, password: str) -> Principal:
    """Check a username and password, with throttling of repeated failures.

    After ``login_max_failures`` failures within ``login_lockout_minutes``,
    the account is locked for that window, even for the right password.
    The lockout is decided before the password hash is checked, and the
    attempt is recorded (as a failure until the password proves right) in
    the same serialised transaction, so parallel attempts cannot slip past
    the limit. An unknown name is throttled the same way and costs the same
    hash check, so neither the answer nor its timing tells whether a user
    exists.

    Raises:
        AuthError: unknown user, wrong password, disabled or locked account
            (the message does not say which of the first two it was).
    """
    attempt_id = _admit_attempt(session, settings, username)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.password_hash is None:
        _verify(_dummy_hash(), password)
        ok = False
    else:
        ok = _verify(user.password_hash, password)
    if not ok or user is None:
        raise AuthError("用户名或密码错误", "Wrong username or password", username=username)
    session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(success=True))
    session.flush()
    return principal_of(session, user)


def _admit_attempt(session: Session, settings: Settings, username: str) -> int:
    """Record a login attempt as a failure and return its id, or refuse it if the account is locked.

    One committed transaction per attempt, serialised per username: on
    PostgreSQL by an advisory transaction lock on the name, on SQLite by the
    database's write lock, which the insert takes before the count.
    """
    session.commit()  # a fresh transaction: on SQLite its first statement must be the write
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(username))))
    attempt = LoginAttempt(username=username, success=False, at=utcnow())
    session.add(attempt)
    session.flush()
    window_start = utcnow() - dt.timedelta(minutes=settings.login_lockout_minutes)
    failures = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.username == username,
            LoginAttempt.at >= window_start,
            LoginAttempt.success.is_(False),
            LoginAttempt.id != attempt.id,
        )
    )
    if (failures or 0) >= settings.login_max_failures:
        session.delete(attempt)  # a refused attempt does not extend the lockout
        session.commit()
        raise AuthError(
            f"登录失败次数过多，账户已锁定 {settings.login_lockout_minutes} 分钟",
            f"Too many failed logins: locked for {settings.login_lockout_minutes} minutes",
            username=username,
            locked=True,
        )
    session.commit()  # counted whatever happens next, and the lock is released before the slow hash
    return attempt.id


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """An Argon2id hash of a random secret, checked for unknown users so that they cost the same time."""
    return _HASHER.hash(secrets.token_urlsafe(24))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
