"""What a reader of the smart-campus workflow gets (:mod:`edubrain.governance.smart_campus`).

Assessments with their events and evidence records, and the Chinese and English names of states and steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ACTION_NAMES = {
    "create": ("创建自评", "Draft created"), "save": ("保存自评得分", "Scores saved"),
    "submit": ("提交", "Submitted"), "recommend": ("区级推荐", "Recommended by the district"),
    "return": ("退回", "Returned"), "approve": ("市级认定", "Approved by the city"),
    "evidence": ("上传佐证材料", "Evidence uploaded"),
    "designate": ("认定为新型智慧校园示范校", "Designated a demonstration school"),
    "revoke": ("撤销示范校认定", "Demonstration designation revoked"),
}  # fmt: skip
STATE_NAMES = {
    "draft": ("草稿", "Draft"), "submitted": ("已提交，待区审核", "Submitted, awaiting the district"),
    "recommended": ("区已推荐，待市认定", "Recommended, awaiting the city"), "returned": ("已退回，待修改", "Returned"),
    "approved": ("市级已认定", "Approved"), "none": ("未自评", "Not assessed"),
}  # fmt: skip


@dataclass(frozen=True)
class Event:
    """One workflow event as a reader sees it."""

    action: str
    from_state: str | None
    to_state: str
    actor: str
    actor_level: str
    comment: str | None
    at: dt.datetime


@dataclass(frozen=True)
class Evidence:
    """One evidence file's record (not its bytes)."""

    id: str
    indicator_id: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class Assessment:
    """An assessment, its history and evidence, and what the reader may do with it."""

    id: str
    school_code: str
    district_code: str
    school_year: int
    state: str
    scores: dict[str, float]
    events: list[Event] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    editable: bool = False
    designated: bool = False
