"""The students-at-risk pages (学生发展风险预警): ``/at-risk`` and ``/at-risk/students/{pseudonym}``.

Reads through the governed facade :mod:`edubrain.early_warning`: a teacher or school sees counts per class and,
after declaring a purpose, the flagged pupils with the indicators that contributed (audited); a district or the
city sees counts only, small cells suppressed; pupils and parents get 403 and no navigation link. A pupil outside
the scope answers like an unknown one. Each pupil links to the pupil's profile (``/profiles/students/{p}``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.early_warning import flag_summary, flagged_students, reader_level, student_flag
from edubrain.errors import EduBrainError
from edubrain.governance import policy
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_at_risk
from edubrain.web.pages_at_risk_labels import LABELS
from edubrain.web.render import Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)


def _labels(page: Page) -> dict[str, str]:
    return {k: v[0 if page.lang == "zh" else 1] for k, v in LABELS.items()}


def _opened(request: Request) -> Page | Response:
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_at_risk(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


def _purposes(page: Page) -> list[tuple[str, str]]:
    return [(p.id, pick(page.lang, p.title_zh, p.title_en)) for p in policy.purposes().values() if not p.automatic]


@router.get("/at-risk")
def at_risk_page(request: Request, purpose: str | None = None, class_id: str | None = None) -> Response:
    """预警: counts one level down; for teachers and schools, with a purpose, the flagged pupils explained."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        summary = flag_summary(page.home, page.principal)
        listing = reader_level(page.home, page.principal) == "list"
        found = (
            flagged_students(page.home, page.principal, purpose=purpose, class_id=class_id or None)
            if listing and purpose
            else None
        )
    except EduBrainError as exc:
        return page.error(exc)
    return page.render(
        "at_risk.html", labels=_labels(page), summary=summary, listing=listing, found=found,
        purposes=_purposes(page), purpose=purpose or "", class_id=class_id or "",
    )  # fmt: skip


@router.get("/at-risk/students/{pseudonym}")
def at_risk_student_page(request: Request, pseudonym: str, purpose: str | None = None) -> Response:
    """One pupil: the score, band and each contributing indicator with its rule and rationale."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    if not purpose:
        return page.render(
            "at_risk_purpose.html", labels=_labels(page), purposes=_purposes(page),
            target=f"/at-risk/students/{pseudonym}",
        )  # fmt: skip
    try:
        found = student_flag(page.home, page.principal, pseudonym, purpose=purpose)
    except EduBrainError as exc:
        return page.error(exc)
    context: dict[str, Any] = {"labels": _labels(page), "s": found, "purpose": purpose}
    return page.render("at_risk_student.html", **context)
