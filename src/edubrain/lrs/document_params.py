"""The query parameters of the three Document resources, checked (xAPI 1.0.3 Communication §2.2–§2.7, §3.2).

- State ``/xAPI/activities/state`` (§2.3; IEEE 9274.1.1 §4.1.6.2): ``activityId``, ``agent``, ``registration``
  (optional), ``stateId`` (one document; without it GET lists ids, with ``since``, and DELETE removes them all);
- Agent Profile ``/xAPI/agents/profile`` (§2.6; §4.1.6.5): ``agent``, ``profileId`` (without it GET lists ids);
- Activity Profile ``/xAPI/activities/profile`` (§2.7; §4.1.6.6): ``activityId``, ``profileId`` (likewise).

Unknown parameters (including a known name in another case, §3.2), a parameter given twice, a missing required
one, ``since`` with a document id (9274.1.1 §4.1.6.2: "Not Allowed") and malformed values are refused with 400 and a
message naming the parameter and what is allowed. The ``agent`` parameter is an Agent, not a Group (§2.6 note: a
Group's identifier may be sent inside an Agent object).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Literal

from edubrain.governance.pseudonyms import PseudonymKey
from edubrain.lrs import agents
from edubrain.lrs.errors import invalid
from edubrain.lrs.storage import iri_hash
from edubrain.lrs.validation import validate_actor, validate_iri

Kind = Literal["state", "activity_profile", "agent_profile"]
Method = Literal["GET", "PUT", "POST", "DELETE"]
MAX_ID = 255
"""The longest ``stateId`` / ``profileId`` kept, in characters."""


@dataclass(frozen=True)
class Resource:
    """One Document resource: its kind, the parameters it takes and the sections that define it."""

    kind: Kind
    id_param: str
    activity: bool
    agent: bool
    section: str

    @property
    def known(self) -> tuple[str, ...]:
        """Every parameter the resource recognises."""
        context = (("activityId",) if self.activity else ()) + (("agent",) if self.agent else ())
        return (*context, *(("registration",) if self.kind == "state" else ()), self.id_param, "since")


RESOURCES: dict[Kind, Resource] = {
    "state": Resource("state", "stateId", True, True, "xAPI Communication 2.3, IEEE 9274.1.1 4.1.6.2"),
    "agent_profile": Resource(
        "agent_profile", "profileId", False, True, "xAPI Communication 2.6, IEEE 9274.1.1 4.1.6.5"
    ),  # fmt: skip
    "activity_profile": Resource(
        "activity_profile", "profileId", True, False, "xAPI Communication 2.7, IEEE 9274.1.1 4.1.6.6"
    ),  # fmt: skip
}


@dataclass(frozen=True)
class DocumentRequest:
    """A checked request: the context of the document(s), one document id or none (a list), and ``since``.

    ``activity_hash`` and ``agent_pseudonym`` are ``""`` where the resource has no such part; ``registration`` is
    ``None`` when not given (a single document then has the empty registration; a list or a DELETE of all State
    documents covers every registration).
    """

    resource: Resource
    activity_hash: str
    agent_pseudonym: str
    learner: str | None
    learner_pseudonym: str | None
    registration: str | None
    document_id: str | None
    since: dt.datetime | None

    @property
    def kind(self) -> Kind:
        """The resource's kind."""
        return self.resource.kind


def _agent(value: str, key: PseudonymKey, section: str) -> tuple[str, str | None, str | None]:
    """The agent's pseudonym, and the 全国学籍号 and student pseudonym when it is a pupil of the platform."""
    try:
        agent = json.loads(value)
    except ValueError:
        raise invalid("agent", "应为 Agent 的 JSON", f"must be the JSON of an Agent ({section})") from None
    validate_actor(agent, "agent")
    if agent.get("objectType", "Agent") != "Agent":
        raise invalid("agent", "应为 Agent（组可把其标识写在 Agent 对象中）", f"must be an Agent, not a Group; send a Group's identifier inside an Agent object ({section})")  # fmt: skip
    code = agents.agent_pseudonym(agent, key)
    assert code is not None  # an Agent has exactly one IFI (validated)
    learner = agents.learner_id(agent)
    return code, learner, code if learner is not None else None


def _registration(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise invalid("registration", "应为 UUID", "must be a UUID (xAPI Communication 2.3)") from None


def _since(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid("since", "应为 ISO 8601 日期时间", "must be an ISO 8601 timestamp (xAPI Communication 2.3, 2.6, 2.7)") from None  # fmt: skip
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _document_id(value: str, name: str) -> str:
    if not value or len(value) > MAX_ID:
        raise invalid(name, f"应为 1 至 {MAX_ID} 个字符的字符串", f"must be a string of 1 to {MAX_ID} characters")
    return value


def document_request(
    kind: Kind, params: dict[str, str], method: Method, key: PseudonymKey, *, repeated: str | None = None
) -> DocumentRequest:
    """Check the parameters of one request to a Document resource (``repeated``: a parameter sent twice).

    Raises:
        StatementInvalid: an unknown, repeated, missing, conflicting or malformed parameter.
    """
    resource = RESOURCES[kind]
    known = resource.known
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise invalid(unknown[0], f"不是该资源的参数（区分大小写）；可用：{', '.join(known)}", f"is not a parameter of this resource (names are case-sensitive); known: {', '.join(known)} ({resource.section}; Communication 3.2)")  # fmt: skip
    if repeated is not None:
        raise invalid(repeated, "只能出现一次", "may be given only once")
    required = [p for p in known if p in ("activityId", "agent")]
    if method in ("PUT", "POST") or (method == "DELETE" and kind != "state"):
        required.append(resource.id_param)
    for name in required:
        if name not in params:
            raise invalid(name, f"缺少必需参数（{method}）", f"is required for {method} ({resource.section})")
    document_id = params.get(resource.id_param)
    if "since" in params and (method != "GET" or document_id is not None):
        raise invalid("since", f"只能用于列出文档 id 的 GET（不能与 {resource.id_param} 同用）", f"is allowed only in a GET that lists ids, never with {resource.id_param} ({resource.section})")  # fmt: skip
    if resource.activity:
        validate_iri(params["activityId"], "activityId")
    agent_code, learner, learner_code = _agent(params["agent"], key, resource.section) if resource.agent else ("", None, None)  # fmt: skip
    return DocumentRequest(
        resource=resource,
        activity_hash=iri_hash(params["activityId"]) if resource.activity else "",
        agent_pseudonym=agent_code,
        learner=learner,
        learner_pseudonym=learner_code,
        registration=_registration(params["registration"]) if "registration" in params else None,
        document_id=None if document_id is None else _document_id(document_id, resource.id_param),
        since=_since(params["since"]) if "since" in params else None,
    )
