"""Access and refresh tokens, node API keys, and OpenID Connect ID tokens.

Access tokens are short-lived signed JWTs (HS256); refresh tokens are random
secrets stored only as hashes, rotated on use and revocable; API keys for
node clients likewise. OIDC ID tokens are verified against the identity
provider's public keys kept in a local JWKS file (no network at run time).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.config import Settings
from edubrain.errors import ConfigurationError
from edubrain.governance.identity import AuthError, Grant, Principal, principal_of
from edubrain.governance.models import ApiKey, RefreshToken, RevokedAccessToken, User
from edubrain.store.models import Organisation, utcnow

MIN_SECRET = 32


@dataclass(frozen=True)
class TokenPair:
    """What a login returns."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"


def signing_key(settings: Settings) -> str:
    """The token signing key; in development a random key kept in ``home/secret.key``.

    Raises:
        ConfigurationError: in production, when the key is missing or shorter than 32 characters.
    """
    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value()
        if len(key) < MIN_SECRET:
            raise ConfigurationError(
                f"EDUBRAIN_SECRET_KEY 至少 {MIN_SECRET} 个字符", f"EDUBRAIN_SECRET_KEY needs {MIN_SECRET}+ characters"
            )
        return key
    if settings.env == "production":
        raise ConfigurationError(
            "生产环境必须设置 EDUBRAIN_SECRET_KEY", "EDUBRAIN_SECRET_KEY must be set in production"
        )
    path = Path(settings.home) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def token_digest(secret: str) -> str:
    """The stored form of a refresh token or API key (SHA-256, hex): the secret itself is never stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_tokens(session: Session, settings: Settings, principal: Principal) -> TokenPair:
    """A new access token and refresh token for ``principal``."""
    now = utcnow()
    lifetime = dt.timedelta(minutes=settings.access_token_minutes)
    claims = {"sub": principal.id, "jti": uuid.uuid4().hex, "iat": now, "exp": now + lifetime, "typ": "access"}
    access = jwt.encode(claims, signing_key(settings), algorithm="HS256")
    refresh = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            id=uuid.uuid4().hex,
            user_id=principal.id,
            token_hash=token_digest(refresh),
            expires_at=now + dt.timedelta(days=settings.refresh_token_days),
        )
    )
    session.flush()
    return TokenPair(access, refresh, int(lifetime.total_seconds()))


def _claims(settings: Settings, token: str) -> dict[str, object]:
    try:
        claims = jwt.decode(
            token, signing_key(settings), algorithms=["HS256"], options={"require": ["exp", "sub", "jti"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("访问令牌已过期", "The access token has expired") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthError("访问令牌无效", "The access token is invalid") from exc
    if claims.get("typ") != "access":
        raise AuthError("访问令牌无效", "The access token is invalid")
    return claims


def verify_access_token(session: Session, settings: Settings, token: str) -> Principal:
    """The principal of a valid, unrevoked access token of an active user."""
    claims = _claims(settings, token)
    if session.get(RevokedAccessToken, str(claims["jti"])) is not None:
        raise AuthError("访问令牌已撤销", "The access token was revoked")
    user = session.get(User, str(claims["sub"]))
    if user is None:
        raise AuthError("访问令牌无效", "The access token is invalid")
    return principal_of(session, user)


def revoke_access_token(session: Session, settings: Settings, token: str) -> None:
    """Revoke an access token before it expires (logout)."""
    claims = _claims(settings, token)
    expires = dt.datetime.fromtimestamp(float(str(claims["exp"])), dt.UTC)
    if session.get(RevokedAccessToken, str(claims["jti"])) is None:
        session.add(RevokedAccessToken(jti=str(claims["jti"]), expires_at=expires))


def refresh_tokens(session: Session, settings: Settings, refresh_token: str) -> TokenPair:
    """Exchange a refresh token for a new pair; the old refresh token is revoked (rotation)."""
    row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_digest(refresh_token)))
    now = utcnow()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= now:
        raise AuthError("刷新令牌无效、已过期或已撤销", "The refresh token is invalid, expired or revoked")
    user = session.get(User, row.user_id)
    if user is None:
        raise AuthError("刷新令牌无效", "The refresh token is invalid")
    principal = principal_of(session, user)
    row.revoked_at = now
    return issue_tokens(session, settings, principal)


def revoke_refresh_tokens(session: Session, user_id: str) -> int:
    """Revoke every live refresh token of a user (e.g. when disabling the account)."""
    rows = list(
        session.scalars(select(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)))
    )
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def create_api_key(session: Session, name: str, org_code: str) -> tuple[str, str]:
    """A new API key for a node client of ``org_code``; returns (key id, secret). The secret is shown once."""
    if session.get(Organisation, org_code) is None:
        raise AuthError(f"单位 {org_code} 不在单位树中", f"Organisation {org_code} is not in the organisation tree")
    key_id = secrets.token_hex(8)
    secret = f"ebk_{key_id}_{secrets.token_urlsafe(32)}"
    session.add(ApiKey(id=key_id, name=name, org_code=org_code, key_hash=token_digest(secret)))
    session.flush()
    return key_id, secret


def revoke_api_key(session: Session, key_id: str) -> None:
    """Revoke an API key."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise AuthError(f"没有 API 密钥 {key_id}", f"No API key {key_id}")
    row.revoked_at = utcnow()


def verify_api_key(session: Session, secret: str) -> Principal:
    """The node principal of a valid, unrevoked API key."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == token_digest(secret)))
    if row is None or row.revoked_at is not None:
        raise AuthError("API 密钥无效或已撤销", "The API key is invalid or revoked")
    org = session.get(Organisation, row.org_code)
    row.last_used_at = utcnow()
    level = org.level if org is not None else "city"
    return Principal(id=f"node:{row.id}", name=row.name, grants=(Grant("node", row.org_code, level),), kind="node")


def verify_oidc_id_token(session: Session, settings: Settings, token: str) -> Principal:
    """Log in with an OpenID Connect ID token from the configured identity provider.

    The token's signature is checked against the provider's keys in
    ``oidc_jwks_file`` (RS256/ES256), with its issuer, audience and expiry; the
    user is the local account whose ``external_subject`` is the token's
    ``iss|sub``, or else whose username equals ``oidc_username_claim``.
    """
    if not (settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_file):
        raise ConfigurationError(
            "未配置 OIDC（EDUBRAIN_OIDC_ISSUER、EDUBRAIN_OIDC_AUDIENCE、EDUBRAIN_OIDC_JWKS_FILE）",
            "OIDC is not configured (EDUBRAIN_OIDC_ISSUER, EDUBRAIN_OIDC_AUDIENCE, EDUBRAIN_OIDC_JWKS_FILE)",
        )
    keys = jwt.PyJWKSet.from_dict(json.loads(Path(settings.oidc_jwks_file).read_text(encoding="utf-8")))
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = next(k for k in keys.keys if kid is None or k.key_id == kid)
        claims = jwt.decode(
            token, key, algorithms=["RS256", "ES256"], audience=settings.oidc_audience, issuer=settings.oidc_issuer
        )
    except (jwt.InvalidTokenError, StopIteration) as exc:
        raise AuthError("OIDC 身份令牌无效", "The OIDC ID token is invalid") from exc
    subject = f"{claims['iss']}|{claims['sub']}"
    user = session.scalar(select(User).where(User.external_subject == subject))
    if user is None:
        username = str(claims.get(settings.oidc_username_claim, ""))
        user = session.scalar(select(User).where(User.username == username)) if username else None
        if user is None:
            raise AuthError("OIDC 用户在本地没有账户", "The OIDC user has no local account")
        user.external_subject = subject
    return principal_of(session, user)
