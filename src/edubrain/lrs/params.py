"""The query parameters of ``GET /xAPI/statements``, checked (xAPI 1.0.3 Communication §2.1.3).

Unknown parameters, malformed values, ``statementId`` with ``voidedStatementId``, and either id with any
parameter but ``format`` and ``attachments`` are refused with 400 and a message naming the parameter.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from edubrain.governance.pseudonyms import PseudonymKey
from edubrain.lrs import agents
from edubrain.lrs.errors import StatementInvalid, invalid
from edubrain.lrs.formats import Format
from edubrain.lrs.query import StatementFilter
from edubrain.lrs.storage import iri_hash
from edubrain.lrs.validation import validate_actor, validate_iri

SINGLE = ("statementId", "voidedStatementId")
SHAPE = ("format", "attachments")
FILTERS = ("agent", "verb", "activity", "registration", "related_activities", "related_agents", "since", "until",
           "limit", "ascending")  # fmt: skip
KNOWN = (*SINGLE, *SHAPE, *FILTERS, "more")
FORMATS = ("ids", "exact", "canonical")


@dataclass(frozen=True)
class StatementRequest:
    """A checked statement query: one statement by id, or a list by filter, and the shape of the answer."""

    statement_id: str | None
    voided: bool
    fmt: Format
    attachments: bool
    filter: StatementFilter


def _boolean(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise invalid(name, "应为 true 或 false", "must be true or false (xAPI Communication 2.1.3)")
    return value == "true"


def _moment(params: dict[str, str], name: str) -> dt.datetime | None:
    if name not in params:
        return None
    try:
        moment = dt.datetime.fromisoformat(params[name].replace("Z", "+00:00"))
    except ValueError:
        raise invalid(
            name, "应为 ISO 8601 日期时间", "must be an ISO 8601 timestamp (xAPI Communication 2.1.3)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _uuid(params: dict[str, str], name: str) -> str | None:
    if name not in params:
        return None
    try:
        return str(uuid.UUID(params[name]))
    except ValueError:
        raise invalid(name, "应为 UUID", "must be a UUID (xAPI Communication 2.1.3)") from None


def _agent(params: dict[str, str], key: PseudonymKey) -> str | None:
    if "agent" not in params:
        return None
    try:
        value = json.loads(params["agent"])
    except ValueError:
        raise invalid(
            "agent", "应为 Agent 或 Group 的 JSON", "must be the JSON of an Agent or Identified Group"
        ) from None
    validate_actor(value, "agent")
    code = agents.agent_pseudonym(value, key)
    if code is None:
        raise invalid("agent", "应为 Agent 或具名组（匿名组不能作筛选条件）", "must be an Agent or Identified Group, not an Anonymous Group (xAPI Communication 2.1.3)")  # fmt: skip
    return code


def statement_request(params: dict[str, str], key: PseudonymKey) -> StatementRequest:
    """Check the parameters of one ``GET /xAPI/statements``.

    Raises:
        StatementInvalid: an unknown, malformed or conflicting parameter.
    """
    unknown = sorted(set(params) - set(KNOWN))
    if unknown:
        raise invalid(unknown[0], f"未知参数；可用：{', '.join(KNOWN)}", f"is not a parameter of this resource; known: {', '.join(KNOWN)}")  # fmt: skip
    if all(name in params for name in SINGLE):
        raise StatementInvalid(
            "statementId 与 voidedStatementId 不能同时使用",
            "statementId and voidedStatementId cannot be used together (xAPI Communication 2.1.3)",
        )
    single = next((name for name in SINGLE if name in params), None)
    if single is not None:
        others = sorted(set(params) - {single, *SHAPE})
        if others:
            raise invalid(others[0], f"与 {single} 同时只能使用 format、attachments", f"cannot be used with {single}: only format and attachments can (xAPI Communication 2.1.3)")  # fmt: skip
    fmt = params.get("format", "exact")
    if fmt not in FORMATS:
        raise invalid(
            "format", "应为 ids、exact 或 canonical", "must be ids, exact or canonical (xAPI Communication 2.1.3)"
        )
    limit = params.get("limit", "0")
    if not limit.isdigit():
        raise invalid("limit", "应为非负整数", "must be a non-negative integer (xAPI Communication 2.1.3)")
    verb, activity = params.get("verb"), params.get("activity")
    for name, value in (("verb", verb), ("activity", activity)):
        if value is not None:
            validate_iri(value, name)
    return StatementRequest(
        statement_id=_uuid(params, single) if single else None,
        voided=single == "voidedStatementId",
        fmt=fmt,  # type: ignore[arg-type]
        attachments=_boolean(params, "attachments"),
        filter=StatementFilter(
            agent=_agent(params, key),
            verb=None if verb is None else iri_hash(verb),
            activity=None if activity is None else iri_hash(activity),
            registration=_uuid(params, "registration"),
            related_agents=_boolean(params, "related_agents"),
            related_activities=_boolean(params, "related_activities"),
            since=_moment(params, "since"),
            until=_moment(params, "until"),
            limit=int(limit),
            ascending=_boolean(params, "ascending"),
        ),
    )
