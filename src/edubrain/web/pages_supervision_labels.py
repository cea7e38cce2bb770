"""Chinese and English wording of the 信用分级分类监管 pages (``pages_supervision``)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("校外培训机构信用分级分类监管", "Graded supervision of training providers"),
    "intro": (
        "按检查发现问题、投诉查实与整改情况计算信用分（随时间衰减），分 A–D 四级，等级决定检查频次；每一项加减分都可追溯到检查或投诉记录。"
        "规则与分值为本市设置（国办发〔2019〕35号提出分级分类监管原则）。",
        "A credit score from inspection findings, substantiated complaints and rectification (decaying over time), "
        "graded A–D; the grade sets how often a provider is inspected, and every point is traced to its record. "
        "The rules and points are the city's settings (the 2019 State Council guidance sets the principle).",
    ),
    "rules": ("等级与检查频次", "Grades and inspection intervals"),
    "grade": ("等级", "Grade"),
    "interval": ("检查间隔（月）", "Interval (months)"),
    "meaning": ("含义", "Meaning"),
    "district": ("区", "District"),
    "all_districts": ("全部区", "All districts"),
    "all_grades": ("全部等级", "All grades"),
    "show": ("显示", "Show"),
    "as_of": ("评估日 {date}", "Judged on {date}"),
    "counts": ("各等级机构数", "Providers per grade"),
    "providers": ("机构清单（按下次检查到期日排序）", "Providers, soonest inspection first"),
    "code": ("统一社会信用代码", "Unified social credit code"),
    "name": ("机构名称", "Name"),
    "type": ("类别", "Type"),
    "score": ("信用分", "Score"),
    "next_due": ("下次检查到期", "Next inspection due"),
    "overdue": ("已到期", "due"),
    "top_items": ("主要扣分事项", "Largest items"),
    "code_bad": ("代码校验码错误", "check character wrong"),
    "none_yet": (
        "尚无机构数据：各区报送机构名录后显示。",
        "No providers yet: shown once districts submit their register.",
    ),
    "detail": ("信用分说明", "Score explained"),
    "start": ("起始分", "Start score"),
    "items": ("加减分明细（每一项追溯到来源记录）", "Items (each traced to its record)"),
    "date": ("日期", "Date"),
    "source": ("来源", "Source"),
    "record": ("记录编号", "Record"),
    "kind": ("类型", "Kind"),
    "severity": ("严重程度", "Severity"),
    "base": ("基础分", "Base points"),
    "age": ("天数", "Age (days)"),
    "weight": ("衰减权重", "Weight"),
    "points": ("计入", "Points"),
    "no_items": ("无加减分事项。", "No items."),
    "licence_d": ("因办学许可状态定为 D 级", "Graded D for its licence status"),
    "kind_finding": ("发现问题", "Finding"),
    "kind_rectified": ("按期整改", "Rectified on time"),
    "kind_overdue": ("逾期未整改", "Overdue"),
    "kind_complaint": ("投诉查实", "Complaint upheld"),
    "src_provider_inspections": ("检查记录", "Inspection"),
    "src_provider_complaints": ("投诉记录", "Complaint"),
    "public_title": ("校外培训机构信用等级公示", "Training-provider grades (public list)"),
    "public_intro": (
        "向社会公示各机构的信用等级（A 良好、B 一般、C 较差、D 差），不含分数与扣分明细。",
        "The grade of each provider (A good, B fair, C poor, D bad), without the score or its items.",
    ),
    "public_link": ("公示名单", "Public list"),
    "back": ("返回清单", "Back to the list"),
}
