"""/api/v1/auth: login, refresh (rotation), logout (revocation), me; 401 shapes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from edubrain.api.app import create_app
from edubrain.home import Home
from tests.api.conftest import PASSWORD, ApiCity, assert_error


def test_auth_login_returns_tokens_that_authenticate(fresh: ApiCity) -> None:
    response = fresh.client.post("/api/v1/auth/login", json={"username": "school1", "password": PASSWORD})
    assert response.status_code == 200, response.text
    pair = response.json()
    assert pair["token_type"] == "Bearer" and pair["expires_in"] > 0
    me = fresh.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200
    assert me.json()["name"] == "school1" and me.json()["grants"][0]["role"] == "school_admin"
    assert me.json()["may_submit"] is True


def test_auth_wrong_password_is_401_in_the_error_shape(fresh: ApiCity) -> None:
    response = fresh.client.post("/api/v1/auth/login", json={"username": "school1", "password": "wrong password!"})
    error = assert_error(response, 401, "auth_error")
    assert "用户名或密码错误" in error["message_zh"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_auth_missing_or_bad_token_is_401(shared: ApiCity) -> None:
    assert_error(shared.client.get("/api/v1/auth/me"), 401, "auth_error")
    assert_error(shared.client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense"}), 401, "auth_error")
    assert_error(shared.client.get("/api/v1/auth/me", headers={"X-API-Key": "ebk_nope"}), 401, "auth_error")


def test_auth_refresh_rotates_the_refresh_token(fresh: ApiCity) -> None:
    pair = fresh.client.post("/api/v1/auth/login", json={"username": "haidian", "password": PASSWORD}).json()
    again = fresh.client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 200 and again.json()["refresh_token"] != pair["refresh_token"]
    assert_error(fresh.client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}), 401)


def test_auth_logout_revokes_the_access_token_and_refresh_tokens(fresh: ApiCity) -> None:
    pair = fresh.client.post("/api/v1/auth/login", json={"username": "city", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    assert fresh.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    error = assert_error(fresh.client.get("/api/v1/auth/me", headers=headers), 401, "auth_error")
    assert "撤销" in error["message_zh"]
    assert_error(fresh.client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}), 401)


def test_auth_an_api_key_authenticates_a_node_and_cannot_log_out(shared: ApiCity) -> None:
    me = shared.client.get("/api/v1/auth/me", headers={"X-API-Key": shared.node_key})
    assert me.status_code == 200 and me.json()["kind"] == "node"
    assert me.json()["grants"][0]["org_code"] == "110108"
    assert_error(shared.client.post("/api/v1/auth/logout", headers=shared.auth("node")), 401, "auth_error")


def test_auth_oidc_without_configuration_is_not_served(shared: ApiCity) -> None:
    assert_error(shared.client.post("/api/v1/auth/oidc", json={"id_token": "x.y.z"}), 404, "not_found")


def test_auth_login_body_missing_is_422_in_the_error_shape(shared: ApiCity) -> None:
    error = assert_error(shared.client.post("/api/v1/auth/login", json={"username": "x"}), 422, "invalid_request")
    assert error["details"]["problems"][0]["loc"][-1] == "password"


def test_auth_oidc_id_token_is_exchanged_for_tokens_when_configured(fresh: ApiCity, tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}), encoding="utf-8")
    settings = fresh.home.settings.model_copy(
        update={"oidc_issuer": "https://idp.example", "oidc_audience": "edubrain", "oidc_jwks_file": jwks}
    )
    now = dt.datetime.now(dt.UTC)
    claims = {"iss": "https://idp.example", "aud": "edubrain", "sub": "7", "preferred_username": "haidian"}
    token = jwt.encode({**claims, "iat": now, "exp": now + dt.timedelta(minutes=5)}, key, "RS256", {"kid": "k1"})
    with TestClient(create_app(Home(settings, fresh.home.catalog))) as client:
        pair = client.post("/api/v1/auth/oidc", json={"id_token": token})
        assert pair.status_code == 200, pair.text
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {pair.json()['access_token']}"})
        assert me.json()["name"] == "haidian"
        assert_error(client.post("/api/v1/auth/oidc", json={"id_token": token[:-4] + "AAAA"}), 401, "auth_error")


def test_auth_a_nul_character_is_refused_before_it_reaches_the_database(shared: ApiCity) -> None:
    response = shared.client.post("/api/v1/auth/login", json={"username": "ci\x00ty", "password": "x"})
    assert_error(response, 422, "invalid_request")
    assert_error(shared.client.get("/api/v1/submissions?org=11%00", headers=shared.auth("city")), 422)
