"""Dependencies of the routes: the home, and who is calling (bearer token or node API key -> ``Principal``).

A caller authenticates with ``Authorization: Bearer <token>``, where the
token is an access token from ``/api/v1/auth/login`` or a node API key
(``ebk_…``), or with the header ``X-API-Key: ebk_…``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from edubrain.governance.identity import AuthError, Principal
from edubrain.governance.readpath import AccessDenied
from edubrain.governance.signin import API_KEY_PREFIX, principal_of_token
from edubrain.home import Home

__all__ = ["API_KEY_PREFIX", "principal_of_token"]
bearer_scheme = HTTPBearer(auto_error=False, description="访问令牌或节点 API 密钥 / access token or node API key")
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="节点 API 密钥 / node API key (ebk_…)")


def get_home(request: Request) -> Home:
    """The app's EduBrain home (one per app)."""
    home: Home = request.app.state.home
    return home


HomeDep = Annotated[Home, Depends(get_home)]
DatasetId = Annotated[str, Path(max_length=64, description="Catalog dataset id", examples=["students", "schools"])]


def bearer_token(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    api_key: Annotated[str | None, Security(api_key_scheme)],
) -> str:
    """The token the caller sent, or :class:`AuthError` if none."""
    token = api_key or (bearer.credentials if bearer is not None else None)
    if not token:
        raise AuthError(
            "需要认证：请在 Authorization 头中提供 Bearer 令牌，或在 X-API-Key 头中提供 API 密钥",
            "Authentication required: send 'Authorization: Bearer <token>' or 'X-API-Key: <key>'",
        )
    return token


def current_principal(home: HomeDep, token: Annotated[str, Depends(bearer_token)]) -> Principal:
    """The authenticated caller."""
    return principal_of_token(home, token)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def node_principal(principal: CurrentPrincipal) -> Principal:
    """The caller, who must be a node client (authenticated with an API key)."""
    if principal.kind != "node":
        raise AccessDenied(
            "节点数据交换接口只接受节点 API 密钥（ebk_…）",
            "The node exchange accepts node API keys (ebk_…) only",
        )
    return principal


NodePrincipal = Annotated[Principal, Depends(node_principal)]
