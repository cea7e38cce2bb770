"""``POST /api/v1/credentials/verify``: anyone may check a credential (no login); every check in the answer.

The body is the credential itself: a JSON-LD credential with a Data Integrity proof (``application/json`` or
``application/ld+json``), or a VC-JWT (``application/vc+jwt``, ``text/plain``, or a JSON string). At most
256 KiB; 30 verifications a minute per client address. The answer lists each check (format, contexts,
issuer, proof, validity, status) with its state and a Chinese and an English sentence; it is the same report
the ``/verify`` page shows. A body that is not a credential gets 400 (413 when too large, 429 when too fast)
in the one error shape. See docs/credentials.md.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from edubrain.api.credential_verification import capped_body, check_submitted, rate_limited
from edubrain.api.deps import HomeDep
from edubrain.api.errors import error_responses

router = APIRouter(prefix="/credentials", tags=["credentials"])


class CheckOut(BaseModel):
    """One check of the credential."""

    name: Literal["format", "contexts", "issuer", "proof", "validity", "status"]
    state: Literal["passed", "failed", "unchecked", "none"] = Field(
        description="passed 通过 / failed 未通过 / unchecked 无法检查（如离线无法取得的状态列表）/ none 不适用"
    )
    zh: str
    en: str


class VerificationOut(BaseModel):
    """The verdict and every check."""

    verdict: Literal["valid", "invalid", "incomplete"] = Field(
        description="valid 有效 / invalid 无效 / incomplete 无法完全验证（有检查未能进行，不算通过）"
    )
    valid: bool
    format: Literal["data-integrity", "vc+jwt"]
    checks: list[CheckOut]
    summary: dict[str, Any] = Field(description="凭证名称、签发者、学习者假名、学分、有效期 / what the credential says")


@router.post(
    "/verify",
    response_model=VerificationOut,
    responses=error_responses(413, 429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/plain": {
                    "schema": {
                        "type": "string",
                        "description": "VC-JWT (compact JWS); also accepted as application/vc+jwt",
                        "pattern": r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$",
                    }
                },
            },
        }
    },
)
async def verify_credential(request: Request, home: HomeDep) -> dict[str, Any]:
    """验证凭证（无需登录）/ verify a credential (no login): Data Integrity JSON-LD or VC-JWT."""
    rate_limited(request)
    report = await check_submitted(request, home, await capped_body(request))
    return report.to_json()
