"""The governed profile facade (全息画像): student, teacher and school profiles, evidence, pickers, summaries.

Adapters (API, web pages, the PDF record, the CLI) call only these functions.
Each reads through :func:`edubrain.governance.readpath.read_dataset` (row
scope, masking, audit) and writes one ``profile_read`` audit event with the
kind, the subject and the purpose. Rules (``docs/profiles-reference.md``):

- a student is addressed by its keyed pseudonym (``P`` + 20 base32), never by
  the 学籍号; an unknown pseudonym and one outside the reader's scope give the
  same :class:`~edubrain.governance.scope.AccessDenied` (no existence oracle);
- an individual student profile needs a school, class, self or children grant
  (:meth:`~edubrain.governance.scope.Scope.person_grants`); city and district
  grants see aggregates and teacher/school profiles only;
- teachers and school administrators declare a purpose to read a student's
  profile (its values are sensitive personal information, L4); students and
  parents read their own under the automatic purpose ``self_access``;
- the 身份证号 is never shown (data minimisation).
"""

from __future__ import annotations

from edubrain.profiles.evidence import evidence
from edubrain.profiles.models import (
    Assignment,
    DistrictSummary,
    DomainDistribution,
    DomainScore,
    Evidence,
    EvidenceRef,
    EvidenceRow,
    EvidenceSet,
    Identity,
    IndicatorInfo,
    IndicatorValue,
    ProfileKind,
    SchoolProfile,
    SchoolSummary,
    SectionYear,
    Source,
    StudentChoice,
    StudentChoices,
    StudentProfile,
    StudentYear,
    TeacherProfile,
    TimelineEvent,
)
from edubrain.profiles.organisations import district_summary, school_profile, teacher_profile
from edubrain.profiles.students import student_choices, student_profile

__all__ = [
    "Assignment",
    "DistrictSummary",
    "DomainDistribution",
    "DomainScore",
    "Evidence",
    "EvidenceRef",
    "EvidenceRow",
    "EvidenceSet",
    "Identity",
    "IndicatorInfo",
    "IndicatorValue",
    "ProfileKind",
    "SchoolProfile",
    "SchoolSummary",
    "SectionYear",
    "Source",
    "StudentChoice",
    "StudentChoices",
    "StudentProfile",
    "StudentYear",
    "TeacherProfile",
    "TimelineEvent",
    "district_summary",
    "evidence",
    "school_profile",
    "student_choices",
    "student_profile",
    "teacher_profile",
]
