"""The 学籍身份合并 review page (``/identity``): duplicate student records side by side, merge, reject, undo.

Everything goes through :mod:`edubrain.governance.identity_merge` (scope, masking, audit); the route asks
:func:`~edubrain.web.navigation.may_review_identities`, the rule the header's navigation asks too. Forms carry
the CSRF token like every other form; a decision redirects back to the list (303).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from edubrain.errors import EduBrainError
from edubrain.governance import identity_merge as im
from edubrain.governance.scope import AccessDenied
from edubrain.web.navigation import may_review_identities
from edubrain.web.render import Page, open_page

router = APIRouter(include_in_schema=False)
STATUSES = ("open", "merged", "rejected", "all")
LABELS: dict[str, tuple[str, str]] = {
    "title": ("学籍身份合并", "Duplicate student records"),
    "intro": ("同一学生可能有两条学籍记录（转学后重新注册、姓名录入错误、出生日期录错、缺身份证号）。"
              "请对照两条记录后合并（选择保留的记录）或驳回；每项决定都记入审计日志，可撤销。",
              "The same child may stand twice in the rosters (re-registered after a transfer, a typo in the name, a "
              "wrong birth-date digit, no 身份证号). Compare the two records, then merge (choosing the record kept) or "
              "reject; every decision is audited and can be undone."),
    "find": ("查找疑似重复", "Find duplicates"), "status": ("状态", "Status"), "apply": ("筛选", "Filter"),
    "open": ("待审核", "Open"), "merged": ("已合并", "Merged"), "rejected": ("已驳回", "Rejected"), "all": ("全部", "All"),
    "probability": ("匹配概率", "Match probability"), "rule": ("依据", "Rule"),
    "rule_id_number": ("身份证号相同", "Same 身份证号"), "rule_model": ("相似度模型", "Similarity model"),
    "left": ("记录一", "Record 1"), "right": ("记录二", "Record 2"), "field": ("字段", "Field"),
    "keep_left": ("合并，保留记录一", "Merge, keep record 1"), "keep_right": ("合并，保留记录二", "Merge, keep record 2"),
    "reject": ("驳回（不是同一学生）", "Reject (different children)"), "undo": ("撤销", "Undo"),
    "kept": ("保留", "kept"), "none": ("没有符合条件的疑似重复记录。", "No candidates match."),
    "total": ("共 {n} 条", "{n} in all"), "forbidden": ("您的角色不能审核学籍身份", "Your roles may not review student identities"),
    "found": ("已读取 {records} 条学籍，新增 {new} 条疑似重复", "Read {records} records; {new} new candidates"),
    "student_id": ("全国学籍号", "Student number"), "name": ("姓名", "Name"), "sex": ("性别", "Sex"),
    "birth_date": ("出生日期", "Birth date"), "id_number": ("身份证号", "ID number"),
    "school_code": ("学校标识码", "School"), "class_id": ("班级", "Class"), "grade": ("年级", "Grade"),
    "hukou_district_code": ("户籍所在区", "Hukou district"), "address": ("家庭住址", "Address"),
    "guardian_phone": ("监护人电话", "Guardian phone"),
}  # fmt: skip


def _opened(request: Request) -> tuple[Page, Response | None]:
    page = open_page(request)
    if page.web.principal is None:
        return page, page.login_redirect()
    if not may_review_identities(page.home, page.principal):
        return page, page.error(AccessDenied(LABELS["forbidden"][0], LABELS["forbidden"][1]), 403)
    return page, None


@router.get("/identity")
def identity_page(request: Request, status: str = "open", found: str = "") -> Response:
    """The candidates in scope, side by side and masked to the reader's clearance."""
    page, refused = _opened(request)
    if refused:
        return refused
    chosen = status if status in STATUSES else "open"
    try:
        listing = im.list_candidates(page.home, page.principal, status=None if chosen == "all" else chosen)
    except EduBrainError as exc:
        return page.error(exc)
    labels = {k: v[0 if page.lang == "zh" else 1] for k, v in LABELS.items()}
    return page.render(
        "identity.html", page_title=labels["title"], labels=labels, listing=listing, status=chosen, statuses=STATUSES,
        fields=("student_id", *im.SHOWN_FIELDS), found=found, may_find=im.may_decide_any(page.home, page.principal),
    )  # fmt: skip


def _back(page: Page, status: str, **extra: str) -> Response:
    return page.redirect("/identity?" + urlencode({"status": status if status in STATUSES else "open", **extra}))


@router.post("/identity/find")
def identity_find(request: Request) -> Response:
    """Score the rosters in scope (an audited read for 学籍管理) and store new candidates."""
    page, refused = _opened(request)
    if refused:
        return refused
    try:
        result = im.find_candidates(page.home, page.principal)
    except EduBrainError as exc:
        return page.error(exc)
    return _back(page, "open", found=f"{result.records},{result.new}")


@router.post("/identity/{candidate_id}/{action}")
def identity_decide(
    request: Request, candidate_id: str, action: str, canonical: str = Form(""), status: str = Form("open")
) -> Response:
    """Merge (keeping ``canonical``), reject or undo one candidate; back to the list."""
    page, refused = _opened(request)
    if refused:
        return refused
    try:
        if action == "merge":
            im.merge(page.home, page.principal, candidate_id, canonical)
        elif action == "reject":
            im.reject(page.home, page.principal, candidate_id)
        elif action == "undo":
            im.undo(page.home, page.principal, candidate_id)
        else:
            raise AccessDenied("未知操作", "Unknown action")
    except EduBrainError as exc:
        return page.error(exc)
    return _back(page, status)
