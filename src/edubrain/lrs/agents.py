"""Agents in statements: inverse functional identifiers, their keyed pseudonyms, and the shapes a reader gets.

An Agent or Identified Group is identified by exactly one IFI (xAPI 1.0.3 Data §2.4.2.3); two are the same when
the same IFI has the same value. At rest the LRS keeps, for matching, only the keyed pseudonym of an IFI
(:func:`agent_pseudonym`), never the IFI itself:

- a pupil of the platform is the account ``{"homePage": LEARNER_HOMEPAGE, "name": <全国学籍号>}``; its pseudonym is
  the student pseudonym of the lake's derived datasets (``pseudonym(id, "student")``), so statements join them;
- any other IFI gets ``pseudonym("<ifi>|<value>", "xapi_agent")`` (domain-separated, case-insensitive like every
  pseudonym of :mod:`edubrain.governance.pseudonyms`).

:func:`pseudonymous` rewrites every Agent and Group of a statement to a pseudonymous account without names: that
copy is what the lake export and analytics read. The statement as received is kept only sealed
(:mod:`edubrain.lrs.sealing`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from edubrain.governance.pseudonyms import IdentifierKind, PseudonymKey, pseudonym
from edubrain.lrs.validation import IFIS

LEARNER_HOMEPAGE = "https://edubrain.example/learners"
"""``account.homePage`` of the platform's pupils; ``account.name`` is the 全国学籍号."""
PSEUDONYM_HOMEPAGE = "https://edubrain.example/pseudonyms"
"""``account.homePage`` of the pseudonymous agents in the stored copy."""
CLIENT_HOMEPAGE = "https://edubrain.example/clients"
"""``account.homePage`` of the authority the LRS sets (the credential's node or user id)."""
Person = dict[str, Any]
Visit = Callable[[Person, bool], Person]
"""Called with an Agent or Group and whether it is the actor or object of the statement (not a SubStatement's)."""


def ifi_text(agent: Person) -> str | None:
    """The IFI as one text, ``mbox|mailto:a@b`` or ``account|<homePage>|<name>`` (None: an Anonymous Group)."""
    for name in IFIS:
        if name in agent:
            value = agent[name]
            if name == "account":
                return f"account|{value['homePage']}|{value['name']}"
            return f"{name}|{value}"
    return None


def learner_id(agent: Person) -> str | None:
    """The 全国学籍号 of a pupil's account (None for any other agent)."""
    account = agent.get("account")
    if isinstance(account, dict) and account.get("homePage") == LEARNER_HOMEPAGE:
        return str(account.get("name", "")).strip() or None
    return None


def agent_pseudonym(agent: Person, key: PseudonymKey) -> str | None:
    """The keyed pseudonym of an Agent's or Identified Group's IFI (None: an Anonymous Group has none)."""
    student = learner_id(agent)
    if student is not None:
        return _pseudonym(student, "student", key)
    text = ifi_text(agent)
    return None if text is None else _pseudonym(text, "xapi_agent", key)


_MEMO_SIZE = 16384
_memo: dict[tuple[str, str, str], str] = {}


def _pseudonym(value: str, kind: IdentifierKind, key: PseudonymKey) -> str:
    """:func:`~edubrain.governance.pseudonyms.pseudonym`, remembered for up to 16,384 agents (then forgotten).

    A statement names its actor up to five times (the row, the pseudonymous copy, the references) and a school's
    pupils recur from batch to batch. The key's secret is part of the memo's key: another key never gets a
    pseudonym made under this one.
    """
    memo_key = (key.secret.get_secret_value(), kind, value)
    found = _memo.get(memo_key)
    if found is None:
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        found = _memo[memo_key] = pseudonym(value, kind, key)
    return found


def map_people(statement: Person, visit: Visit, *, top: bool = True) -> Person:
    """A copy of ``statement`` with every Agent and Group replaced by ``visit(person, primary)``.

    Covers the actor, an Agent or Group object, a SubStatement's people, the authority and the context's
    instructor, team, contextAgents and contextGroups (xAPI 2.0).
    """
    out = dict(statement)
    out["actor"] = visit(statement["actor"], top)
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        out["object"] = visit(target, top)
    elif kind == "SubStatement":
        out["object"] = map_people(target, visit, top=False)
    if "authority" in statement:
        out["authority"] = visit(statement["authority"], False)
    if "context" in statement:
        context = dict(statement["context"])
        for name in ("instructor", "team"):
            if name in context:
                context[name] = visit(context[name], False)
        if "contextAgents" in context:
            context["contextAgents"] = [{**c, "agent": visit(c["agent"], False)} for c in context["contextAgents"]]
        if "contextGroups" in context:
            context["contextGroups"] = [{**c, "group": visit(c["group"], False)} for c in context["contextGroups"]]
        out["context"] = context
    return out


def pseudonymous(statement: Person, key: PseudonymKey) -> Person:
    """``statement`` with every person as a nameless pseudonymous account (the copy kept in clear at rest)."""
    return pseudonymous_with_refs(statement, key)[0]


def agent_refs(statement: Person, key: PseudonymKey) -> dict[str, bool]:
    """Pseudonyms of the statement's people -> whether the ``agent`` filter matches them without ``related_agents``.

    Primary (xAPI Communication §2.1.3 ``agent``): the actor or an Agent/Group object, and the members of such a
    Group. Related only: authority, instructor, team, context agents and groups, and the people of a SubStatement.
    """
    return pseudonymous_with_refs(statement, key)[1]


def pseudonymous_with_refs(statement: Person, key: PseudonymKey) -> tuple[Person, dict[str, bool]]:
    """:func:`pseudonymous` and :func:`agent_refs` of ``statement`` in one walk over its people."""
    found: dict[str, bool] = {}

    def one(person: Person, primary: bool) -> Person:
        out: Person = {"objectType": person.get("objectType", "Agent")}
        code = agent_pseudonym(person, key)
        if code is not None:
            out["account"] = {"homePage": PSEUDONYM_HOMEPAGE, "name": code}
            found[code] = found.get(code, False) or primary
        if "member" in person:
            out["member"] = [one(m, primary) for m in person["member"]]
        return out

    return map_people(statement, one), found


def activity_refs(statement: Person) -> dict[str, bool]:
    """Activity ids of the statement -> whether the ``activity`` filter matches them without ``related_activities``.

    Primary: the statement's Activity object. Related only: contextActivities, and a SubStatement's object and
    contextActivities.
    """
    found: dict[str, bool] = {}

    def walk(part: Person, primary: bool) -> None:
        target = part["object"]
        kind = target.get("objectType", "Activity")
        if kind == "Activity":
            found[target["id"]] = found.get(target["id"], False) or primary
        elif kind == "SubStatement":
            walk(target, False)
        for group in part.get("context", {}).get("contextActivities", {}).values():
            for activity in group if isinstance(group, list) else [group]:
                found.setdefault(activity["id"], False)

    walk(statement, True)
    return found


def learner_ids(statement: Person) -> set[str]:
    """The 全国学籍号 of every pupil account anywhere in the statement."""
    found: set[str] = set()

    def note(person: Person, _primary: bool) -> Person:
        for one in (person, *person.get("member", ())):
            student = learner_id(one)
            if student is not None:
                found.add(student)
        return person

    map_people(statement, note)
    return found
