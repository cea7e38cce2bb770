"""Chinese and English wording of the adaptive-learning pages (``pages_learning``)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "class_title": ("班级知识点掌握度", "Class mastery of knowledge points"),
    "me_title": ("我的学习掌握度", "My learning mastery"),
    "child_title": ("子女的学习掌握度", "My child's learning mastery"),
    "learner_title": ("学生学习掌握度", "A pupil's learning mastery"),
    "intro": ("根据学习应用报送的作答记录（xAPI），用贝叶斯知识追踪（BKT）估计每名学生对小学数学各知识点的掌握概率。"
              "未作答的知识点显示“无证据”，不用先验值代替。",
              "Estimated from the answers learning applications send (xAPI) with Bayesian Knowledge Tracing (BKT): "
              "the probability that a pupil has mastered each primary-maths knowledge point. Points never answered "
              "show “no evidence”, never the prior."),
    "purpose_first": ("学生的学习掌握度属于敏感个人信息：请先选择查阅用途（将记入审计日志）。",
                      "A pupil's mastery is sensitive personal information: choose a purpose first (it is audited)."),
    "purpose": ("查阅用途", "Purpose"), "choose_purpose": ("请选择用途", "Choose a purpose"),
    "open": ("打开", "Open"), "class": ("班级", "Class"), "pupil": ("学生", "Pupil"), "show": ("显示", "Show"),
    "heatmap": ("掌握度热力图（学生 × 知识点）", "Mastery heat map (pupils × knowledge points)"),
    "heatmap_note": ("只列出本班有作答证据的知识点；单元格为掌握概率（0–1），颜色表示状态（见图例），点击学生姓名查看其学习建议。",
                     "Only points the class answered are shown; each cell is the probability of mastery (0–1), coloured by status (see the legend). "
                     "Select a pupil's name for their recommendations."),
    "legend": ("图例", "Legend"),
    "mastered": ("已掌握", "Mastered"), "learning": ("学习中", "Learning"), "weak": ("薄弱", "Weak"),
    "no_evidence": ("无证据", "No evidence"),
    "legend_mastered": ("掌握度 ≥ {mastered}", "mastery ≥ {mastered}"),
    "legend_learning": ("{weak} ≤ 掌握度 < {mastered}", "{weak} ≤ mastery < {mastered}"),
    "legend_weak": ("掌握度 < {weak}", "mastery < {weak}"),
    "legend_none": ("该知识点没有作答记录", "no answer on this point"),
    "class_mean": ("班级平均", "Class mean"), "share_mastered": ("已掌握占比", "Share mastered"),
    "learners": ("有证据人数", "Pupils with evidence"),
    "suppressed": ("人数过少，不显示", "too few pupils, withheld"),
    "no_classes": ("您的范围内没有班级。", "No class in your scope."),
    "no_data": ("该班尚无可用的作答记录。", "No usable answers for this class yet."),
    "ignored": ("未使用的语句：未关联知识点 {no_point} 条，知识点不在目录中 {unknown_point} 条，无 result.success {no_success} 条。",
                "Statements not used: {no_point} without a knowledge point, {unknown_point} with an unknown point, "
                "{no_success} without result.success."),
    "by_domain": ("各领域掌握情况", "Mastery by domain"), "domain": ("领域", "Domain"),
    "answered": ("有证据的知识点", "Points with evidence"), "mean": ("平均掌握度", "Mean mastery"),
    "point": ("知识点", "Knowledge point"), "stage": ("学段", "Stage"), "grade": ("年级", "Grade"),
    "mastery": ("掌握度", "Mastery"), "status": ("状态", "Status"), "attempts": ("作答次数", "Answers"),
    "correct": ("答对", "Correct"),
    "recommendations": ("学习建议", "Recommendations"),
    "rec_note": ("薄弱知识点及其尚未掌握的先修知识点，先修在前；每条说明推荐理由。",
                 "Weak points and their prerequisites not yet mastered, prerequisites first; each says why."),
    "no_recs": ("没有薄弱知识点。", "No weak points."),
    "why": ("理由", "Why"), "resources": ("推荐资源", "Resources"),
    "reason_weak": ("薄弱", "Weak"), "reason_prerequisite": ("先修", "Prerequisite"),
    "choose_child": ("选择子女", "Choose a child"), "back_class": ("返回班级热力图", "Back to the class heat map"),
    "thresholds": ("阈值：掌握 ≥ {mastered}，薄弱 < {weak}（见 docs/adaptive-learning.md）。",
                   "Thresholds: mastered ≥ {mastered}, weak < {weak} (see docs/adaptive-learning.md)."),
}  # fmt: skip
