"""The Activities and Agents resources: an Activity's canonical definition and an Agent's Person object.

xAPI 1.0.3 Communication §2.5 (Activities) and §2.4 (Agents), Data §2.4.4.1; IEEE 9274.1.1 keeps both resources.
Both are built only from statements the caller may read (the scope of :func:`edubrain.lrs.access.read_scope`),
newest first, at most :data:`MAX_SCAN` of them; voided statements are not used.

- **Canonical definition** (:func:`canonical_activity`). Data §2.4.4.1 says an LRS SHOULD update its definition
  when a statement brings a different one, if it trusts the provider. This LRS keeps no definition apart from the
  statements, so it merges their definitions at read time: **the newest statement wins** property by property, and
  within the language maps (``name``, ``description``) and ``extensions`` language by language and key by key;
  older statements only fill in what newer ones left out. An activity with no readable definition is returned as
  ``{"objectType": "Activity", "id": …}`` (Communication §2.5.s2: still an Activity object), the same whether it is
  unknown or known only outside the caller's scope.
- **Person** (:func:`person`). A Person combines what the LRS knows of an agent. This LRS links no identities
  across identifiers (it has no directory of personas), so a Person holds the one identifier asked for and the
  ``name`` values that agent carries in statements the caller may read (the name supplied first). It never holds an
  identifier or name the caller could not already read; out of scope, or unknown, it is the Person built from the
  supplied agent alone (Communication §2.4.s3.b3), so the answer says nothing about whether the person exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from edubrain.governance.pseudonyms import PseudonymKey
from edubrain.lrs.agents import agent_pseudonym, map_people
from edubrain.lrs.errors import invalid
from edubrain.lrs.validation import IFIS, validate_agent, validate_iri

MAX_SCAN = 1000
"""The most statements (newest first) one Activities or Agents answer reads."""
_MERGED = ("name", "description", "extensions")


def activity_request(params: dict[str, str]) -> str:
    """The ``activityId`` of a ``GET /xAPI/activities`` (the only parameter, required, an IRI).

    Raises:
        StatementInvalid: a missing or malformed ``activityId``, or another parameter.
    """
    _only(params, "activityId")
    validate_iri(params["activityId"], "activityId")
    return params["activityId"]


def agent_request(params: dict[str, str]) -> dict[str, Any]:
    """The ``agent`` of a ``GET /xAPI/agents``: an Agent with one identifier, not a Group (Communication §2.4).

    Raises:
        StatementInvalid: a missing or malformed ``agent``, a Group, or another parameter.
    """
    _only(params, "agent")
    try:
        agent = json.loads(params["agent"])
    except ValueError:
        raise invalid("agent", "应为 Agent 的 JSON", "must be the JSON of an Agent (xAPI Communication 2.4)") from None
    validate_agent(agent, "agent")
    return dict(agent)


def _only(params: dict[str, str], name: str) -> None:
    others = sorted(set(params) - {name})
    if others:
        raise invalid(
            others[0], f"未知参数；此资源只接受 {name}", f"is not a parameter of this resource; only {name} is"
        )
    if name not in params:
        raise invalid(name, "缺少必需参数", "is required")


def _activities(statement: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every Activity object of a statement: its object, its contextActivities, and the same in a SubStatement."""
    target = statement.get("object", {})
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        yield target
    elif kind == "SubStatement":
        yield from _activities(target)
    for group in statement.get("context", {}).get("contextActivities", {}).values():
        yield from group if isinstance(group, list) else [group]


def canonical_activity(activity_id: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    """The Activity ``activity_id`` with its definition merged from ``statements`` (newest first, see above)."""
    definition: dict[str, Any] = {}
    for statement in statements:
        for activity in _activities(statement):
            if activity.get("id") != activity_id or not activity.get("definition"):
                continue
            for name, value in activity["definition"].items():
                if name in _MERGED:
                    definition[name] = {**value, **definition.get(name, {})}
                else:
                    definition.setdefault(name, value)
    found: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        found["definition"] = definition
    return found


def person(agent: dict[str, Any], statements: list[dict[str, Any]], key: PseudonymKey) -> dict[str, Any]:
    """The Person object of ``agent`` from ``statements`` the caller may read (exact, newest first)."""
    wanted = agent_pseudonym(agent, key)
    names: list[str] = [agent["name"]] if "name" in agent else []

    def note(one: dict[str, Any], _primary: bool) -> dict[str, Any]:
        for candidate in (one, *one.get("member", ())):
            if "name" in candidate and candidate.get("objectType", "Agent") == "Agent":
                if agent_pseudonym(candidate, key) == wanted and candidate["name"] not in names:
                    names.append(candidate["name"])
        return one

    for statement in statements:
        map_people(statement, note)
    identifier = next(name for name in IFIS if name in agent)
    found: dict[str, Any] = {"objectType": "Person"}
    if names:
        found["name"] = names
    found[identifier] = [agent[identifier]]
    return found
