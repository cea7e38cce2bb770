"""全息画像: the profile pages of students, teachers and schools, each value linked to the rows it came from.

Every page calls one function of the governed profile facade (:mod:`edubrain.profiles`), which reads through
the governance read path (row scope, masking, audit) and writes the ``profile_read`` audit event; the pages
only arrange what it returns:

- ``/profiles`` — the entry by role: school staff choose a purpose and a pupil (masked names from
  :func:`~edubrain.profiles.student_choices`), students and parents see themselves or their children, city
  and district users the five-domain distributions per school (:func:`~edubrain.profiles.district_summary`,
  small cells suppressed) with links to the school profiles;
- ``/profiles/students/{pseudonym}`` — identity (masked per role), the radar of the five domains of
  综合素质评价 with the previous year overlaid, the indicators of every year (each value links to its
  evidence), the enrollment timeline, the methods, and the PDF record;
- ``/profiles/{kind}s/{subject}/evidence/{indicator}?year=`` — the evidence rows of one value;
- ``/profiles/teachers/{teacher_id}`` and ``/profiles/schools/{school_code}``.

Students are addressed by their keyed pseudonym, never by the 学籍号 (paths are logged). A purpose, where the
reader declared one, travels in the query string of every link so the evidence is read for the same purpose.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.analytics.profiles.definitions import IndicatorDef, load_indicators
from edubrain.errors import EduBrainError
from edubrain.governance import policy
from edubrain.governance.audit_unit import one_audit_commit
from edubrain.governance.readpath import KEPT_PAGE_ROWS
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.profiles import (
    IndicatorValue,
    SectionYear,
    StudentProfile,
    district_summary,
    evidence,
    school_profile,
    student_choices,
    student_profile,
    teacher_profile,
)
from edubrain.web.labels import school_names
from edubrain.web.messages import pick, t
from edubrain.web.navigation import may_view_profiles, profile_mode
from edubrain.web.pages_data import page_cache
from edubrain.web.profiles_batches import batch_evidence_context
from edubrain.web.render import NotFound, Page, indicator_cache, open_page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 60
"""Pupils listed per page of the picker."""
SEARCH_LIMIT = 500
"""Pupils searched at most when the picker filters by a typed text (the facade's page limit)."""
DOMAINS = ("1", "2", "3", "4", "5")
"""The five domains of 综合素质评价 (教基二〔2014〕11号): 思想品德, 学业水平, 身心健康, 艺术素养, 社会实践."""
STUDENT_GROUPS = (*DOMAINS, "literacy", "overall")
"""The groups of student indicators, in the order the page shows them."""
TEACHER_SECTIONS = ("teaching", "training", "portfolio")
SCHOOL_SECTIONS = ("scale", "places", "quality", "ict", "submission")
KINDS = {"students": "student", "teachers": "teacher", "schools": "school"}
"""Path segment -> profile kind."""
EVIDENCE_PAGE_ROWS = KEPT_PAGE_ROWS
"""Evidence rows shown per page (a page of this size is kept by the read path per table version)."""
TEACHER_LIST_LIMIT = 300
"""Teachers listed on a school's profile at most."""


# ---------------------------------------------------------------- shared helpers


def _purposes(lang: str) -> list[tuple[str, str]]:
    """The purposes a reader may declare (not the automatic ones), as (id, title)."""
    return [(p.id, pick(lang, p.title_zh, p.title_en)) for p in policy.purposes().values() if not p.automatic]


def _purpose(purpose: str | None) -> str | None:
    """A declared purpose, or None for an empty one (the read path checks that it is known)."""
    return purpose.strip() or None if purpose else None


def _query(**values: object) -> str:
    """A query string of the values that are set (``?a=1&b=2``; empty when none)."""
    kept = {k: v for k, v in values.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def group_title(home: Any, group: str, lang: str) -> str:
    """The title of a group of indicators: a quality domain, information literacy, overall, or a section."""
    if group in DOMAINS:
        return home.catalog.code_table("quality_domain").label(group, lang) or group
    return t(f"pf_sec_{group}", lang)


def _number(value: float) -> str:
    """A number as shown: integers without decimals, others with one (two below 1)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) < 1 else f"{value:,.1f}"


def show_value(home: Any, column: str, value: object, unit: str, lang: str) -> str:
    """A profile value in words: a code by its name, yes/no, a number with its unit; – for none."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if column == "conduct_rating":
        return home.catalog.code_table("conduct_rating").label(str(value), lang) or str(value)
    if isinstance(value, int | float):
        sep = "" if unit in ("%", "") or lang == "zh" else " "
        return f"{_number(float(value))}{sep}{unit}"
    return str(value)


def _cell(home: Any, v: IndicatorValue, lang: str) -> dict[str, Any]:
    """What a table cell shows of one indicator value (``raw`` is the stored value, for tests and data-value)."""
    return {
        "id": v.id,
        "column": v.column,
        "masked": v.masked,
        "missing": v.value is None,
        "text": t("masked_value", lang)
        if v.masked
        else show_value(home, v.column, v.value, "", lang),  # unit: in the row
        "raw": "" if v.value is None else str(v.value),
    }


def _definitions(profile: str) -> dict[str, IndicatorDef]:
    return {d.id: d for d in load_indicators(profile)}


def _matrix(
    home: Any, years: list[tuple[int, tuple[IndicatorValue, ...]]], groups: tuple[str, ...], profile: str, lang: str
) -> list[dict[str, Any]]:
    """Indicator rows grouped by domain/section: each row an indicator, each column a year, cell linkable or not."""
    defs = _definitions(profile)
    by_id: dict[str, dict[int, IndicatorValue]] = {}
    for year, values in years:
        for v in values:
            by_id.setdefault(v.id, {})[year] = v
    out = []
    for group in groups:
        rows = []
        for d in defs.values():
            if d.domain != group or d.id not in by_id:
                continue
            cells = []
            for year, _ in years:
                found = by_id[d.id].get(year)
                cell = _cell(home, found, lang) if found else {"missing": True, "text": "–", "masked": False}
                cell["year"] = year
                cell["linked"] = found is not None and d.has_evidence and not cell["missing"] and not found.masked
                cells.append(cell)
            rows.append({"id": d.id, "title": pick(lang, d.title_zh, d.title_en), "unit": d.unit, "cells": cells})
        if rows:
            out.append({"group": group, "title": group_title(home, group, lang), "rows": rows})
    return out


def _methods(home: Any, profile: str, groups: tuple[str, ...], lang: str) -> list[dict[str, Any]]:
    """How each indicator is computed, grouped (from the indicator definitions)."""
    defs = load_indicators(profile)
    return [
        {
            "title": group_title(home, group, lang),
            "items": [
                {
                    "id": d.id,
                    "title": pick(lang, d.title_zh, d.title_en),
                    "method": pick(lang, d.method_zh, d.method_en),
                    "source": _dataset_title(home, d.evidence.dataset, lang)
                    if d.evidence
                    else (t("ev_batches_source", lang) if d.batch_evidence else None),
                }
                for d in defs
                if d.domain == group
            ],
        }
        for group in groups
        if any(d.domain == group for d in defs)
    ]


def _dataset_title(home: Any, dataset_id: str, lang: str) -> str:
    dataset = home.catalog.datasets.get(dataset_id)
    return pick(lang, dataset.title_zh, dataset.title_en) if dataset else dataset_id


def _school_name(page: Page, code: str | None) -> str:
    if not code:
        return ""
    return school_names(indicator_cache(page.request), page.home, page.lang).get(code, code)


def _refused(page: Page) -> Response:
    return page.error(AccessDenied(t("page_refused", "zh"), t("page_refused", "en")), 403)


def _missing(page: Page) -> bool:
    """Whether the profiles have not been computed yet (the derived datasets are not in the lake)."""
    datasets = page.home.catalog.datasets
    return "student_profiles" not in datasets or page.home.lake.version("student_profiles") is None


# ---------------------------------------------------------------- /profiles


@router.get("/profiles")
@one_audit_commit
def profiles_page(
    request: Request,
    purpose: str | None = None,
    class_id: str | None = None,
    q: str = "",
    year: int | None = None,
    district: str | None = None,
    page_no: int = 1,
) -> Response:
    """全息画像: the entry of each role (picker, own records, or district summary)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_profiles(page.home, page.principal):
        return _refused(page)
    mode = profile_mode(page.home, page.principal)
    context: dict[str, Any] = {"mode": mode, "missing": _missing(page), "purposes": _purposes(page.lang)}
    if context["missing"]:
        return page.render("profiles.html", **context)
    try:
        if mode == "personal":
            context["choices"] = _choices(page, None, None, 0, SEARCH_LIMIT)
        elif mode == "staff":
            context.update(_staff(page, _purpose(purpose), class_id, q.strip(), max(page_no, 1)))
        else:
            context.update(_summary(page, district or None, year))
    except EduBrainError as exc:
        return page.error(exc)
    return page.render("profiles.html", **context)


def _choices(page: Page, purpose: str | None, class_id: str | None, offset: int, limit: int) -> dict[str, Any]:
    found = student_choices(page.home, page.principal, purpose=purpose, class_id=class_id, limit=limit, offset=offset)
    names = school_names(indicator_cache(page.request), page.home, page.lang)
    items = [
        {
            "pseudonym": c.pseudonym,
            "name": c.name or "–",
            "class_id": c.class_id or "",
            "grade_name": page.home and _grade(page, c.grade, c.grade_name),
            "school": names.get(c.school_code or "", c.school_code or ""),
        }
        for c in found.items
    ]
    return {"items": items, "total": found.total, "offset": found.offset, "limit": found.limit}


def _grade(page: Page, grade: str | None, zh_name: str) -> str:
    """The grade's name in the page's language (the facade's picker names grades in Chinese)."""
    if page.lang == "zh" or not grade:
        return zh_name
    return page.home.catalog.code_table("grade").label(grade, "en") or zh_name


def _classes(page: Page) -> list[str]:
    """The classes a staff reader may pick from: a teacher's own, else the school's classes it may read."""
    refs = sorted({r for g in Scope.of(page.home, page.principal).person_grants() for r in (g.refs or ())})
    if refs:
        return refs
    try:
        found = page_cache(page.request).read(page.home, page.principal, "classes", {}, 2000, 0)
    except EduBrainError:
        return []
    return sorted({str(c) for c in found.table.column("class_id").to_pylist() if c})


def _staff(page: Page, purpose: str | None, class_id: str | None, q: str, page_no: int) -> dict[str, Any]:
    """The picker of school staff: after a purpose is chosen, the pupils (of a class), filtered by ``q``."""
    out: dict[str, Any] = {"purpose": purpose, "class_id": class_id or "", "q": q, "classes": _classes(page)}
    view = Scope.of(page.home, page.principal).viewpoint()
    if view.level == "school" and any(policy.role(g.role).scope == "school" for g in page.principal.grants):
        out["own_school"] = {"code": view.org_code, "name": _school_name(page, view.org_code)}
    if purpose is None:
        return out
    if q:
        found = _choices(page, purpose, class_id or None, 0, SEARCH_LIMIT)
        needle = q.casefold()
        found["items"] = [
            c for c in found["items"] if any(needle in str(c[k]).casefold() for k in ("name", "class_id", "grade_name"))
        ]
        found["total"], found["searched"] = len(found["items"]), True
    else:
        found = _choices(page, purpose, class_id or None, (page_no - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    out["choices"] = found
    out["page_no"], out["pages"] = page_no, pages if not q else 1
    return out


def _summary(page: Page, district: str | None, year: int | None) -> dict[str, Any]:
    """The five-domain distributions per school of the reader's districts (small cells suppressed)."""
    view = Scope.of(page.home, page.principal).viewpoint()
    districts = [
        (c.code, pick(page.lang, c.zh, c.en)) for c in page.home.catalog.code_table("district").codes if not c.legacy
    ]
    if view.level == "district":
        district, districts = view.org_code, [d for d in districts if d[0] == view.org_code]
    summary = district_summary(page.home, page.principal, district, year)
    names = school_names(indicator_cache(page.request), page.home, page.lang)
    schools = [
        {
            "code": s.school_code,
            "name": names.get(s.school_code) or s.name or s.school_code,
            "students": s.students,
            "suppressed": s.suppressed,
            "domains": [
                {"code": d.code, "mean": d.mean, "p25": d.p25, "median": d.median, "p75": d.p75} for d in s.domains
            ],
        }
        for s in summary.schools
    ]
    titles = [group_title(page.home, code, page.lang) for code in DOMAINS]
    return {
        "summary": summary,
        "schools": schools,
        "domain_titles": titles,
        "districts": districts,
        "district": district or "",
        "year": summary.school_year,
        "years": sorted(summary.years, reverse=True),
        "city_wide": view.level == "city",
    }


# ---------------------------------------------------------------- students


@router.get("/profiles/students/{pseudonym}")
@one_audit_commit
def student_page(request: Request, pseudonym: str, year: int | None = None, purpose: str | None = None) -> Response:
    """学生画像: identity, the five-domain radar, indicators by year with evidence links, timeline, methods, PDF."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_profiles(page.home, page.principal):
        return _refused(page)
    purpose = _purpose(purpose)
    if purpose is None and profile_mode(page.home, page.principal) == "staff":
        return page.render("profiles_purpose.html", purposes=_purposes(page.lang), target=request.url.path, year=year)
    try:
        profile = student_profile(page.home, page.principal, pseudonym, purpose=purpose, lang=page.lang)
    except EduBrainError as exc:
        return page.error(exc)
    return page.render("profiles_student.html", **_student_context(page, profile, year, purpose))


def _student_context(page: Page, profile: StudentProfile, year: int | None, purpose: str | None) -> dict[str, Any]:
    home, lang = page.home, page.lang
    years = [y.school_year for y in profile.years]
    chosen = year if year in years else (years[-1] if years else None)
    current = profile.year(chosen) if chosen is not None else None
    previous = next((y for y in reversed(profile.years) if chosen is not None and y.school_year < chosen), None)
    domains = [group_title(home, code, lang) for code in DOMAINS]
    series = []
    for y in (current, previous):
        if y is not None:
            series.append(
                {
                    "name": f"{y.school_year}–{y.school_year + 1}",
                    "values": [None if d.score is None else round(d.score, 1) for d in y.domains],
                }
            )
    base = f"/profiles/students/{profile.pseudonym}"
    names = school_names(indicator_cache(page.request), home, lang)
    ident = profile.identity
    timeline = [
        {
            "kind": e.kind,
            "when": e.date or (f"{e.school_year}–{e.school_year + 1}" if e.school_year else ""),
            "title": pick(lang, e.title_zh, e.title_en),
            "school": names.get(e.school_code or "", e.school_code or ""),
            "from": names.get(e.from_school_code or "", e.from_school_code or ""),
            "to": names.get(e.to_school_code or "", e.to_school_code or ""),
            "class_id": e.class_id,
        }
        for e in profile.timeline
    ]
    return {
        "profile": profile,
        "identity": ident,
        "school_name": names.get(ident.school_code or "", ident.school_code or ""),
        "year": chosen,
        "years": sorted(years, reverse=True),
        "current": current,
        "previous": previous,
        "radar": {"title": t("pf_radar", lang), "domains": domains, "series": series},
        "domain_rows": _domain_rows(current, previous, lang),
        "matrix": _matrix(
            home, [(y.school_year, y.indicators) for y in profile.years], STUDENT_GROUPS, "student", lang
        ),
        "timeline": timeline,
        "methods": _methods(home, "student", STUDENT_GROUPS, lang),
        "purpose": purpose,
        "purpose_title": dict(_purposes(lang)).get(purpose or "", purpose or ""),
        "base": base,
        "evidence_base": f"{base}/evidence",
        "purpose_query": _query(purpose=purpose),
        "pdf_url": f"{base}/record.pdf" + _query(purpose=purpose),
        "own": ident.masked == (),
        "masked_fields": bool(profile.masked or ident.masked),
    }


def _domain_rows(current: Any, previous: Any, lang: str) -> list[dict[str, Any]]:
    """The five domain scores of the chosen year and the previous one (for the table under the radar)."""
    if current is None:
        return []
    before = {d.code: d.score for d in previous.domains} if previous is not None else {}
    return [
        {
            "code": d.code,
            "id": d.column,
            "title": pick(lang, d.title_zh, d.title_en),
            "score": d.score,
            "previous": before.get(d.code),
        }
        for d in current.domains
    ]


# ---------------------------------------------------------------- evidence


@router.get("/profiles/{kinds}/{subject}/evidence/{indicator}")
@one_audit_commit
def evidence_page(
    request: Request, kinds: str, subject: str, indicator: str, year: int, purpose: str | None = None, page_no: int = 1
) -> Response:
    """数据来源: the rows one profile value was computed from, with their batch, school and time, and the method.

    The rows are shown :data:`EVIDENCE_PAGE_ROWS` at a time (a school's value may rest on thousands of rows).
    """
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    kind = KINDS.get(kinds)
    if kind is None:
        return page.error(NotFound(t("not_found", "zh"), t("not_found", "en")), 404)
    if not may_view_profiles(page.home, page.principal) and kind == "student":
        return _refused(page)
    purpose = _purpose(purpose)
    try:
        found = evidence(
            page.home, page.principal, kind, subject, indicator, year, purpose=purpose,  # type: ignore[arg-type]
            limit=EVIDENCE_PAGE_ROWS, offset=(max(page_no, 1) - 1) * EVIDENCE_PAGE_ROWS,
        )  # fmt: skip
    except EduBrainError as exc:
        return page.error(exc)
    info = found.indicator
    back = f"/profiles/{kinds}/{subject}" + _query(year=year, purpose=purpose)
    if found.store == "operational":  # a school's submission values: the batches of the operational database
        return page.render(
            "profiles_evidence_batches.html", ev=found, title=pick(page.lang, info.title_zh, info.title_en),
            method=pick(page.lang, info.method_zh, info.method_en), back=back,
            value=show_value(page.home, info.column, found.value, info.unit, page.lang),
            **batch_evidence_context(page, found),
        )  # fmt: skip
    dataset = page.home.catalog.dataset(found.dataset)
    definition = _definitions(kind)[found.indicator.id]
    subject_field = definition.evidence.subject_field if definition.evidence else ""
    columns = [  # every row is the subject's: its id column says nothing more (and shows no student number)
        {"name": n, "title": pick(page.lang, dataset.field(n).title_zh, dataset.field(n).title_en)}
        for n in found.columns
        if n != subject_field and any(n in r.values for r in found.rows)
    ]
    names = school_names(indicator_cache(page.request), page.home, page.lang)
    rows = [
        {
            "key": r.row_key or "",
            "batch": r.batch_id or "–",
            "org": names.get(r.org or "", r.org or "–"),
            "org_code": r.org or "",
            "time": (r.committed_at or "–").replace("T", " ")[:19],
            "version": "–" if r.version is None else r.version,
            "values": [_evidence_value(page, dataset, c["name"], r.values.get(c["name"])) for c in columns],
        }
        for r in found.rows
    ]
    return page.render(
        "profiles_evidence.html",
        ev=found,
        title=pick(page.lang, info.title_zh, info.title_en),
        method=pick(page.lang, info.method_zh, info.method_en),
        value=show_value(page.home, info.column, found.value, info.unit, page.lang),
        columns=columns,
        rows=rows,
        back=back,
        filters=_filters(page, dataset, found.filters, subject_field),
        purpose_title=dict(_purposes(page.lang)).get(purpose or "", purpose or ""),
        pager=_pager(request.url.path, year, purpose, max(page_no, 1), found.total),
    )


def _pager(path: str, year: int, purpose: str | None, page_no: int, total: int) -> dict[str, Any]:
    """The evidence page's place among the pages of its rows, with links to the previous and the next."""
    pages = max(1, -(-total // EVIDENCE_PAGE_ROWS))

    def link(n: int) -> str | None:
        return path + _query(year=year, purpose=purpose, page_no=n) if 1 <= n <= pages and n != page_no else None

    return {"page_no": page_no, "pages": pages, "total": total, "prev": link(page_no - 1), "next": link(page_no + 1)}


def _evidence_value(page: Page, dataset: Any, name: str, value: object) -> str:
    """An evidence cell: a code with its name, a value as stored (masked values stay masked)."""
    if value is None:
        return "–"
    field = dataset.field(name)
    if field.code_table and isinstance(value, str) and "*" not in value:
        try:
            label = page.home.catalog.code_table(field.code_table).label(value, page.lang)
        except EduBrainError:
            label = None
        return f"{value} {label}" if label else value
    if isinstance(value, bool):
        return t("yes" if value else "no", page.lang)
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _filters(page: Page, dataset: Any, filters: dict[str, Any], subject_field: str) -> list[tuple[str, str]]:
    """The evidence filters in words (the subject's ids are shown as their count, never the ids)."""
    out = []
    for name, value in filters.items():
        if value is None:
            continue
        if name == subject_field:
            title = pick(page.lang, dataset.field(name).title_zh, dataset.field(name).title_en)
            out.append((title, t("ev_subject_ids", page.lang, n=value)))
            continue
        title = (
            pick(page.lang, dataset.field(name).title_zh, dataset.field(name).title_en)
            if name in dataset.field_names
            else name
        )
        shown = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        out.append((title, shown))
    return out


# ---------------------------------------------------------------- teachers and schools


def _sections(page: Page, years: tuple[SectionYear, ...], groups: tuple[str, ...], profile: str) -> dict[str, Any]:
    return {
        "matrix": _matrix(page.home, [(y.school_year, y.indicators) for y in years], groups, profile, page.lang),
        "methods": _methods(page.home, profile, groups, page.lang),
        "years_shown": [y.school_year for y in years],
    }


def _latest(years: tuple[SectionYear, ...], column: str) -> object:
    if not years:
        return None
    return next((v.value for v in years[-1].indicators if v.column == column), None)


@router.get("/profiles/teachers/{teacher_id}")
@one_audit_commit
def teacher_page(request: Request, teacher_id: str, purpose: str | None = None, year: int | None = None) -> Response:
    """教师画像: assignments, teaching load, training against the target, results of classes taught, portfolio."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    purpose = _purpose(purpose)
    try:
        profile = teacher_profile(page.home, page.principal, teacher_id, purpose=purpose)
    except EduBrainError as exc:
        return page.error(exc)
    hours, target = _latest(profile.years, "training_hours"), _latest(profile.years, "training_target")
    latest = profile.years[-1] if profile.years else None
    facts = _facts(page, "teacher_profiles", latest.facts if latest else {})
    return page.render(
        "profiles_teacher.html",
        profile=profile,
        school_name=_school_name(page, profile.school_code),
        facts=facts,
        hours=hours,
        target=target,
        latest_year=latest.school_year if latest else None,
        base=f"/profiles/teachers/{teacher_id}",
        evidence_base=f"/profiles/teachers/{teacher_id}/evidence",
        purpose_query=_query(purpose=purpose),
        subjects=_subject_names(page),
        **_sections(page, profile.years, TEACHER_SECTIONS, "teacher"),
    )


def _subject_names(page: Page) -> dict[str, str]:
    try:
        table = page.home.catalog.code_table("subject")
    except EduBrainError:
        return {}
    return {c.code: pick(page.lang, c.zh, c.en) for c in table.codes}


def _facts(page: Page, dataset_id: str, facts: dict[str, Any]) -> list[tuple[str, str]]:
    """Descriptive columns of a profile row in words (field title, value with its code's name)."""
    dataset = page.home.catalog.dataset(dataset_id)
    out = []
    for name, value in facts.items():
        if name not in dataset.field_names or value is None:
            continue
        out.append(
            (
                pick(page.lang, dataset.field(name).title_zh, dataset.field(name).title_en),
                _evidence_value(page, dataset, name, value),
            )
        )
    return out


@router.get("/profiles/schools/{school_code}")
@one_audit_commit
def school_page(request: Request, school_code: str) -> Response:
    """学校画像: size, stages, capacity and forecast gap, teachers, fitness, exams, infrastructure, data quality."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not re.fullmatch(r"[0-9A-Za-z]{1,20}", school_code):
        return page.error(NotFound(t("not_found", "zh"), t("not_found", "en")), 404)
    try:
        profile = school_profile(page.home, page.principal, school_code)
    except EduBrainError as exc:
        return page.error(exc)
    latest = profile.years[-1] if profile.years else None
    return page.render(
        "profiles_school.html",
        profile=profile,
        name=_school_name(page, school_code)
        if _school_name(page, school_code) != school_code
        else (profile.name or school_code),
        facts=_facts(page, "school_profiles", latest.facts if latest else {}),
        latest_year=latest.school_year if latest else None,
        base=f"/profiles/schools/{school_code}",
        evidence_base=f"/profiles/schools/{school_code}/evidence",
        purpose_query="",
        teachers=_teachers(page, school_code),
        **_sections(page, profile.years, SCHOOL_SECTIONS, "school"),
    )


def _teachers(page: Page, school_code: str) -> list[dict[str, str]]:
    """The school's teachers the reader may see (links to their profiles); none when it reads no roster.

    Read in pages of :data:`~edubrain.governance.readpath.KEPT_PAGE_ROWS`, which the read path keeps per table
    version (a school's list is the same for everyone of its scope; each read is still masked and audited).
    """
    rows: list[dict[str, Any]] = []
    try:
        while len(rows) < TEACHER_LIST_LIMIT:
            found = page_cache(page.request).read(
                page.home, page.principal, "teachers", {"school_code": school_code}, KEPT_PAGE_ROWS, len(rows)
            )
            rows += found.table.to_pylist()
            if found.table.num_rows < KEPT_PAGE_ROWS or len(rows) >= found.total:
                break
    except EduBrainError:
        return []
    return [{"id": str(r["teacher_id"]), "name": str(r.get("name") or "")} for r in rows if r.get("teacher_id")]


@router.get("/profiles/students/{pseudonym}/record.pdf")
def student_record(request: Request, pseudonym: str, purpose: str | None = None) -> Response:
    """The student's 综合素质评价 record as a PDF (the facade reads it for the purpose and audits the printing)."""
    from edubrain.reports.quality_record import student_record_pdf

    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_profiles(page.home, page.principal):
        return _refused(page)
    try:
        pdf = student_record_pdf(page.home, page.principal, pseudonym, purpose=_purpose(purpose))
    except EduBrainError as exc:
        return page.error(exc)
    safe = re.sub(r"[^0-9A-Za-z]", "_", pseudonym)[:24]
    response = Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="quality-record-{safe}.pdf"',
            "Cache-Control": "no-store",
        },
    )
    return page.web.apply(response, secure=page.home.settings.env == "production")
