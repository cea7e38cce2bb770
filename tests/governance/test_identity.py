"""Accounts, role grants, password login with throttling, tokens, API keys and OIDC."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from edubrain.config import Settings
from edubrain.governance import identity, tokens
from edubrain.governance.access import login
from edubrain.governance.audit import list_events
from edubrain.governance.identity import AccountError, AuthError
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.conftest import SCHOOL

PASSWORD = "correct horse battery"


@pytest.fixture
def user(city: Home) -> Home:
    with session_scope(city.engine) as session:
        identity.add_user(session, "zhang", PASSWORD, SCHOOL)
        identity.grant(session, "zhang", "school_admin", SCHOOL)
    return city


def test_password_is_stored_as_an_argon2id_hash(user: Home) -> None:
    with session_scope(user.engine) as session:
        stored = identity.get_user(session, "zhang").password_hash
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_login_with_the_right_password_gives_the_principal_and_is_audited(user: Home) -> None:
    principal = login(user, "zhang", PASSWORD)
    assert [(g.role, g.org_code) for g in principal.grants] == [("school_admin", SCHOOL)]
    with session_scope(user.engine) as session:
        assert [e.action for e in list_events(session, actor=principal.id)] == ["login"]


def test_login_with_a_wrong_password_fails_and_the_failure_is_audited(user: Home) -> None:
    with pytest.raises(AuthError):
        login(user, "zhang", "wrong password!")
    with session_scope(user.engine) as session:
        assert [e.action for e in list_events(session, actor="zhang")] == ["login_failed"]


def test_unknown_user_and_wrong_password_give_the_same_message(user: Home) -> None:
    with pytest.raises(AuthError) as unknown:
        login(user, "nobody", PASSWORD)
    with pytest.raises(AuthError) as wrong:
        login(user, "zhang", "wrong password!")
    assert unknown.value.en == wrong.value.en


def test_repeated_failures_lock_the_account_even_for_the_right_password(user: Home) -> None:
    for _ in range(user.settings.login_max_failures):
        with pytest.raises(AuthError):
            login(user, "zhang", "wrong password!")
    with pytest.raises(AuthError) as locked:
        login(user, "zhang", PASSWORD)
    assert locked.value.details.get("locked") is True


def test_a_disabled_user_cannot_log_in(user: Home) -> None:
    with session_scope(user.engine) as session:
        identity.set_disabled(session, "zhang")
    with pytest.raises(AuthError):
        login(user, "zhang", PASSWORD)


def test_short_passwords_and_duplicate_users_are_refused(user: Home) -> None:
    with session_scope(user.engine) as session, pytest.raises(AccountError):
        identity.add_user(session, "li", "short", SCHOOL)
    with session_scope(user.engine) as session, pytest.raises(AccountError):
        identity.add_user(session, "zhang", PASSWORD, SCHOOL)


def test_a_role_must_fit_the_organisation_level(user: Home) -> None:
    with session_scope(user.engine) as session, pytest.raises(AccountError):
        identity.grant(session, "zhang", "district_admin", SCHOOL)
    with session_scope(user.engine) as session, pytest.raises(AccountError):
        identity.grant(session, "zhang", "teacher", SCHOOL)  # a teacher needs classes


def test_access_token_round_trip_and_revocation(user: Home) -> None:
    principal = login(user, "zhang", PASSWORD)
    with session_scope(user.engine) as session:
        pair = tokens.issue_tokens(session, user.settings, principal)
    with session_scope(user.engine) as session:
        assert tokens.verify_access_token(session, user.settings, pair.access_token).id == principal.id
        tokens.revoke_access_token(session, user.settings, pair.access_token)
    with session_scope(user.engine) as session, pytest.raises(AuthError):
        tokens.verify_access_token(session, user.settings, pair.access_token)


def test_an_expired_access_token_is_refused(user: Home) -> None:
    principal = login(user, "zhang", PASSWORD)
    settings = Settings(home=user.settings.home, database_url=user.settings.database_url, access_token_minutes=-1)
    with session_scope(user.engine) as session:
        pair = tokens.issue_tokens(session, settings, principal)
    with session_scope(user.engine) as session, pytest.raises(AuthError) as caught:
        tokens.verify_access_token(session, settings, pair.access_token)
    assert "expired" in caught.value.en


def test_a_tampered_access_token_is_refused(user: Home) -> None:
    principal = login(user, "zhang", PASSWORD)
    with session_scope(user.engine) as session:
        pair = tokens.issue_tokens(session, user.settings, principal)
    forged = jwt.encode(
        {"sub": principal.id, "jti": "x", "exp": 4102444800, "typ": "access"}, "not-the-key-" * 4, "HS256"
    )
    with session_scope(user.engine) as session, pytest.raises(AuthError):
        tokens.verify_access_token(session, user.settings, forged)
    assert pair.access_token != forged


def test_refresh_rotates_and_an_old_refresh_token_is_dead(user: Home) -> None:
    principal = login(user, "zhang", PASSWORD)
    with session_scope(user.engine) as session:
        first = tokens.issue_tokens(session, user.settings, principal)
    with session_scope(user.engine) as session:
        second = tokens.refresh_tokens(session, user.settings, first.refresh_token)
    assert second.refresh_token != first.refresh_token
    with session_scope(user.engine) as session, pytest.raises(AuthError):
        tokens.refresh_tokens(session, user.settings, first.refresh_token)


def test_tokens_of_a_disabled_user_stop_working(user: Home) -> None:
    principal = login(user, "zhang", PASSWORD)
    with session_scope(user.engine) as session:
        pair = tokens.issue_tokens(session, user.settings, principal)
    with session_scope(user.engine) as session:
        identity.set_disabled(session, "zhang")
    with session_scope(user.engine) as session, pytest.raises(AuthError):
        tokens.verify_access_token(session, user.settings, pair.access_token)
    with session_scope(user.engine) as session, pytest.raises(AuthError):
        tokens.refresh_tokens(session, user.settings, pair.refresh_token)


def test_production_refuses_a_missing_or_short_secret(tmp_path: Path) -> None:
    with pytest.raises(tokens.ConfigurationError):
        tokens.signing_key(Settings(home=tmp_path, env="production"))
    with pytest.raises(tokens.ConfigurationError):
        tokens.signing_key(Settings(home=tmp_path, env="production", secret_key="short"))
    assert len(tokens.signing_key(Settings(home=tmp_path))) >= 32  # development: generated and kept


def test_api_key_gives_a_node_principal_until_revoked(user: Home) -> None:
    with session_scope(user.engine) as session:
        key_id, secret = tokens.create_api_key(session, "haidian-node", "110108")
    with session_scope(user.engine) as session:
        node = tokens.verify_api_key(session, secret)
    assert node.kind == "node" and node.grants[0].role == "node" and node.grants[0].org_code == "110108"
    with session_scope(user.engine) as session:
        tokens.revoke_api_key(session, key_id)
    with session_scope(user.engine) as session, pytest.raises(AuthError):
        tokens.verify_api_key(session, secret)


def _oidc(tmp_path: Path, user: Home) -> tuple[Settings, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}), encoding="utf-8")
    settings = Settings(
        home=user.settings.home,
        database_url=user.settings.database_url,
        oidc_issuer="https://idp.example",
        oidc_audience="edubrain",
        oidc_jwks_file=jwks,
    )
    return settings, key


def test_oidc_id_token_logs_in_the_matching_local_user(user: Home, tmp_path: Path) -> None:
    settings, key = _oidc(tmp_path, user)
    now = dt.datetime.now(dt.UTC)
    claims = {
        "iss": "https://idp.example",
        "aud": "edubrain",
        "sub": "42",
        "preferred_username": "zhang",
        "iat": now,
        "exp": now + dt.timedelta(minutes=5),
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    with session_scope(user.engine) as session:
        assert tokens.verify_oidc_id_token(session, settings, token).name == "zhang"
    wrong_audience = jwt.encode({**claims, "aud": "other"}, key, algorithm="RS256", headers={"kid": "k1"})
    with session_scope(user.engine) as session, pytest.raises(AuthError):
        tokens.verify_oidc_id_token(session, settings, wrong_audience)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": "k1"})
    with session_scope(user.engine) as session, pytest.raises(AuthError):
        tokens.verify_oidc_id_token(session, settings, forged)
