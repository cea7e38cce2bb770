"""Chinese and English wording of the students-at-risk pages (``pages_at_risk``)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("学生发展风险预警", "Students at risk"),
    "intro": (
        "综合出勤、成绩、体质、学籍异动和品德记录的可解释积分：至少两个领域同时出现信号、总分达到阈值才预警。"
        "预警是请老师关注的提示，不是对学生的评价；学生和家长看不到预警。",
        "An explained points score over attendance, results, fitness, status changes and conduct: a pupil is "
        "flagged only when signals from two domains or more reach the threshold. A flag asks a teacher to look; "
        "it is not a judgement of the pupil, and pupils and parents do not see it.",
    ),
    "purpose_first": (
        "查看学生名单前请声明用途，每次查看都记入审计日志。",
        "Declare a purpose before the list opens; every read is written to the audit trail.",
    ),
    "purpose": ("用途", "Purpose"),
    "choose": ("请选择", "Choose"),
    "open": ("查看", "Open"),
    "summary": ("预警人数", "Flagged pupils"),
    "year": ("学年", "School year"),
    "level_district": ("区", "District"),
    "level_school": ("学校", "School"),
    "level_class": ("班级", "Class"),
    "assessed": ("评估人数", "Assessed"),
    "flagged": ("预警", "Flagged"),
    "high": ("重点关注", "High"),
    "share": ("预警占比", "Share flagged"),
    "suppressed": (
        "少于 {k} 人的单元格不显示（–），以免推断出个别学生。",
        "Cells under {k} pupils are not shown (–), so that no single pupil can be inferred.",
    ),
    "counts_only": ("区、市只看汇总人数，不看学生名单。", "Districts and the city see counts, never a list of pupils."),
    "list": ("预警学生", "Flagged pupils"),
    "none": ("没有预警学生。", "No pupil is flagged."),
    "student": ("学生", "Pupil"),
    "class": ("班级", "Class"),
    "score": ("总分", "Score"),
    "band": ("等级", "Band"),
    "band_high": ("重点关注", "High"),
    "band_watch": ("关注", "Watch"),
    "band_none": ("未预警", "Not flagged"),
    "reasons": ("贡献指标", "Contributing indicators"),
    "details": ("详情", "Details"),
    "profile": ("学生画像", "Profile"),
    "indicator": ("指标", "Indicator"),
    "domain": ("领域", "Domain"),
    "value": ("值", "Value"),
    "points": ("得分", "Points"),
    "rule": ("规则", "Rule"),
    "why": ("依据", "Why"),
    "signals": ("触发领域数", "Domains"),
    "back": ("返回名单", "Back to the list"),
    "method": (
        "方法、来源与局限见文档 docs/early-warning-students.md。",
        "Method, sources and limits: docs/early-warning-students.md.",
    ),
    "audited": ("本次查看已按用途“{purpose}”记入审计日志。", "This read was audited with the purpose “{purpose}”."),
    "no_data": (
        "暂无预警数据：学校报送考勤等数据后自动计算。",
        "No flags yet: they are computed once schools submit attendance.",
    ),
}
