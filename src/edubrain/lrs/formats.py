"""The three shapes of a returned statement (xAPI 1.0.3 Communication §2.1.3 ``format``).

- ``exact``: as received (with what the LRS set: ``id``, ``stored``, ``authority``, ``version``, ``timestamp``);
- ``ids``: Agents and Identified Groups reduced to their IFI, Anonymous Groups to their members' IFIs, Activities
  to their id, Verbs to their id;
- ``canonical``: as ``exact``, with every language map of Activities and Verbs cut to the one language that best
  fits the ``Accept-Language`` header (RFC 7231 §5.3.5, applied to each map). This LRS keeps no canonical
  definition apart from the received ones, so the maps are those of the statement itself.
"""

from __future__ import annotations

from typing import Any, Literal

from edubrain.lrs.agents import map_people
from edubrain.lrs.validation import IFIS

Format = Literal["ids", "exact", "canonical"]
_LANGUAGE_MAPS = ("name", "description")
_COMPONENTS = ("choices", "scale", "source", "target", "steps")


def shaped(statement: dict[str, Any], fmt: Format, accept_language: str | None = None) -> dict[str, Any]:
    """``statement`` in the format asked for."""
    if fmt == "exact":
        return statement
    if fmt == "ids":
        return _ids(statement)
    languages = accepted_languages(accept_language)
    return _activities(statement, lambda a: _canonical_activity(a, languages), lambda v: _one_display(v, languages))


def _ids(statement: dict[str, Any]) -> dict[str, Any]:
    def person(p: dict[str, Any], _primary: bool) -> dict[str, Any]:
        out = {k: v for k, v in p.items() if k in IFIS or k == "objectType"}
        if not any(k in IFIS for k in p) and "member" in p:
            out["member"] = [person(m, False) for m in p["member"]]
        return out

    with_people = map_people(statement, person)
    return _activities(
        with_people, lambda a: {k: a[k] for k in ("objectType", "id") if k in a}, lambda v: {"id": v["id"]}
    )


def _activities(statement: dict[str, Any], activity: Any, verb: Any) -> dict[str, Any]:
    """A copy with every Activity and Verb (also in a SubStatement and contextActivities) passed through the functions."""
    out = dict(statement)
    out["verb"] = verb(statement["verb"])
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        out["object"] = activity(target)
    elif kind == "SubStatement":
        out["object"] = _activities(target, activity, verb)
    context = statement.get("context")
    if context and "contextActivities" in context:
        groups = {
            name: [activity(a) for a in group] if isinstance(group, list) else activity(group)
            for name, group in context["contextActivities"].items()
        }
        out["context"] = {**context, "contextActivities": groups}
    return out


def accepted_languages(header: str | None) -> list[str]:
    """The language ranges of an ``Accept-Language`` header, best first (``q=0`` dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, i, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranked)]


def pick_language(values: dict[str, str], languages: list[str]) -> dict[str, str]:
    """The one entry of a language map that best fits ``languages`` (else the first entry)."""
    if not values:
        return values
    lowered = {k.lower(): k for k in values}
    for wanted in languages:
        if wanted == "*":
            break
        for tag_lower, tag in lowered.items():
            if tag_lower == wanted or tag_lower.startswith(wanted + "-"):
                return {tag: values[tag]}
    first = next(iter(values))
    return {first: values[first]}


def _one_display(verb: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    return {**verb, "display": pick_language(verb["display"], languages)} if "display" in verb else verb


def _canonical_activity(activity: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    definition = activity.get("definition")
    if not definition:
        return activity
    new = dict(definition)
    for name in _LANGUAGE_MAPS:
        if name in new:
            new[name] = pick_language(new[name], languages)
    for name in _COMPONENTS:
        if name in new:
            new[name] = [
                {**c, "description": pick_language(c["description"], languages)} if "description" in c else c
                for c in new[name]
            ]
    return {**activity, "definition": new}
