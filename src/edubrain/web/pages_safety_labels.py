"""Chinese and English wording of the 校园安全 pages (``pages_safety``)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("校园安全", "Campus safety"),
    "intro": (
        "学校报送的安全事件：每千名学生发生率、类别 × 场所 × 时段分布，以及泊松 CUSUM 预警（持续上升或聚集）。区、市页面只显示汇总，"
        "少于 {k} 起的格子不显示，以免识别到个人。",
        "Incidents reported by schools: rates per 1,000 pupils, type × place × time band, and Poisson CUSUM "
        "warnings (a rise or a cluster). District and city pages show aggregates only; cells under {k} are hidden "
        "so that no pupil can be identified.",
    ),
    "school_title": ("本校安全事件", "This school's incidents"),
    "term": ("学期", "Term"),
    "show": ("显示", "Show"),
    "rates_school": ("各校发生率", "Rates by school"),
    "rates_district": ("各区发生率", "Rates by district"),
    "org": ("单位", "Organisation"),
    "pupils": ("在校学生", "Pupils"),
    "incidents": ("事件数", "Incidents"),
    "rate": ("每千人", "Per 1,000"),
    "hidden": ("<{k}", "<{k}"),
    "patterns": ("类别 × 场所 × 时段", "Type × place × time band"),
    "type": ("类别", "Type"),
    "place": ("场所", "Place"),
    "band": ("时段", "Time band"),
    "warnings": ("预警（首次告警）", "Warnings (first alarms)"),
    "week": ("周起始", "Week"),
    "baseline": ("基线周均", "Baseline a week"),
    "statistic": ("CUSUM", "CUSUM"),
    "level": ("层级", "Level"),
    "lvl_school": ("学校", "School"),
    "lvl_district": ("区", "District"),
    "no_warnings": ("暂无预警。", "No warnings."),
    "none_yet": ("尚无校园安全数据。", "No campus safety data yet."),
    "date": ("日期", "Date"),
    "severity": ("等级", "Severity"),
    "injured": ("受伤", "Injured"),
    "in_time": ("按时上报", "In time"),
    "description": ("说明", "Description"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "district": ("区", "District"),
    "all_districts": ("全市", "Whole city"),
}
