"""``/api/v1/auth``: log in with a password (or an OIDC ID token), refresh, log out, who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from edubrain.api.deps import CurrentPrincipal, HomeDep, bearer_token
from edubrain.api.errors import error_responses
from edubrain.api.schemas import PrincipalPublic, Text
from edubrain.governance import signin

router = APIRouter(prefix="/auth", tags=["auth"])
oidc_router = APIRouter(prefix="/auth", tags=["auth"])
"""Included only when OIDC is configured (EDUBRAIN_OIDC_ISSUER, _AUDIENCE, _JWKS_FILE)."""


class LoginRequest(BaseModel):
    """A username and password."""

    username: Text = Field(min_length=1, max_length=100)
    password: Text = Field(min_length=1, max_length=1000)


class RefreshRequest(BaseModel):
    """A refresh token."""

    refresh_token: Text = Field(min_length=1, max_length=200)


class OidcRequest(BaseModel):
    """An OpenID Connect ID token from the configured identity provider."""

    id_token: Text = Field(min_length=1, max_length=20000)


class TokenPairPublic(BaseModel):
    """Tokens: the access token (a JWT) authenticates requests; the refresh token gets a new pair once."""

    access_token: str
    refresh_token: str
    expires_in: int = Field(description="Seconds until the access token expires")
    token_type: str = "Bearer"


@router.post("/login", response_model=TokenPairPublic, responses=error_responses(401, 503))
def login(body: LoginRequest, home: HomeDep) -> TokenPairPublic:
    """登录：用户名与密码换取访问令牌和刷新令牌 / log in with a username and password (audited, throttled)."""
    _, pair = signin.password_tokens(home, body.username, body.password)
    return TokenPairPublic(**pair.__dict__)


@oidc_router.post("/oidc", response_model=TokenPairPublic, responses=error_responses(401, 503))
def oidc_login(body: OidcRequest, home: HomeDep) -> TokenPairPublic:
    """以 OIDC 身份令牌登录 / log in with an OpenID Connect ID token of the configured identity provider."""
    pair = signin.oidc_tokens(home, body.id_token)
    return TokenPairPublic(**pair.__dict__)


@router.post("/refresh", response_model=TokenPairPublic, responses=error_responses(401, 503))
def refresh(body: RefreshRequest, home: HomeDep) -> TokenPairPublic:
    """用刷新令牌换取新的一对令牌（旧刷新令牌随即失效） / a new token pair; the refresh token is rotated."""
    pair = signin.refreshed_tokens(home, body.refresh_token)
    return TokenPairPublic(**pair.__dict__)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401))
def logout(home: HomeDep, principal: CurrentPrincipal, token: Annotated[str, Depends(bearer_token)]) -> None:
    """退出登录：吊销当前访问令牌及该用户全部刷新令牌 / revoke this access token and every refresh token of the user."""
    signin.log_out(home, principal, token, every=True)


@router.get("/me", response_model=PrincipalPublic, responses=error_responses(401))
def me(principal: CurrentPrincipal) -> PrincipalPublic:
    """当前身份：角色、单位与权限 / who the caller is: grants and abilities."""
    return PrincipalPublic.of(principal)
