"""Signing in and out, for every adapter: each function owns its transaction and audits what it does.

The API's bearer tokens, the web app's cookies and the node API keys all end
here, so no adapter opens the operational database for authentication.
"""

from __future__ import annotations

from sqlalchemy import select

from edubrain.governance import tokens
from edubrain.governance.access import login
from edubrain.governance.audit import record_event
from edubrain.governance.identity import AuthError, Principal
from edubrain.governance.models import RefreshToken
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import utcnow

API_KEY_PREFIX = "ebk_"


def principal_of_token(home: Home, token: str) -> Principal:
    """The principal of an access token or a node API key (``ebk_…``).

    Raises:
        AuthError: the token or key is invalid, expired, revoked, or its account disabled.
    """
    with session_scope(home.engine) as session:
        if token.startswith(API_KEY_PREFIX):
            return tokens.verify_api_key(session, token)
        return tokens.verify_access_token(session, home.settings, token)


def password_tokens(home: Home, username: str, password: str) -> tuple[Principal, tokens.TokenPair]:
    """Log in with a password (audited, throttled) and issue a token pair (audited).

    Raises:
        AuthError: wrong username or password, disabled or locked account.
    """
    principal = login(home, username, password)
    with session_scope(home.engine) as session:
        pair = tokens.issue_tokens(session, home.settings, principal)
        record_event(session, actor=principal.id, action="token_issued", detail={"via": "password"})
    return principal, pair


def oidc_tokens(home: Home, id_token: str) -> tokens.TokenPair:
    """Log in with an OpenID Connect ID token and issue a token pair (audited)."""
    with session_scope(home.engine) as session:
        principal = tokens.verify_oidc_id_token(session, home.settings, id_token)
        pair = tokens.issue_tokens(session, home.settings, principal)
        record_event(session, actor=principal.id, action="login", detail={"via": "oidc"})
    return pair


def refreshed_tokens(home: Home, refresh_token: str) -> tokens.TokenPair:
    """A new token pair for a refresh token, which is rotated (revoked)."""
    with session_scope(home.engine) as session:
        return tokens.refresh_tokens(session, home.settings, refresh_token)


def session_principal(
    home: Home, access: str | None, refresh: str | None
) -> tuple[Principal | None, tokens.TokenPair | None]:
    """The principal of a web session's cookies; the new pair when the access token had to be refreshed."""
    if not access and not refresh:
        return None, None
    with session_scope(home.engine) as session:
        if access:
            try:
                return tokens.verify_access_token(session, home.settings, access), None
            except AuthError:
                pass
        if refresh:
            try:
                pair = tokens.refresh_tokens(session, home.settings, refresh)
                return tokens.verify_access_token(session, home.settings, pair.access_token), pair
            except AuthError:
                pass
    return None, None


def log_out(
    home: Home, principal: Principal | None, access: str | None, refresh: str | None = None, *, every: bool = False
) -> int:
    """Revoke an access token and the refresh token given (``every``: all the user's refresh tokens); audited.

    Returns:
        How many refresh tokens were revoked.

    Raises:
        AuthError: the principal is a node (an API key is revoked at the hub, not logged out).
    """
    if principal is not None and principal.kind == "node":
        raise AuthError(
            "API 密钥不能退出登录，请在中心用 edubrain token revoke 吊销",
            "An API key cannot log out; revoke it at the hub with 'edubrain token revoke'",
        )
    revoked = 0
    with session_scope(home.engine) as session:
        if access:
            try:
                tokens.revoke_access_token(session, home.settings, access)
            except AuthError:
                pass  # already expired or invalid: nothing left to revoke
        if refresh:
            row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == tokens.token_digest(refresh)))
            if row is not None and row.revoked_at is None:
                row.revoked_at, revoked = utcnow(), 1
        if every and principal is not None:
            revoked = tokens.revoke_refresh_tokens(session, principal.id)
        if principal is not None:
            detail = {"via": "logout", "refresh": revoked}
            record_event(session, actor=principal.id, action="token_revoked", detail=detail)
    return revoked
