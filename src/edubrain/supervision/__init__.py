"""The governed graded-supervision facade (信用分级分类监管): provider grades, their explanation, the public list.

Adapters (API, web pages, the CLI) call only these functions; each reads through governance. Rules in
:mod:`edubrain.supervision.grades` and ``docs/graded-supervision.md``.
"""

from edubrain.supervision.grades import grade_board, may_supervise, provider_detail, public_list
from edubrain.supervision.models import (
    CreditItem,
    GradeBoard,
    GradeCount,
    ProviderDetail,
    ProviderGrade,
    PublicGrade,
    PublicList,
)

__all__ = [
    "CreditItem",
    "GradeBoard",
    "GradeCount",
    "ProviderDetail",
    "ProviderGrade",
    "PublicGrade",
    "PublicList",
    "grade_board",
    "may_supervise",
    "provider_detail",
    "public_list",
]
