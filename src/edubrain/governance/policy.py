"""Roles, clearances and purposes, declared as data in ``governance/data``.

A role's clearance is a level of the catalog's classification scale; a
field above it is masked (or withheld from roles that see no personal
data at all). Sensitive personal information (L4) is unmasked only for roles
with ``purpose_unmask`` and only with a declared purpose.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from edubrain.errors import EduBrainError

DATA = Path(__file__).parent / "data"
ScopeKind = Literal["city", "district", "school", "class", "self", "children", "organisation", "none"]
SENSITIVE_LEVEL = "L4"


class Role(BaseModel):
    """A role a principal may hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title_zh: str
    title_en: str
    scope: ScopeKind
    clearance: str
    purpose_unmask: bool
    may_submit: bool
    may_query: bool
    may_manage_users: bool


class Purpose(BaseModel):
    """A purpose for which sensitive personal information may be read unmasked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title_zh: str
    title_en: str
    automatic: bool = False


class PolicyError(EduBrainError):
    """An unknown role or purpose."""

    code = "policy_error"


@lru_cache(maxsize=1)
def roles() -> dict[str, Role]:
    """All roles by id."""
    raw = yaml.safe_load((DATA / "roles.yaml").read_text(encoding="utf-8"))
    return {r["id"]: Role.model_validate(r) for r in raw["roles"]}


@lru_cache(maxsize=1)
def purposes() -> dict[str, Purpose]:
    """All declared purposes by id."""
    raw = yaml.safe_load((DATA / "purposes.yaml").read_text(encoding="utf-8"))
    return {p["id"]: Purpose.model_validate(p) for p in raw["purposes"]}


def role(role_id: str) -> Role:
    """The role ``role_id``, or :class:`PolicyError`."""
    try:
        return roles()[role_id]
    except KeyError:
        known = ", ".join(roles())
        raise PolicyError(
            f"未知角色 {role_id!r}；可用：{known}", f"Unknown role {role_id!r}; known: {known}", role=role_id
        ) from None


def purpose(purpose_id: str) -> Purpose:
    """The purpose ``purpose_id`` (by id or Chinese title), or :class:`PolicyError`."""
    for p in purposes().values():
        if purpose_id in (p.id, p.title_zh) and not p.automatic:
            return p
    known = "、".join(f"{p.id}（{p.title_zh}）" for p in purposes().values() if not p.automatic)
    raise PolicyError(
        f"未登记的用途 {purpose_id!r}；可用：{known}",
        f"Unregistered purpose {purpose_id!r}; known: {', '.join(purposes())}",
        purpose=purpose_id,
    )
