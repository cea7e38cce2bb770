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
    "nav_my_fitness": ("体质健康成绩", "Fitness results"),
    "logout": ("退出登录", "Log out"),
    "menu": ("菜单", "Menu"),
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
        "您的角色只能查看本人或子女的记录，没有驾驶舱指标：体测成绩和等级在“体质健康成绩”中，其他记录在“数据浏览”中。",
        "Your role sees only your own (or your children's) records, so it has no cockpit: fitness results and "
        "grades are under Fitness results, other records under Datasets.",
    ),
    "no_cockpit_public": (
        "公众账户没有驾驶舱，也看不到任何学生或教师的个人信息。您可以在“数据目录”中查看数据标准，"
        "在“数据浏览”中查看公开共享的数据集（学校名录、各区出生人口、体质健康统计、学位预测等，只显示公开字段）。",
        "A public account has no cockpit and sees no pupil's or teacher's personal information. The Catalog "
        "describes the data standards; Datasets shows the openly shared datasets (the school register, births "
        "by district, physical health statistics, school-place forecasts and more), public fields only.",
    ),
    # error pages
    "err_400": ("请求无法处理", "Bad request"),
    "err_401": ("请先登录", "Please log in"),
    "err_403": ("无权访问", "Access denied"),
    "err_404": ("页面不存在", "Page not found"),
    "err_405": ("不支持该操作", "Method not allowed"),
    "err_413": ("上传文件过大", "The upload is too large"),
    "err_422": ("请求参数无效", "Invalid request"),
    "err_500": ("服务器内部错误", "Internal error"),
    "err_503": ("服务暂不可用", "Service unavailable"),
    "page_refused": ("您的角色不能使用此页面", "Your role may not use this page"),
    # one's own (or one's children's) fitness results
    "my_fitness_self": ("我的体质健康成绩", "My physical health results"),
    "my_fitness_children": ("子女的体质健康成绩", "My child's physical health results"),
    "my_fitness_none": (
        "还没有体质健康测试成绩：学校提交体测数据后自动计算。",
        "No physical health results yet: they are computed when the school submits the fitness tests.",
    ),
    "my_fitness_note": (
        "按《国家学生体质健康标准（2014年修订）》评分：学年总分 = 标准分 + 附加分；"
        "优秀 ≥ 90.0，良好 80.0–89.9，及格 60.0–79.9，不及格 ≤ 59.9。",
        "Scored by the National Student Physical Health Standard (2014 revision): yearly total = standard score "
        "+ bonus; excellent ≥ 90.0, good 80.0-89.9, pass 60.0-79.9, fail ≤ 59.9.",
    ),
    "child_n": ("子女 {n}", "Child {n}"),
    "item_scores": ("单项得分", "Item scores"),
    "fit_excellent": ("优秀", "Excellent"),
    "fit_good": ("良好", "Good"),
    "fit_pass": ("及格", "Pass"),
    "fit_fail": ("不及格", "Fail"),
    "fit_incomplete": ("缺项，未计总分", "An item is missing: no total"),
    "fit_exempt": ("免测", "Exempt"),
    "fit_unscored": ("年级或性别不在标准范围内，未评分", "Grade or sex outside the standard: not scored"),
    "data_as_of": ("数据版本", "Data as of"),
    "version_n": ("第 {n} 版", "version {n}"),
    "no_version": ("尚无数据", "no data yet"),
    "colon": ("：", ": "),
    "list_sep": ("，", "; "),
    "masked_hover": ("（悬停列名查看原因）", " (hover over a column name for why)"),
    "masked_why_purpose": (
        "已脱敏：密级 {level}，需填写用途才能查看原值（记入审计）",
        "Masked: classification {level}; choose a purpose to see it (audited)",
    ),
    "masked_why_role": (
        "已脱敏：密级 {level}，高于您的角色可见级别",
        "Masked: classification {level}, above what your role may see",
    ),
    "primary_key": ("主键", "key"),
    "primary_key_hint": ("主键：每行唯一，用于新增或更新", "Primary key: unique per row, used to add or replace rows"),
    "map_title_district": ("{name}地图", "Map of {name}"),
    "map_hint_district": (
        "地图已缩放到本区；学校没有坐标，各校列在地图下方（悬停本区可看各校数值）",
        "Zoomed to your district; schools have no coordinates, so they are listed below the map "
        "(hover over the district for each school's value)",
    ),
    "map_schools_note": ("本区学校（{n} 所）", "Schools of the district ({n})"),
    "schools_in_district": ("本区学校", "Schools of the district"),
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
    "drop_submits": ("选中文件后即上传并校验，无须再点按钮", "A chosen file is uploaded and validated at once"),
    "upload_sending": ("上传中", "Uploading"),
    "upload_validating": ("已上传，校验中…", "Uploaded, validating…"),
    "upload_done": ("校验完成，报告见下方", "Validated: the report is below"),
    "upload_failed": ("未能完成，原因见下方", "Not completed: see below"),
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
    "forecasts_n": ("起点数", "Origins"),
    "few_origins": ("起点不足 5 个", "fewer than 5 origins"),
    "backtest_origins": (
        "回测起点：{origins}（共 {count} 个），历史为 {first}–{last} 共 {years} 个学年；每个起点之前至少需要 3 个学年"
        "（估计比率的波动至少要两年的比率），所以预测 h 年只有 {years}−h−2 个起点。",
        "Backtest origins: {origins} ({count} in all), from a history of {first}–{last}, {years} school years; "
        "each origin needs 3 school years up to it (the spread of a ratio needs two observed years of it), "
        "so horizon h has only {years}−h−2 origins.",
    ),
    "backtest_few_origins": (
        "标有“起点不足 5 个”的行只是几个例子，其误差和覆盖率不能说明预测或区间是否可靠（只有 1 个起点时覆盖率只能是 0% 或 100%）。"
        "预测 1 年要有 5 个起点需要至少 {need1} 个学年的历史，预测 5 年需要 {need5} 个学年。",
        "Rows marked “fewer than 5 origins” are a few cases: their error and coverage do not show whether the "
        "forecast or its interval can be relied on (with one origin, coverage can only be 0% or 100%). "
        "Five origins at horizon 1 need at least {need1} school years of history; at horizon 5, {need5} school years.",
    ),
    "nces": ("NCES 公布值*", "NCES published*"),
    "nces_note": (
        "* 美国国家教育统计中心（NCES）对美国公立学校全国在校生（preK–12）预测的 MAPE（{source}）。"
        "数据完全不同：那是约 5,000 万名真实学生的全国合计，这里是本市各区的数据，仅供量级参照。",
        "* MAPE of NCES projections of U.S. public school enrollment, preK-12, national total ({source}). "
        "Different data: the national total of some 50 million real pupils, not this city's districts; "
        "shown for scale only.",
    ),
    # audit trail (审计日志), for auditors
    "nav_audit": ("审计日志", "Audit trail"),
    "audit_title": ("审计日志", "Audit trail"),
    "audit_intro": (
        "平台记录的每次登录、报送、个人信息读取、导出与权限变更。本页的每次查询、校验和报告下载也会记入审计日志。",
        "Every login, submission, read of personal information, export and change of rights the platform recorded. "
        "Each search, verification and report download on this page is recorded too.",
    ),
    "audit_forbidden": ("只有审计员可以查阅审计日志", "Only auditors may read the audit trail"),
    "audit_verify_title": ("哈希链校验", "Hash chain verification"),
    "audit_verify_button": ("校验哈希链", "Verify the hash chain"),
    "audit_verify_hint": (
        "逐个事件重算哈希并核对锚点；审计员封印的 HMAC 需用审计员密钥在命令行校验（edubrain audit verify --key-file）。",
        "Recomputes every event's hash and checks the anchor; the HMAC of the auditor's seal is checked with the "
        "auditor's key on the command line (edubrain audit verify --key-file).",
    ),
    "audit_intact": ("完整", "intact"),
    "audit_broken": ("已被篡改", "tampered with"),
    "audit_first_bad": ("第一个异常事件：#{seq}", "First bad event: #{seq}"),
    "audit_head": ("链头 #{seq}", "Head #{seq}"),
    "audit_report_title": ("年度未成年人个人信息合规审计报告", "Annual report on minors' personal information"),
    "audit_report_year": ("年度（北京时间）", "Year (Beijing time)"),
    "audit_report_button": ("下载报告（ZIP：HTML + CSV）", "Download the report (ZIP: HTML + CSV)"),
    "audit_search_title": ("查询审计事件", "Search the events"),
    "audit_actor": ("操作者（用户名或编号）", "Actor (username or id)"),
    "audit_action": ("动作", "Action"),
    "audit_any": ("全部", "Any"),
    "audit_since": ("起始日期", "From"),
    "audit_until": ("截止日期（含）", "To (inclusive)"),
    "audit_seq": ("序号", "Seq"),
    "audit_time": ("时间（北京时间）", "Time (Beijing)"),
    "audit_actor_col": ("操作者", "Actor"),
    "audit_org": ("单位", "Organisation"),
    "audit_minors": ("涉及未成年人", "Minors"),
    "audit_rows": ("行数", "Rows"),
    "audit_purpose": ("用途", "Purpose"),
    "audit_detail": ("详情", "Detail"),
    "audit_none": ("没有符合条件的事件", "No events match"),
    "audit_page": (
        "第 {page} / {pages} 页，共 {total} 条，最新的在前",
        "Page {page} of {pages}, {total} events, newest first",
    ),
    # period selector, downloads, indicator definitions (W4)
    "period": ("统计学年", "School year"),
    "period_show": ("查看", "Show"),
    "download": ("下载数据", "Download data"),
    "download_csv": ("CSV 文件", "CSV"),
    "download_xlsx": ("Excel 表格", "Excel"),
    "download_title": ("下载本表/本图的数据（{fmt}）", "Download the data behind this ({fmt})"),
    "indicators_title": ("指标说明", "Indicator definitions"),
    "indicators_link": ("指标说明", "Indicator definitions"),
    "indicators_intro": (
        "驾驶舱和体质健康页面上每个指标的口径：计算公式、来源数据集（及其当前数据版本）、定义版本和责任单位。",
        "How each indicator of the cockpit and the physical health page is computed: formula, source datasets "
        "(with their current data version), definition version and owner.",
    ),
    "def_indicator": ("指标", "Indicator"),
    "def_page": ("页面", "Page"),
    "def_formula": ("计算公式", "Formula"),
    "def_sources": ("来源数据集（当前版本）", "Source datasets (current version)"),
    "def_version": ("定义版本", "Definition version"),
    "def_owner": ("责任单位", "Owner"),
    "col_code": ("代码", "Code"),
    "col_name": ("名称", "Name"),
    "col_district": ("区", "District"),
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
