"""The adaptive-learning pages: the class mastery heat map (staff) and a pupil's mastery with recommendations.

- ``/learning/mastery`` — staff choose a purpose and a class: pupils (masked names) × knowledge points, each cell
  coloured by mastery with its value as text, a legend, the class per point; a pupil's name drills down to
  ``/learning/mastery/learner/{pseudonym}``;
- ``/learning/me`` — a student's own page, a parent's for a child (``?pseudonym=`` picks among children).

Everything goes through :mod:`edubrain.learning` (roster and LRS reads, scope, audit); the routes ask the rules
the navigation asks (:func:`~edubrain.web.navigation.may_view_learning_class`, ``may_view_learning_own``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain import learning
from edubrain.errors import EduBrainError
from edubrain.governance import policy
from edubrain.governance.policy import role
from edubrain.web.learning_labels import LABELS
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_learning_class, may_view_learning_own
from edubrain.web.render import Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
BASE = "/learning/mastery"


def _labels(page: Page) -> dict[str, str]:
    return {k: v[0 if page.lang == "zh" else 1] for k, v in LABELS.items()}


def _purposes(lang: str) -> list[tuple[str, str]]:
    return [(p.id, pick(lang, p.title_zh, p.title_en)) for p in policy.purposes().values() if not p.automatic]


def _opened(request: Request, rule: Any) -> Page | Response:
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not rule(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


def _cell(c: learning.Cell, labels: dict[str, str]) -> dict[str, Any]:
    text = "–" if c.p_mastery is None else f"{c.p_mastery:.2f}"
    return {"point": c.point, "text": text, "status": c.status, "status_name": labels[c.status],
            "attempts": c.attempts, "correct": c.correct}  # fmt: skip


def _legend(labels: dict[str, str], t: learning.ClassMastery | learning.LearnerMastery) -> list[dict[str, str]]:
    values = {"mastered": f"{t.thresholds.mastered:.2f}", "weak": f"{t.thresholds.weak:.2f}"}
    # colours come from the status classes of learning.css (the CSP forbids inline styles)
    return [
        {
            "status": "mastered",
            "name": labels["mastered"],
            "range": labels["legend_mastered"].format(**values),
        },  # fmt: skip
        {
            "status": "learning",
            "name": labels["learning"],
            "range": labels["legend_learning"].format(**values),
        },  # fmt: skip
        {
            "status": "weak",
            "name": labels["weak"],
            "range": labels["legend_weak"].format(**values),
        },
        {
            "status": "no_evidence",
            "name": labels["no_evidence"],
            "range": labels["legend_none"],
        },
    ]


@router.get(BASE)
def class_page(request: Request, purpose: str | None = None, class_id: str | None = None) -> Response:
    """班级知识点掌握度: purpose, class, heat map of pupils × points with the class per point."""
    page = _opened(request, may_view_learning_class)
    if isinstance(page, Response):
        return page
    labels = _labels(page)
    purpose = (purpose or "").strip() or None
    context: dict[str, Any] = {"labels": labels, "purposes": _purposes(page.lang), "purpose": purpose, "base": BASE}
    if purpose is None:
        return page.render("learning_class.html", **context)
    try:
        choices = learning.classes(page.home, page.principal, purpose)
        chosen = class_id if class_id in choices else (choices[0] if choices else None)
        found = None if chosen is None else learning.class_mastery(page.home, page.principal, chosen, purpose)
    except EduBrainError as exc:
        return page.error(exc)
    context.update(classes=choices, class_id=chosen, m=found)
    if found is not None:
        names = {p.id: pick(page.lang, p.zh, p.en) for p in found.points}
        context.update(
            names=names,
            rows=[{"l": r, "cells": [_cell(c, labels) for c in r.cells],
                   "href": f"{BASE}/learner/{r.pseudonym}?" + urlencode({"purpose": purpose, "class_id": chosen})}
                  for r in found.learners],
            summary={s.point: s for s in found.summary}, legend=_legend(labels, found),
            thresholds=labels["thresholds"].format(mastered=found.thresholds.mastered, weak=found.thresholds.weak),
            ignored=labels["ignored"].format(**found.ignored.model_dump()),
        )  # fmt: skip
    return page.render("learning_class.html", **context)


def _learner_context(page: Page, found: learning.LearnerMastery) -> dict[str, Any]:
    labels = _labels(page)
    return {
        "labels": labels, "l": found, "legend": _legend(labels, found),
        "domains": [{"d": d, "rows": [{"p": pm.point, "c": _cell(pm.cell, labels)} for pm in d.points]} for d in found.domains],  # fmt: skip
        "thresholds": labels["thresholds"].format(mastered=found.thresholds.mastered, weak=found.thresholds.weak),
    }  # fmt: skip


@router.get(BASE + "/learner/{pseudonym}")
def staff_learner_page(request: Request, pseudonym: str, purpose: str | None = None, class_id: str | None = None) -> Response:  # fmt: skip
    """One pupil of the staff reader's (the heat map's drill-down), for the declared purpose."""
    page = _opened(request, may_view_learning_class)
    if isinstance(page, Response):
        return page
    purpose = (purpose or "").strip() or None
    if purpose is None:  # staff declare a purpose first: back to the form
        return page.redirect(BASE)
    try:
        found = learning.learner_mastery(page.home, page.principal, pseudonym, purpose=purpose, class_id=class_id)
    except EduBrainError as exc:
        return page.error(exc)
    back = f"{BASE}?" + urlencode({"purpose": purpose or "", "class_id": class_id or ""})
    context = _learner_context(page, found)
    return page.render("learning_me.html", title=context["labels"]["learner_title"], back=back, **context)


@router.get("/learning/me")
def own_page(request: Request, pseudonym: str | None = None) -> Response:
    """A student's own mastery and recommendations; a parent's child's (chosen among the children)."""
    page = _opened(request, may_view_learning_own)
    if isinstance(page, Response):
        return page
    labels = _labels(page)
    parent = any(role(g.role).scope == "children" for g in page.principal.grants)
    try:
        children = learning.learner_choices(page.home, page.principal)
        chosen = pseudonym if pseudonym else (children[0].pseudonym if children else None)
        found = None if chosen is None else learning.learner_mastery(page.home, page.principal, chosen)
    except EduBrainError as exc:
        return page.error(exc)
    title = labels["child_title" if parent else "me_title"]
    if found is None:
        return page.render("learning_me.html", title=title, labels=labels, l=None, children=children)
    context = _learner_context(page, found)
    return page.render("learning_me.html", title=title, children=children if parent else [], **context)
