"""Every string of the web app, in Chinese and English: one table, looked up by key.

Templates call ``t("key")``; the language comes from the ``lang`` query
parameter (remembered in a cookie), else the cookie, else ``EDUBRAIN_LANG``.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "app_title": ("教育数据大脑", "EduBrain"),
    "app_subtitle": ("北京市教育数据平台", "Beijing education data platform"),
    "switch_lang": ("English", "中文"),
    "nav_cockpit": ("驾驶舱", "Cockpit"),
    "nav_catalog": ("数据目录", "Catalog"),
    "nav_submit": ("数据报送", "Submit data"),
    "nav_data": ("数据浏览", "Datasets"),
    "nav_fitness": ("体质健康", "Physical health"),
    "nav_forecast": ("学位预测", "School places"),
    "logout": ("退出登录", "Log out"),
    "login": ("登录", "Log in"),
    "login_title": ("登录教育数据大脑", "Log in to EduBrain"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "login_needed": ("请先登录", "Please log in"),
    "logged_out": ("已退出登录", "You are logged out"),
    "signed_in_as": ("当前用户", "Signed in as"),
    "scope": ("数据范围", "Scope"),
    "roles": ("角色", "Roles"),
    "error": ("出错了", "Something went wrong"),
    "not_found": ("页面不存在", "Page not found"),
    "back_home": ("返回驾驶舱", "Back to the cockpit"),
    # cockpit
    "cockpit_title": ("驾驶舱", "Cockpit"),
    "schools": ("学校数", "Schools"),
    "students": ("在校生数", "Students"),
    "teachers": ("教职工数", "Teachers"),
    "classes": ("班级数", "Classes"),
    "submissions": ("报送批次", "Submissions"),
    "open_errors": ("未解决问题", "Open errors"),
    "indicator": ("地图指标", "Map indicator"),
    "map_title": ("北京市 16 个区", "Beijing's 16 districts"),
    "map_hint": ("点击一个区查看详情", "Click a district for its page"),
    "districts_table": ("各区指标", "Indicators by district"),
    "schools_table": ("各校指标", "Indicators by school"),
    "district": ("区", "District"),
    "school": ("学校", "School"),
    "school_code": ("学校标识码", "School code"),
    "no_cockpit": (
        "您的角色只能查看本人或子女的数据，没有驾驶舱指标；请在“数据浏览”中查看。",
        "Your role sees only your own (or your children's) records, so it has no cockpit; see Datasets.",
    ),
    "data_as_of": ("数据截至版本", "Data as of lake versions"),
    "district_page": ("区详情", "District"),
    "out_of_scope": ("该单位不在您的数据范围内", "This organisation is outside your scope"),
    # catalog
    "catalog_title": ("数据目录", "Data catalog"),
    "dataset": ("数据集", "Dataset"),
    "owner_level": ("报送层级", "Submitted by"),
    "sharing": ("共享类型", "Sharing"),
    "frequency": ("更新频率", "Update frequency"),
    "fields": ("字段", "Fields"),
    "field": ("字段", "Field"),
    "type": ("类型", "Type"),
    "required": ("必填", "Required"),
    "code_table": ("代码表", "Code table"),
    "classification": ("分级", "Classification"),
    "classification_scale": ("数据分级", "Classification scale"),
    "code_tables": ("代码表", "Code tables"),
    "standard": ("标准", "Standard"),
    "code": ("代码", "Code"),
    "name": ("名称", "Name"),
    "rules": ("校验规则", "Validation rules"),
    "template": ("下载填报模板（Excel）", "Download the template (Excel)"),
    "description": ("说明", "Description"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "derived_from": ("来源数据集", "Derived from"),
    # submission
    "submit_title": ("数据报送", "Submit data"),
    "submit_as": ("报送单位", "Submitting organisation"),
    "choose_dataset": ("数据集", "Dataset"),
    "drop_here": (
        "把 Excel / CSV / JSON Lines 文件拖到这里，或点击选择文件",
        "Drop an Excel, CSV or JSON Lines file here, or click to choose one",
    ),
    "mode_upsert": ("增量（按主键新增或更新）", "Upsert (add or replace by key)"),
    "mode_replace": ("全量（退出文件中已没有的行）", "Replace (retire rows no longer in the file)"),
    "upload": ("提交并校验", "Validate and submit"),
    "may_not_submit": ("您的角色不能报送数据", "Your role may not submit data"),
    "report": ("校验报告", "Validation report"),
    "status": ("状态", "Status"),
    "status_committed": ("已提交", "committed"),
    "status_unchanged": ("内容未变", "unchanged"),
    "status_rejected": ("未通过", "rejected"),
    "status_pending": ("处理中", "pending"),
    "status_failed": ("中断", "failed"),
    "version": ("版本", "Version"),
    "new_version": ("新版本", "New version"),
    "rows_read": ("读取行数", "Rows read"),
    "rows_accepted": ("接受", "Accepted"),
    "rows_rejected": ("拒绝", "Rejected"),
    "rows_added": ("新增", "Added"),
    "rows_changed": ("更新", "Changed"),
    "rows_retired": ("退出", "Retired"),
    "problems": ("问题", "Problems"),
    "count": ("数量", "Count"),
    "cause": ("原因", "Cause"),
    "column": ("列", "Column"),
    "rows": ("行", "Rows"),
    "value": ("值", "Value"),
    "warnings": ("提示（不影响提交）", "Warnings (they do not block the submission)"),
    "preview": (
        "文件预览（标红的单元格有问题，悬停查看原因）",
        "File preview (red cells have problems; hover for why)",
    ),
    "preview_note": (
        "显示有问题的行及文件开头几行，共 {shown} 行（文件共 {total} 行）",
        "Showing the rows with problems and the first rows: {shown} of {total}",
    ),
    "row": ("行号", "Row"),
    "fix_and_resubmit": ("请修改文件后重新提交。", "Fix the file and submit it again."),
    "history": ("本单位报送记录", "Submissions of this organisation"),
    "time": ("时间", "Time"),
    "file": ("文件", "File"),
    "details": ("详情", "Details"),
    "no_history": ("还没有报送记录", "No submissions yet"),
    "batch": ("批次", "Batch"),
    "view_data": ("查看数据", "View the data"),
    "school_status": ("各校报送情况", "Submission status of each school"),
    "st_not_submitted": ("未报送", "not submitted"),
    "st_open_errors": ("有未解决问题", "open errors"),
    "st_submitted": ("已报送", "submitted"),
    "open_hours": ("问题已存在（小时）", "Open for (hours)"),
    "fix_hours": ("上次修正用时（小时）", "Last fix took (hours)"),
    "last_submitted": ("最近报送", "Last submitted"),
    "stored_rows": ("已存储行数", "Rows stored"),
    "summary": ("汇总", "Summary"),
    "file_too_large": ("文件过大", "File too large"),
    # datasets
    "data_title": ("数据浏览", "Datasets"),
    "filter": ("筛选", "Filter"),
    "apply": ("查询", "Apply"),
    "clear": ("清除", "Clear"),
    "page": ("第 {page} / {pages} 页，共 {total} 行", "Page {page} of {pages}, {total} rows"),
    "prev": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "masked_fields": ("已脱敏字段", "Masked fields"),
    "withheld_fields": ("不可见字段", "Withheld fields"),
    "unmasked_audited": (
        "本次读取了未脱敏的个人信息，已记入审计日志：",
        "This read showed personal information unmasked and was written to the audit trail: ",
    ),
    "purpose": ("用途（解除脱敏，记入审计）", "Purpose (unmasks; audited)"),
    "no_rows": ("没有可见的数据行", "No visible rows"),
    "history_versions": ("版本历史", "Version history"),
    # physical health (体质健康)
    "fitness_title": ("学生体质健康", "Student physical health"),
    "fitness_missing": (
        "尚无体质健康数据：学校提交体测数据（fitness_tests）后平台自动计算；也可由市教委信息中心运行 edubrain fitness run。",
        "No physical health data yet: it is computed when schools submit fitness tests (fitness_tests); "
        "the city data office can also run edubrain fitness run.",
    ),
    "school_year": ("学年", "School year"),
    "measure": ("地图指标", "Map measure"),
    "excellent_good_rate": ("优良率", "Excellent or good"),
    "pass_rate": ("及格率", "Pass rate"),
    "mean_total": ("平均学年总分", "Mean total score"),
    "overweight_rate": ("超重率", "Overweight"),
    "obesity_rate": ("肥胖率", "Obesity"),
    "tested": ("完整测试人数", "Tested"),
    "change_excellent_good_rate": ("优良率同比（百分点）", "Change in excellent or good (points)"),
    "fitness_map_hint": ("点击一个区查看该区各校", "Click a district to see its schools"),
    "trend_title": ("历年趋势", "Trend over the years"),
    "drill_title": ("下级单位", "One level down"),
    "no_lower": ("没有下级单位的数据", "No data one level down"),
    "lvl_city": ("全市", "City"),
    "lvl_district": ("区", "District"),
    "lvl_school": ("学校", "School"),
    "lvl_class": ("班级", "Class"),
    "warnings_title": ("数据质量预警", "Data quality warnings"),
    "no_warnings": ("本学年您的范围内没有数据质量预警", "No data quality warnings in your scope this year"),
    "warnings_none_visible": ("您的角色看不到数据质量预警", "Your role sees no data quality warnings"),
    "check": ("预警类型", "Check"),
    "item": ("项目", "Item"),
    "school_value": ("学校值", "School value"),
    "city_value": ("全市参照", "City reference"),
    "results": ("结果数", "Results"),
    "chk_perfect_scores": ("满分比例过高", "Too many perfect scores"),
    "chk_identical_values": ("同一数值过多", "Too many identical values"),
    "chk_unlike_city": ("平均分远离全市分布", "Mean far from the city's schools"),
    "whole_test": ("整体", "Whole test"),
    "print_cards": ("打印全班报告卡（PDF）", "Print the class's report cards (PDF)"),
    "cards_purpose": ("用途（读取学生成绩，记入审计）", "Purpose (reads the pupils' results; audited)"),
    "no_cards": ("该班本学年没有体测记录", "This class has no fitness tests this school year"),
    # school places (学位预测)
    "forecast_title": ("学位需求预测", "School-place forecast"),
    "forecast_missing": (
        "尚未计算学位预测：请市教委信息中心运行 edubrain forecast places（回测：edubrain forecast backtest）。",
        "No school-place forecast yet: the city data office should run edubrain forecast places "
        "(backtest: edubrain forecast backtest).",
    ),
    "backtest_missing": (
        "尚未计算回测：请市教委信息中心运行 edubrain forecast backtest。",
        "No backtest yet: the city data office should run edubrain forecast backtest.",
    ),
    "forecast_forbidden": (
        "学位预测只对市级和区级用户开放",
        "The school-place forecast is open to city and district users only",
    ),
    "forecast_stale": (
        "预测基于较早的数据版本（{old}），湖中已有新版本（{new}）；请重新运行 edubrain forecast places。",
        "The forecast was computed from older data ({old}); the lake has newer versions ({new}): "
        "run edubrain forecast places again.",
    ),
    "stage": ("学段", "Stage"),
    "stage_primary": ("小学", "Primary"),
    "stage_junior": ("初中", "Junior secondary"),
    "stage_senior": ("高中", "Senior secondary"),
    "scenario": ("情景", "Scenario"),
    "city_total": ("全市合计", "City total"),
    "gap_map_title": ("学位缺口（+）/ 富余（−）", "Place gap (+) / surplus (−)"),
    "gap_map_hint": (
        "红色为缺口，蓝色为富余；点击一个区查看其预测走势",
        "Red: shortage, blue: surplus; click a district for its fan chart",
    ),
    "place_gap": ("学位缺口", "Place gap"),
    "demand": ("预测在校生", "Forecast pupils"),
    "planned_places": ("规划学位", "Planned places"),
    "interval_80": ("80%区间", "80% interval"),
    "interval_95": ("95%区间", "95% interval"),
    "gap_probability": ("缺口概率", "Gap probability"),
    "gap_opens_year": ("缺口出现学年", "Gap opens"),
    "history_line": ("实际在校生", "Observed pupils"),
    "fan_title": ("在校生预测（扇形图）", "Pupils: history and forecast (fan chart)"),
    "gaps_table": ("各区学位缺口", "Place gap by district"),
    "backtest_title": ("回测：平均绝对百分比误差（MAPE，%）", "Backtest: mean absolute percentage error (MAPE, %)"),
    "horizon": ("预测年数", "Horizon (years)"),
    "m_cohort": ("队列法", "Cohort survival"),
    "m_last_value": ("上年值", "Last value"),
    "m_linear_trend": ("线性趋势", "Linear trend"),
    "coverage_80": ("80%区间覆盖率", "80% interval coverage"),
    "forecasts_n": ("回测次数", "Forecasts"),
    "nces": ("NCES 公布值*", "NCES published*"),
    "nces_note": (
        "* 美国国家教育统计中心（NCES）对美国公立学校全国在校生（preK–12）预测的 MAPE（{source}）。"
        "数据完全不同：那是约 5,000 万名真实学生的全国合计，这里是本市各区的数据，仅供量级参照。",
        "* MAPE of NCES projections of U.S. public school enrollment, preK-12, national total ({source}). "
        "Different data: the national total of some 50 million real pupils, not this city's districts; "
        "shown for scale only.",
    ),
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``.

    Raises:
        KeyError: the key is not in :data:`MESSAGES` (a typo in a template fails its test).
    """
    zh, en = MESSAGES[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def pick(lang: str, zh: str | None, en: str | None) -> str:
    """One of a pair of catalog texts (``title_zh``/``title_en``) in ``lang``."""
    return (en if lang == "en" else zh) or zh or en or ""
