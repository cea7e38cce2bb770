"""Helpers of the Document resource tests: parameters of each resource and requests as one credential."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.lrs.conftest import PUPILS, V1, Lrs, pupil

PATHS = {"state": "/xAPI/activities/state", "activity_profile": "/xAPI/activities/profile", "agent_profile": "/xAPI/agents/profile"}  # fmt: skip
ID_PARAM = {"state": "stateId", "activity_profile": "profileId", "agent_profile": "profileId"}
KINDS = tuple(PATHS)
PROFILES = ("activity_profile", "agent_profile")


def activity() -> str:
    """A fresh activity IRI (tests share one city, so each uses its own)."""
    return f"https://edubrain.example/activities/{uuid.uuid4().hex}"


def fresh_agent() -> dict[str, Any]:
    """An agent no other test uses (not a pupil)."""
    return {"mbox": f"mailto:{uuid.uuid4().hex}@example.org"}


@dataclass(eq=False)
class Doc:
    """One document's address on one resource: its context parameters and its id."""

    kind: str
    context: dict[str, str] = field(default_factory=dict)
    doc_id: str = field(default_factory=lambda: f"doc-{uuid.uuid4().hex[:8]}")

    @property
    def path(self) -> str:
        return PATHS[self.kind]

    @property
    def params(self) -> dict[str, str]:
        return {**self.context, ID_PARAM[self.kind]: self.doc_id}


def doc(kind: str, agent: dict[str, Any] | None = None, **extra: str) -> Doc:
    """A new document address of ``kind``; its agent is ``agent`` (default: a pupil of SCHOOL)."""
    who = json.dumps(agent if agent is not None else pupil(PUPILS[0]))
    context = {
        "state": {"activityId": activity(), "agent": who},
        "activity_profile": {"activityId": activity()},
        "agent_profile": {"agent": who},
    }[kind]
    return Doc(kind, {**context, **extra})


def send(lrs: Lrs, who: str, method: str, target: Doc, body: Any = None, *, params: dict[str, str] | None = None, version: dict[str, str] = V1, **headers: str):  # type: ignore[no-untyped-def]  # fmt: skip
    """``method`` on the document as ``who``; a dict or list body is sent as application/json."""
    sent = {**lrs.auth(who, version), **{k.replace("_", "-"): v for k, v in headers.items()}}
    content: bytes | None = None
    if isinstance(body, (dict, list)):
        content = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    elif isinstance(body, bytes):
        content = body
    return lrs.client.request(method, target.path, params=target.params if params is None else params, content=content, headers=sent)  # fmt: skip


def put(lrs: Lrs, who: str, target: Doc, body: Any, **headers: str):  # type: ignore[no-untyped-def]
    return send(lrs, who, "PUT", target, body, **headers)


def get(lrs: Lrs, who: str, target: Doc, **kwargs: Any):  # type: ignore[no-untyped-def]
    return send(lrs, who, "GET", target, **kwargs)


def ids(lrs: Lrs, who: str, target: Doc, **extra: str) -> list[str]:
    """The ids listed in the document's context (``extra``: ``since``, ``registration``)."""
    response = send(lrs, who, "GET", target, params={**target.context, **extra})
    assert response.status_code == 200, response.text
    listed: list[str] = response.json()
    return listed
