"""The structure of an xAPI statement, checked before anything is stored.

Section numbers are those of xAPI 1.0.3 Part Two (Data, ``xAPI-Data.md``); IEEE 9274.1.1 (xAPI 2.0) keeps the
same rules in its §2.2–§2.4. Every failure is a :class:`~edubrain.lrs.errors.StatementInvalid` naming the property
(``statement[0].actor.mbox``), what was wrong and what is allowed, in Chinese and English.

What is checked: only the properties the specification defines, no ``null`` values (§2.2); an Agent or Identified
Group with exactly one inverse functional identifier, an Anonymous Group with members (§2.4.2); a verb with an IRI
id (§2.4.3); Activities, Agents, Groups, StatementRefs and SubStatements as objects, a SubStatement holding no
SubStatement nor ``id``/``stored``/``version``/``authority`` (§2.4.4); score ranges (§2.4.5.1); context rules:
``revision`` and ``platform`` only with an Activity object, ``contextActivities`` of Activities (§2.4.6); ISO 8601
timestamps and durations (§4.5, §4.6); language maps and extensions (§4.1, §4.2); a 1.0.x or 2.0.x ``version``
(§2.4.10); attachment metadata (§2.4.11); a voiding statement's object a StatementRef (§2.3.2).
"""

from __future__ import annotations

import re
from typing import Any

from edubrain.lrs.datatypes import (
    LANGUAGE_TAG,
    array,
    boolean,
    extensions,
    iri,
    language_map,
    number,
    object_of,
    text,
    timestamp,
    uuid,
)
from edubrain.lrs.errors import invalid
from edubrain.lrs.versions import statement_version_ok

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_STATEMENT = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version",
              "attachments"}  # fmt: skip
_SUB = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
_AGENT = {"objectType", "name", *IFIS}
_GROUP = {"objectType", "name", "member", *IFIS}
_DEFINITION = {"name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern",
               "choices", "scale", "source", "target", "steps"}  # fmt: skip
_CONTEXT = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
            "statement", "extensions", "contextAgents", "contextGroups"}  # fmt: skip
_INTERACTIONS = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing",
                 "likert", "numeric", "other"}  # fmt: skip
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_SHA2 = re.compile(r"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})\Z")
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;[^\r\n]*)?\Z")
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
_DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def validate_statement(statement: Any, where: str = "statement") -> None:
    """Check one statement as received (before the LRS sets ``id``, ``stored``, ``authority``, ``version``).

    Raises:
        StatementInvalid: the first property that breaks the specification.
    """
    object_of(statement, where, _STATEMENT)
    for name in ("actor", "verb", "object"):
        if name not in statement:
            raise invalid(f"{where}.{name}", "缺少必需属性", "is required (xAPI Data 2.2)")
    if "id" in statement:
        uuid(statement["id"], f"{where}.id")
    _body(statement, where, sub=False)
    if "authority" in statement:
        _actor(statement["authority"], f"{where}.authority")
    if "stored" in statement:
        timestamp(statement["stored"], f"{where}.stored")
    if "version" in statement and not (
        isinstance(statement["version"], str) and statement_version_ok(statement["version"])
    ):
        raise invalid(f"{where}.version", "版本须为 1.0.x 或 2.0.x", "must be 1.0.x or 2.0.x (xAPI Data 2.4.10)")


def _body(statement: dict[str, Any], where: str, *, sub: bool) -> None:
    """The parts a statement and a SubStatement share: actor, verb, object, result, context, timestamp, attachments."""
    _actor(statement["actor"], f"{where}.actor")
    _verb(statement["verb"], f"{where}.verb")
    target = statement["object"]
    kind = _object(target, f"{where}.object", sub=sub)
    if statement["verb"].get("id") == VOIDED and kind != "StatementRef":
        raise invalid(f"{where}.object", "作废语句的对象必须是 StatementRef", "a voiding statement's object must be a StatementRef (xAPI Data 2.3.2)")  # fmt: skip
    if "result" in statement:
        _result(statement["result"], f"{where}.result")
    if "context" in statement:
        _context(statement["context"], f"{where}.context", kind)
    if "timestamp" in statement:
        timestamp(statement["timestamp"], f"{where}.timestamp")
    if "attachments" in statement:
        _attachments(statement["attachments"], f"{where}.attachments")


def _ifi(agent: dict[str, Any], where: str, *, required: bool) -> None:
    """Exactly one inverse functional identifier (or none for an Anonymous Group), each well formed (§2.4.2.3)."""
    found = [name for name in IFIS if name in agent]
    if len(found) > 1:
        raise invalid(where, f"只能有一个反函数标识（IFI），收到 {', '.join(found)}", f"must have exactly one inverse functional identifier, got {', '.join(found)} (xAPI Data 2.4.2.3)")  # fmt: skip
    if not found:
        if required:
            raise invalid(where, "必须恰有一个反函数标识：mbox、mbox_sha1sum、openid 或 account", "must have exactly one inverse functional identifier: mbox, mbox_sha1sum, openid or account (xAPI Data 2.4.2.3)")  # fmt: skip
        return
    name = found[0]
    value = agent[name]
    if name == "mbox" and not (isinstance(value, str) and _MAILTO.match(value)):
        raise invalid(f"{where}.mbox", "应为 mailto:地址", "must be a mailto: IRI (xAPI Data 2.4.2.3)")
    if name == "mbox_sha1sum" and not (isinstance(value, str) and _SHA1.match(value)):
        raise invalid(f"{where}.mbox_sha1sum", "应为 40 位十六进制 SHA-1", "must be a 40-digit hexadecimal SHA-1 (xAPI Data 2.4.2.3)")  # fmt: skip
    if name == "openid":
        iri(value, f"{where}.openid")
    if name == "account":
        account = object_of(value, f"{where}.account", {"homePage", "name"})
        for part in ("homePage", "name"):
            if part not in account:
                raise invalid(f"{where}.account.{part}", "缺少必需属性", "is required (xAPI Data 2.4.2.4)")
        iri(account["homePage"], f"{where}.account.homePage", locator=True)
        text(account["name"], f"{where}.account.name")


def _agent(value: Any, where: str) -> None:
    agent = object_of(value, where, _AGENT)
    if agent.get("objectType", "Agent") != "Agent":
        raise invalid(f"{where}.objectType", "应为 Agent", "must be Agent")
    if "name" in agent:
        text(agent["name"], f"{where}.name")
    _ifi(agent, where, required=True)


def _actor(value: Any, where: str) -> None:
    """An Agent, or a Group (identified, or anonymous with members); members are Agents (§2.4.2.1, §2.4.2.2)."""
    if not isinstance(value, dict) or value.get("objectType") != "Group":
        _agent(value, where)
        return
    group = object_of(value, where, _GROUP)
    if "name" in group:
        text(group["name"], f"{where}.name")
    _ifi(group, where, required=False)
    anonymous = not any(name in group for name in IFIS)
    if anonymous and not group.get("member"):
        raise invalid(f"{where}.member", "匿名组必须列出成员", "an Anonymous Group must list its members (xAPI Data 2.4.2.2)")  # fmt: skip
    if "member" in group:
        array(group["member"], f"{where}.member", _agent)


def _verb(value: Any, where: str) -> None:
    verb = object_of(value, where, {"id", "display"})
    if "id" not in verb:
        raise invalid(f"{where}.id", "缺少必需属性", "is required (xAPI Data 2.4.3)")
    iri(verb["id"], f"{where}.id")
    if "display" in verb:
        language_map(verb["display"], f"{where}.display")


def _object(value: Any, where: str, *, sub: bool) -> str:
    """Check a statement's object; returns its objectType (§2.4.4)."""
    if not isinstance(value, dict):
        raise invalid(where, "应为 JSON 对象", "must be a JSON object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        _activity(value, where)
    elif kind == "Agent":
        _agent(value, where)
    elif kind == "Group":
        _actor(value, where)
    elif kind == "StatementRef":
        ref = object_of(value, where, {"objectType", "id"})
        if "id" not in ref:
            raise invalid(f"{where}.id", "缺少必需属性", "is required (xAPI Data 2.4.4.3)")
        uuid(ref["id"], f"{where}.id")
    elif kind == "SubStatement" and not sub:
        object_of(value, where, _SUB)
        for name in ("actor", "verb", "object"):
            if name not in value:
                raise invalid(f"{where}.{name}", "缺少必需属性", "is required (xAPI Data 2.4.4.3)")
        _body(value, where, sub=True)
    elif kind == "SubStatement":
        raise invalid(f"{where}.objectType", "子语句不能再嵌套子语句", "a SubStatement cannot contain a SubStatement (xAPI Data 2.4.4.3)")  # fmt: skip
    else:
        raise invalid(f"{where}.objectType", "应为 Activity、Agent、Group、StatementRef 或 SubStatement", "must be Activity, Agent, Group, StatementRef or SubStatement (xAPI Data 2.4.4)")  # fmt: skip
    return str(kind)


def _activity(value: Any, where: str) -> None:
    activity = object_of(value, where, {"objectType", "id", "definition"})
    if "id" not in activity:
        raise invalid(f"{where}.id", "缺少必需属性", "is required (xAPI Data 2.4.4.1)")
    iri(activity["id"], f"{where}.id")
    if "definition" not in activity:
        return
    definition = object_of(activity["definition"], f"{where}.definition", _DEFINITION)
    for name in ("name", "description"):
        if name in definition:
            language_map(definition[name], f"{where}.definition.{name}")
    if "type" in definition:
        iri(definition["type"], f"{where}.definition.type")
    if "moreInfo" in definition:
        iri(definition["moreInfo"], f"{where}.definition.moreInfo", locator=True)
    if "extensions" in definition:
        extensions(definition["extensions"], f"{where}.definition.extensions")
    if "interactionType" in definition and definition["interactionType"] not in _INTERACTIONS:
        raise invalid(f"{where}.definition.interactionType", f"取值无效；可用：{', '.join(sorted(_INTERACTIONS))}", f"must be one of {', '.join(sorted(_INTERACTIONS))} (xAPI Data 2.4.4.1)")  # fmt: skip
    if "correctResponsesPattern" in definition:
        array(definition["correctResponsesPattern"], f"{where}.definition.correctResponsesPattern", text)
    for name in ("choices", "scale", "source", "target", "steps"):
        if name in definition:
            array(definition[name], f"{where}.definition.{name}", _component)


def _component(value: Any, where: str) -> None:
    component = object_of(value, where, {"id", "description"})
    if "id" not in component:
        raise invalid(f"{where}.id", "缺少必需属性", "is required (xAPI Data 2.4.4.1)")
    text(component["id"], f"{where}.id")
    if "description" in component:
        language_map(component["description"], f"{where}.description")


def _result(value: Any, where: str) -> None:
    result = object_of(value, where, {"score", "success", "completion", "response", "duration", "extensions"})
    for name in ("success", "completion"):
        if name in result:
            boolean(result[name], f"{where}.{name}")
    if "response" in result:
        text(result["response"], f"{where}.response")
    if "duration" in result and not _DURATION.match(text(result["duration"], f"{where}.duration")):
        raise invalid(f"{where}.duration", "应为 ISO 8601 时长（如 PT1H30M）", "must be an ISO 8601 duration (PT1H30M) (xAPI Data 4.6)")  # fmt: skip
    if "extensions" in result:
        extensions(result["extensions"], f"{where}.extensions")
    if "score" in result:
        _score(result["score"], f"{where}.score")


def _score(value: Any, where: str) -> None:
    """``scaled`` in [-1, 1]; ``min`` < ``max``; ``raw`` between them (§2.4.5.1)."""
    score = object_of(value, where, {"scaled", "raw", "min", "max"})
    numbers = {name: number(score[name], f"{where}.{name}") for name in score}
    if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
        raise invalid(f"{where}.scaled", "应在 -1 到 1 之间", "must be between -1 and 1 (xAPI Data 2.4.5.1)")
    low, high = numbers.get("min"), numbers.get("max")
    if low is not None and high is not None and not low < high:
        raise invalid(f"{where}.min", "min 应小于 max", "min must be less than max (xAPI Data 2.4.5.1)")
    raw = numbers.get("raw")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        raise invalid(f"{where}.raw", "raw 应在 min 与 max 之间", "raw must lie between min and max (xAPI Data 2.4.5.1)")  # fmt: skip


def _context(value: Any, where: str, object_kind: str) -> None:
    context = object_of(value, where, _CONTEXT)
    if "registration" in context:
        uuid(context["registration"], f"{where}.registration")
    if "instructor" in context:
        _actor(context["instructor"], f"{where}.instructor")
    if "team" in context:
        if not isinstance(context["team"], dict) or context["team"].get("objectType") != "Group":
            raise invalid(f"{where}.team", "应为 Group", "must be a Group (xAPI Data 2.4.6)")
        _actor(context["team"], f"{where}.team")
    for name in ("revision", "platform"):
        if name in context:
            text(context[name], f"{where}.{name}")
            if object_kind != "Activity":
                raise invalid(f"{where}.{name}", "仅当语句对象是 Activity 时可用", "may only be used when the object is an Activity (xAPI Data 2.4.6)")  # fmt: skip
    if "language" in context and not LANGUAGE_TAG.match(text(context["language"], f"{where}.language")):
        raise invalid(
            f"{where}.language", "不是 RFC 5646 语言标签", "is not an RFC 5646 language tag (xAPI Data 2.4.6)"
        )
    if "statement" in context:
        ref = object_of(context["statement"], f"{where}.statement", {"objectType", "id"})
        if ref.get("objectType") != "StatementRef" or "id" not in ref:
            raise invalid(f"{where}.statement", "应为 StatementRef（objectType 与 id）", "must be a StatementRef with objectType and id (xAPI Data 2.4.6)")  # fmt: skip
        uuid(ref["id"], f"{where}.statement.id")
    if "extensions" in context:
        extensions(context["extensions"], f"{where}.extensions")
    if "contextActivities" in context:
        _context_activities(context["contextActivities"], f"{where}.contextActivities")
    if "contextAgents" in context:
        array(context["contextAgents"], f"{where}.contextAgents", _context_agent)
    if "contextGroups" in context:
        array(context["contextGroups"], f"{where}.contextGroups", _context_group)


def _context_activities(value: Any, where: str) -> None:
    activities = object_of(value, where, {"parent", "grouping", "category", "other"})
    for name, item in activities.items():
        if isinstance(item, list):
            array(item, f"{where}.{name}", _activity)
        else:
            _activity(item, f"{where}.{name}")


def _context_agent(value: Any, where: str) -> None:
    """IEEE 9274.1.1 §2.4.6 (xAPI 2.0): ``{"objectType": "contextAgent", "agent", "relevantTypes"}``."""
    item = object_of(value, where, {"objectType", "agent", "relevantTypes"})
    if item.get("objectType") != "contextAgent" or "agent" not in item:
        raise invalid(where, "应为 {objectType: contextAgent, agent}", "must be {objectType: contextAgent, agent} (IEEE 9274.1.1 2.4.6)")  # fmt: skip
    _agent(item["agent"], f"{where}.agent")
    if "relevantTypes" in item:
        array(item["relevantTypes"], f"{where}.relevantTypes", iri)


def _context_group(value: Any, where: str) -> None:
    """IEEE 9274.1.1 §2.4.6 (xAPI 2.0): ``{"objectType": "contextGroup", "group", "relevantTypes"}``."""
    item = object_of(value, where, {"objectType", "group", "relevantTypes"})
    if item.get("objectType") != "contextGroup" or "group" not in item:
        raise invalid(where, "应为 {objectType: contextGroup, group}", "must be {objectType: contextGroup, group} (IEEE 9274.1.1 2.4.6)")  # fmt: skip
    if not isinstance(item["group"], dict) or item["group"].get("objectType") != "Group":
        raise invalid(f"{where}.group", "应为 Group", "must be a Group")
    _actor(item["group"], f"{where}.group")
    if "relevantTypes" in item:
        array(item["relevantTypes"], f"{where}.relevantTypes", iri)


def _attachments(value: Any, where: str) -> None:
    array(value, where, _attachment)


def _attachment(value: Any, where: str) -> None:
    """Attachment metadata (§2.4.11; a signature's content type §2.6); the data is matched later (attachments.py)."""
    allowed = {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
    attachment = object_of(value, where, allowed)
    for name in ("usageType", "display", "contentType", "length", "sha2"):
        if name not in attachment:
            raise invalid(f"{where}.{name}", "缺少必需属性", "is required (xAPI Data 2.4.11)")
    iri(attachment["usageType"], f"{where}.usageType")
    language_map(attachment["display"], f"{where}.display")
    if "description" in attachment:
        language_map(attachment["description"], f"{where}.description")
    if not _MEDIA_TYPE.match(text(attachment["contentType"], f"{where}.contentType")):
        raise invalid(f"{where}.contentType", "应为互联网媒体类型（如 image/png）", "must be an Internet Media Type such as image/png (xAPI Data 2.4.11, RFC 2046)")  # fmt: skip
    if attachment["usageType"] == SIGNATURE_USAGE and attachment["contentType"].split(";")[0].strip().lower() != "application/octet-stream":  # fmt: skip
        raise invalid(f"{where}.contentType", "签名附件的 contentType 必须是 application/octet-stream", "a signature attachment's contentType must be application/octet-stream (xAPI Data 2.6)")  # fmt: skip
    if isinstance(attachment["length"], bool) or not isinstance(attachment["length"], int) or attachment["length"] < 0:
        raise invalid(f"{where}.length", "应为非负整数", "must be a non-negative integer (xAPI Data 2.4.11)")
    if not _SHA2.match(text(attachment["sha2"], f"{where}.sha2")):
        raise invalid(f"{where}.sha2", "应为附件数据的 SHA-2 十六进制摘要（SHA-224/256/384/512）", "must be the hexadecimal SHA-2 (SHA-224, 256, 384 or 512) of the data (xAPI Data 2.4.11)")  # fmt: skip
    if "fileUrl" in attachment:
        iri(attachment["fileUrl"], f"{where}.fileUrl", locator=True)


def validate_actor(value: Any, where: str) -> None:
    """Check an Agent or Group given as a query parameter (the rules of a statement's actor)."""
    _actor(value, where)


def validate_iri(value: Any, where: str) -> None:
    """Check an IRI given as a query parameter."""
    iri(value, where)


def validate_agent(value: Any, where: str) -> None:
    """Check an Agent (not a Group) given as a query parameter: one inverse functional identifier (§2.4.2.1)."""
    _agent(value, where)
