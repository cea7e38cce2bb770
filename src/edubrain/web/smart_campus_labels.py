"""Chinese and English wording of the 智慧校园达标评定 pages (``pages_smart_campus``)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("智慧校园达标评定", "Smart-campus evaluation"),
    "school_title": ("智慧校园自评与评定", "Smart-campus self-assessment"),
    "intro": ("按智慧校园评估框架（基础设施、业务支撑、数据与资源、智慧应用、保障体系）计分：平台已有数据的指标由平台计算，"
              "其余由学校自评并上传佐证，经区级审核推荐、市级认定后计入达标率。",
              "Scored on the smart-campus framework (infrastructure, business support, data and resources, smart "
              "applications, assurance): indicators the platform measures are computed from its data, the others are "
              "self-assessed with evidence, reviewed by the district and approved by the city before they count."),
    "plan": ("规划目标", "The plan's target"), "year": ("学年", "School year"), "show": ("显示", "Show"),
    "rates": ("达标率与 85% 目标", "Share meeting the standard against the 85 % target"),
    "area": ("区域", "Area"), "schools": ("学校数", "Schools"), "meeting": ("达标学校", "Meeting"),
    "rate": ("达标率", "Rate"), "gap": ("距目标", "Gap to target"), "needed": ("还需达标学校", "More schools needed"),
    "target_line": ("目标", "Target"), "reached": ("已达到", "reached"),
    "states": ("评定状态", "Workflow states"), "state": ("状态", "State"), "count": ("学校数", "Schools"),
    "shortlist": ("新型智慧校园示范校候选名单", "Shortlist of demonstration schools"),
    "shortlist_note": ("仅列市级已认定且达标的学校，按总分、平台数据得分、学校标识码排序；遴选由市级决定。",
                       "Only schools approved by the city that meet the standard, ranked by total, platform points, "
                       "then school code; the selection is the city's decision."),
    "rank": ("名次", "Rank"), "school": ("学校", "School"), "district": ("所在区", "District"),
    "total": ("总分", "Total"), "platform": ("平台数据得分", "Platform points"), "self": ("自评得分", "Self-assessed"),
    "why": ("说明", "Explanation"), "none_yet": ("尚无评定数据：学校提交自评后显示。", "No evaluation yet: shown once schools assess."),
    "no_shortlist": ("暂无达标并经市级认定的学校。", "No school approved and meeting the standard yet."),
    "dimensions": ("各维度得分", "Points per dimension"), "dimension": ("维度", "Dimension"),
    "points": ("得分", "Points"), "max": ("满分", "Max"), "floor": ("维度达标线", "Dimension floor"),
    "indicators": ("二级指标", "Indicators"), "indicator": ("指标", "Indicator"), "source": ("来源", "Source"),
    "value": ("数值", "Value"), "src_platform": ("平台数据", "Platform data"), "src_self": ("自评", "Self-assessed"),
    "missing": ("无数据", "no data"), "evidence": ("佐证材料", "Evidence"), "file": ("文件", "File"),
    "size": ("大小", "Size"), "uploaded": ("上传时间", "Uploaded"), "no_evidence": ("尚无佐证材料。", "No evidence yet."),
    "upload": ("上传佐证（PDF、JPEG、PNG）", "Upload evidence (PDF, JPEG, PNG)"),
    "history": ("流程记录", "History"), "when": ("时间", "When"), "step": ("操作", "Step"), "by": ("操作者", "By"),
    "comment": ("意见", "Comment"), "actions": ("可执行的操作", "What you can do"),
    "draft": ("起草本校自评", "Draft this school's self-assessment"), "save": ("保存得分", "Save scores"),
    "no_assessment": ("该校本学年尚未自评。", "No self-assessment for this school year yet."),
    "meets": ("达标", "Meets the standard"), "not_meets": ("未达标", "Does not meet the standard"),
    "rule": ("达标规则：总分不低于 {total}，且每个维度不低于其满分的 {share}%，并经市级认定。",
             "Rule: a total of at least {total}, every dimension at least {share} % of its maximum, approved by the city."),
    "back": ("返回达标评定", "Back to the evaluation"), "radar": ("维度雷达图", "Dimensions (radar)"),
    "frozen": ("已认定的自评不可修改。", "An approved self-assessment is frozen."),
    "demo": ("示范校", "Demonstration school"), "designated": ("已认定为示范校", "Designated"),
    "designated_count": ("已认定新型智慧校园示范校 {n} 所（目标 {target} 所）",
                         "{n} demonstration schools designated (target {target})"),
    "reason": ("撤销原因", "Reason"),
}  # fmt: skip
