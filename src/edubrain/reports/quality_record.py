"""The 综合素质评价 record (comprehensive quality evaluation record) of one student, as a PDF.

One record per student: identity (masked as for the reader; the 身份证号
never appears), each school year's five domain scores (思想品德, 学业水平,
身心健康, 艺术素养, 社会实践; 教基二〔2014〕11号) and indicators, each
indicator with its source (the evidence dataset and the version the profile
was computed from), and the enrollment timeline.

:func:`render_html` and :func:`render_pdf` are pure (a profile in, a
document out); :func:`student_record_pdf` reads the profile through the
governed facade (:func:`edubrain.profiles.student_profile`: scope, purpose,
masking, audit) and records the printing as a ``profile_read`` event of kind
``record_pdf``.
"""

from __future__ import annotations

import datetime as dt

from edubrain.governance.audit_unit import one_audit_commit
from edubrain.governance.identity import Principal
from edubrain.governance.profile_access import record_profile_read
from edubrain.home import Home
from edubrain.profiles import StudentProfile, student_profile
from edubrain.reports.fitness_card import _environment

TITLE = "学生综合素质评价记录"
TEMPLATE = "quality_record.html.j2"


def render_html(profile: StudentProfile, *, printed_on: dt.date | None = None, title: str = TITLE) -> str:
    """The record as one printable HTML document (the template ``quality_record.html.j2``)."""
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(p=profile, title=title, printed_on=(printed_on or dt.date.today()).isoformat())
    )


def render_pdf(profile: StudentProfile, *, printed_on: dt.date | None = None, title: str = TITLE) -> bytes:
    """The record as a PDF (WeasyPrint; needs a CJK font such as Noto Sans/Serif CJK SC installed)."""
    from weasyprint import HTML

    pdf = HTML(string=render_html(profile, printed_on=printed_on, title=title)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


@one_audit_commit
def student_record_pdf(home: Home, principal: Principal, pseudonym: str, *, purpose: str | None = None) -> bytes:
    """The PDF record of the student ``pseudonym`` as ``principal`` may see it (audited).

    Raises:
        AccessDenied: as :func:`edubrain.profiles.student_profile` (no grant over the student, staff without a
            purpose, unknown or foreign pseudonym: one message).
    """
    profile = student_profile(home, principal, pseudonym, purpose=purpose)
    pdf = render_pdf(profile)
    record_profile_read(
        home, principal, kind="record_pdf", subject=profile.pseudonym, purpose=purpose, dataset="student_profiles",
        rows=len(profile.years), masked=bool(profile.masked or profile.identity.masked),
    )  # fmt: skip
    return pdf
