"""Chinese and English wording of the teaching-quality pages (``pages_teaching``)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "items_title": ("试题分析", "Item analysis"),
    "items_intro": ("每次考试每道题的难度、区分度、点双列相关与整卷信度（Cronbach's α、KR-20），标出需复核的题目及原因。"
                    "统计量由学校报送的小题得分计算，不含任何学生的作答；考生少于 20 人的考试不计算。",
                    "Difficulty, discrimination, point-biserial and the exam's reliability (Cronbach's alpha, KR-20) for "
                    "each item of each exam, with the items to review and why. Computed from the item scores schools "
                    "submit, with no pupil's response shown; exams with fewer than 20 students are not computed."),
    "exams": ("考试", "Exams"), "exam": ("考试编号", "Exam"), "school": ("学校", "School"),
    "year": ("学年", "School year"), "grade": ("年级", "Grade"), "subject": ("学科", "Subject"),
    "persons": ("考生数", "Students"), "items": ("题数", "Items"), "alpha": ("α 系数", "Alpha"),
    "flagged": ("需复核题数", "Items to review"), "open": ("查看", "Open"), "no_exams": (
        "暂无您可查看的试题分析。学校报送考试小题得分后自动计算。",
        "No item analysis you may see yet. It is computed once schools submit item scores."),
    "reliability": ("整卷信度", "Reliability"),
    "alpha_ci": ("Cronbach's α = {alpha}（95% 区间 {lower}–{upper}）", "Cronbach's alpha = {alpha} (95 % interval {lower}–{upper})"),
    "kr20": ("KR-20 = {value}", "KR-20 = {value}"),
    "kr20_none": ("KR-20 仅适用于全部 0/1 计分的试卷；本卷含多级计分题。", "KR-20 applies only when every item is scored 0/1; this exam has polytomous items."),
    "item_table": ("各题统计", "Items"), "item_no": ("题号", "Item"), "type": ("题型", "Type"),
    "key": ("答案", "Key"), "max": ("满分", "Max"), "difficulty": ("难度（得分率）", "Difficulty (facility)"),
    "discrimination": ("区分度 D", "Discrimination D"), "point_biserial": ("点双列相关", "Point-biserial"),
    "corrected": ("校正题总相关", "Corrected item-total r"), "alpha_deleted": ("删除后 α", "Alpha if deleted"),
    "reasons": ("复核原因", "Why review"), "options": ("选项分析", "Options"),
    "type_1": ("客观题", "Objective"), "type_2": ("主观题", "Subjective"),
    "option_table": ("第 {item} 题选项分析", "Options of item {item}"),
    "option": ("选项", "Option"), "is_key": ("正确答案", "Key"), "rate": ("选择率", "Chosen by"),
    "rate_upper": ("高分组（27%）", "Upper 27 %"), "rate_lower": ("低分组（27%）", "Lower 27 %"),
    "gap": ("高−低", "Upper − lower"), "flag": ("标记", "Flag"),
    "flag_key_negative": ("正确答案被低分组选得更多", "Key chosen more by the lower group"),
    "flag_distractor_positive": ("干扰项被高分组选得更多", "Distractor chosen more by the upper group"),
    "flag_distractor_unused": ("干扰项无人选择", "Distractor never chosen"),
    "back": ("返回考试列表", "Back to the exams"),
    "va_title": ("学校增值评价", "School value-added"),
    "va_intro": ("在控制学生上一学年同科成绩和年级后，各校本学年成绩高于或低于全市同类学生平均的程度（标准分），"
                 "多层模型（学生嵌套于学校）估计，附 95% 区间。",
                 "How far each school's pupils score above or below the city average for pupils with the same score a "
                 "year earlier and the same grade (standard-score units), from a multilevel model (pupils within "
                 "schools), with 95 % intervals."),
    "va_warning_title": ("请勿据此排名", "Do not rank on this"),
    "va_none": ("暂无您可查看的增值评价。需要同一批学生连续两个学年的考试成绩。",
                "No value-added you may see yet. It needs two consecutive years of exam scores of the same pupils."),
    "show": ("显示", "Show"), "effect": ("增值效应", "Effect"), "se": ("标准误", "Std. error"),
    "interval": ("95% 区间", "95 % interval"), "students": ("学生数", "Pupils"), "position": ("区间位置", "Interval"),
    "pos_above": ("高于平均", "Above average"), "pos_below": ("低于平均", "Below average"),
    "pos_average": ("与平均无可靠差别", "Not reliably different from average"),
    "overlap": ("所列学校中 {share}% 的两两区间相互重叠。", "{share}% of the pairs of schools listed have overlapping intervals."),
    "model": ("模型：{students} 名学生、{schools} 所学校；先前成绩系数 {slope}；校间方差 {tau2}，校内方差 {sigma2}。",
              "Model: {students} pupils in {schools} schools; prior-attainment slope {slope}; between-school variance {tau2}, within {sigma2}."),
    "method": ("方法与限制", "Method and limits"),
    "table": ("各校效应", "Effects by school"),
    "tabs": ("教学质量", "Teaching quality"),
    "more": ("仅列出最新的 {shown} 次考试（共 {total} 次）；可按学校或学年筛选（?school=、?year=），或用接口、命令行查看全部。",
             "Only the newest {shown} of {total} exams are listed; filter by school or year (?school=, ?year=) or use the API or CLI."),
}  # fmt: skip
