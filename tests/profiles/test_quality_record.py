"""The PDF 综合素质评价 record: rendered with a CJK font, the text checked with pypdf."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from edubrain.governance.audit import list_events
from edubrain.governance.scope import AccessDenied
from edubrain.reports.quality_record import student_record_pdf
from edubrain.store.db import session_scope
from tests.conftest import SCHOOL
from tests.profiles.conftest import ProfileCity, principal


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        names |= {str(f.get_object()["/BaseFont"]) for f in fonts.values()}
    return names


def test_the_record_prints_identity_domains_sources_and_timeline(pcity: ProfileCity) -> None:
    who = principal("school_admin", SCHOOL, "school", pid="pdf-admin")
    sid = pcity.ids[0]
    pdf = student_record_pdf(pcity.home, who, pcity.p(sid), purpose="teaching")
    assert pdf.startswith(b"%PDF")
    assert any("CJK" in f for f in _fonts(pdf)), _fonts(pdf)
    text = "".join(_text(pdf).split())  # CJK extraction may break lines anywhere
    for expected in ("学生综合素质评价记录", "测试0", "思想品德", "社会实践", "88.0", "艺术活动学时", "5.5",
                     f"student_activitiesv{pcity.versions['student_activities']}", "转学", SCHOOL):  # fmt: skip
        assert expected in text, expected
    assert sid not in text  # the 学籍号 is masked for staff
    assert sid[1:] not in text  # and the 身份证号 never printed
    assert sid[:7] + "********" + sid[-4:] in text
    with session_scope(pcity.home.engine) as session:
        kinds = [e.detail["kind"] for e in list_events(session, actor="pdf-admin", action="profile_read")]
    assert kinds == ["student", "record_pdf"]


def test_a_parent_prints_its_childs_record_unmasked_and_nobody_elses(pcity: ProfileCity) -> None:
    child, other = pcity.ids[1], pcity.ids[0]
    parent = principal("parent", SCHOOL, "school", (child,))
    text = "".join(_text(student_record_pdf(pcity.home, parent, pcity.p(child))).split())
    assert child in text and "测试1" in text
    with pytest.raises(AccessDenied):
        student_record_pdf(pcity.home, parent, pcity.p(other))
