"""Scoring 国家学生体质健康标准（2014年修订） as one engine-neutral Ibis expression.

The standard's tables (:mod:`edubrain.analytics.fitness.standard`) become a
small *rule table*, one row per sex and grade, holding for every item its
weight, its twenty thresholds and its bonus steps. The tests are joined to it
on ``(sex, grade)`` (an equality join against 32 rows), and each item's score
is a ``CASE`` generated from the table: ``WHEN value >= t100 THEN 100 WHEN
value >= t95 THEN 95 …``. Nothing loops over rows in Python, and the same
expression compiles for DuckDB and for Spark.

Rules of the standard applied here (国家学生体质健康标准（2014年修订）, 教体艺〔2014〕5号):

- 单项得分 by the 单项评分表 of the student's sex and grade; a result worse
  than the 10-point value scores 0.
- 体重指数 (BMI) = kg/m², at one decimal (rounded half up), scored by band:
  正常 100, 低体重 80, 超重 80, 肥胖 60.
- 标准分 = Σ 单项得分 × 权重, at one decimal (rounded half up).
- 附加分 for results beyond the 100-point value (加分指标评分表): 一分钟跳绳 in
  primary school (up to 20); 引体向上 / 一分钟仰卧起坐 and 1000 / 800 m from
  junior school on (up to 10 each).
- 学年总分 = 标准分 + 附加分; 等级 优秀 ≥ 90.0, 良好 ≥ 80.0, 及格 ≥ 60.0, else 不及格.
- 免测 (exempt): no scores, status ``exempt``. A test missing an item the
  student must take has no 标准分 (status ``incomplete``): the standard has no
  rule for partial tests and a total made of fewer items would not be comparable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import pyarrow as pa

from edubrain.analytics.fitness.standard import GRADES, SEXES, FitnessStandard, Item, load_standard

if TYPE_CHECKING:
    from ibis.expr.types import BooleanValue, IntegerValue, NumericValue, Table

EPS = 1e-6
"""Tolerance for binary floating point when a recorded result is turned into its scaled integer."""
BONUS_ITEMS: tuple[str, ...] = ("rope_skipping", "pull_ups", "sit_ups", "run_1000m", "run_800m")
STATUS_COMPLETE, STATUS_INCOMPLETE, STATUS_EXEMPT, STATUS_UNSCORED = "complete", "incomplete", "exempt", "unscored"
INPUT_COLUMNS: tuple[str, ...] = ("grade", "sex", "height_cm", "weight_kg", "exempt")
ROW = "_fitness_row"


def score_columns(standard: FitnessStandard | None = None) -> list[str]:
    """Names of the columns :func:`score_expr` adds, in order."""
    std = standard or load_standard()
    items = [f"{i.id}_score" for i in std.scored_items]
    bonuses = [f"{i}_bonus" for i in BONUS_ITEMS]
    return [
        "bmi",
        "bmi_band",
        "bmi_score",
        *items,
        *bonuses,
        "standard_score",
        "bonus",
        "total_score",
        "level",
        "status",
    ]


def rule_table(standard: FitnessStandard | None = None) -> pa.Table:
    """The standard as one row per sex and grade: weights, scaled thresholds, BMI bands and bonus steps.

    Column names: ``w_<item>`` (percent), ``t_<item>_<score>`` (threshold × 10^decimals),
    ``bmi_normal`` / ``bmi_over`` / ``bmi_obese`` (tenths of kg/m²) and ``b_<item>_<points>``.
    A null cell means the item, score or bonus step does not apply.
    """
    std = standard or load_standard()
    rows: list[dict[str, Any]] = []
    for sex in SEXES:
        for grade in GRADES:
            row: dict[str, Any] = {"r_sex": sex, "r_grade": grade}
            weights = std.weights[(sex, grade)]
            row["w_bmi"] = weights.get("bmi")
            row["bmi_normal"], row["bmi_over"], row["bmi_obese"] = std.bmi_bands[(sex, grade)]
            for item in std.scored_items:
                row[f"w_{item.id}"] = weights.get(item.id)
                table = dict(std.thresholds.get((item.id, sex, grade), []))
                for score in _scores(std, item):
                    row[f"t_{item.id}_{score}"] = table.get(score)
            for item_id in BONUS_ITEMS:
                steps = std.bonus.get((item_id, sex, grade), [])
                for points in range(1, _max_points(std, item_id) + 1):
                    row[f"b_{item_id}_{points}"] = steps[points - 1] if points <= len(steps) else None
            rows.append(row)
    columns = list(rows[0])
    types = {c: pa.string() if c in ("r_sex", "r_grade") else pa.int64() for c in columns}
    return pa.table({c: pa.array([r[c] for r in rows], types[c]) for c in columns})


def _scores(std: FitnessStandard, item: Item) -> list[int]:
    found = {s for (i, _, _), pairs in std.thresholds.items() if i == item.id for s, _ in pairs}
    return sorted(found, reverse=True)


def _max_points(std: FitnessStandard, item_id: str) -> int:
    return max((len(v) for (i, _, _), v in std.bonus.items() if i == item_id), default=0)


def scaled(value: NumericValue, item: Item) -> IntegerValue:
    """A recorded result as the integer it is compared as (value × 10^decimals, rounded as the item is recorded)."""
    x = value.cast("float64") * item.scale
    if item.rounding == "up":
        return (x - EPS).ceil().cast("int64")
    if item.rounding == "half_up":
        return (x + 0.5 + EPS).floor().cast("int64")
    return (x + EPS).floor().cast("int64")


def _item_score(t: Table, std: FitnessStandard, item: Item) -> IntegerValue:
    value = t[f"v_{item.id}"]
    branches = []
    for score in _scores(std, item):
        threshold = t[f"t_{item.id}_{score}"]
        hit: BooleanValue = value >= threshold if item.direction == "higher" else value <= threshold
        branches.append((hit, score))
    score_expr = ibis.cases(*branches, else_=0)
    return ibis.ifelse(t[f"w_{item.id}"].isnull() | value.isnull(), ibis.null("int64"), score_expr).cast("int64")


def _item_bonus(t: Table, std: FitnessStandard, item: Item) -> IntegerValue:
    """Bonus points: only a result at or beyond the 100-point value earns any (加分指标评分表)."""
    value = t[f"v_{item.id}"]
    top = t[f"t_{item.id}_100"]
    beyond = value - top if item.direction == "higher" else top - value
    points = _max_points(std, item.id)
    branches = [(beyond >= t[f"b_{item.id}_{p}"], p) for p in range(points, 0, -1)]
    bonus = ibis.cases(*branches, else_=0)
    applies = t[f"b_{item.id}_1"].notnull() & t[f"w_{item.id}"].notnull() & value.notnull()
    return ibis.ifelse(applies, ibis.ifelse(beyond >= 0, bonus, 0), ibis.null("int64")).cast("int64")


def _bmi_tenths(t: Table) -> IntegerValue:
    height = t["height_cm"].cast("float64")
    weight = t["weight_kg"].cast("float64")
    tenths = (weight * 100000.0 / (height * height) + 0.5 + EPS).floor().cast("int64")
    return ibis.ifelse((height > 0) & weight.notnull(), tenths, ibis.null("int64"))


def _bmi_band(t: Table) -> Any:
    tenths = t["v_bmi"]
    band = ibis.cases(
        (tenths < t["bmi_normal"], "低体重"),
        (tenths < t["bmi_over"], "正常"),
        (tenths < t["bmi_obese"], "超重"),
        else_="肥胖",
    )
    return ibis.ifelse(tenths.isnull() | t["bmi_normal"].isnull(), ibis.null("string"), band)


def score_expr(tests: Table, standard: FitnessStandard | None = None) -> Table:
    """Score every row of ``tests``: the input columns plus :func:`score_columns`.

    The expression is built in stages (scaled results, item scores, bonus and totals), each a
    ``mutate`` that refers to the previous stage's columns by name, so the generated SQL stays small.
    Row order is not kept (it is a join); sort by a key of the input when order matters.

    Args:
        tests: An Ibis table with ``grade`` and ``sex`` (catalog codes as strings), ``height_cm``,
            ``weight_kg``, ``exempt`` (boolean, may be null) and the raw result column of every item
            (the ``fitness_tests`` catalog fields, timed items in seconds).
        standard: The tables (default: the packaged 2014 standard).

    Returns:
        The scored table. Item scores are null where the item is not tested for the sex and grade,
        or the result is missing; ``standard_score`` and ``total_score`` are one-decimal numbers.
    """
    std = standard or load_standard()
    inputs = list(tests.columns)
    items = [i for i in std.scored_items if i.field]
    rules = ibis.memtable(rule_table(std))
    joined = tests.left_join(rules, [tests["sex"] == rules["r_sex"], tests["grade"] == rules["r_grade"]])
    rule_columns = [c for c in rules.columns if c not in ("r_sex", "r_grade")]
    # Stage 1: each result as its scaled integer, next to the rules of the student's sex and grade.
    t = joined.select(
        *[joined[c] for c in inputs],
        *[joined[c] for c in rule_columns],
        r_grade=joined["r_grade"],
        v_bmi=_bmi_tenths(joined),
        **{f"v_{i.id}": scaled(joined[i.field], i) for i in items},  # type: ignore[index]
    )
    # Stage 2: item scores, BMI band and bonus points; thresholds are not needed after this.
    weights = [f"w_{k}" for k in ["bmi", *[i.id for i in items]]]
    t = t.select(
        *[t[c] for c in inputs],
        *[t[c] for c in weights],
        r_grade=t["r_grade"],
        v_bmi=t["v_bmi"],
        bmi_band=_bmi_band(t),
        **{f"{i.id}_score": _item_score(t, std, i) for i in items},
        **{f"{i}_bonus": _item_bonus(t, std, std.item(i)) for i in BONUS_ITEMS},
    )
    t = t.mutate(
        bmi_score=t["bmi_band"].cases(
            ("正常", 100), ("低体重", 80), ("超重", 80), ("肥胖", 60), else_=ibis.null("int64")
        )
    )
    # Stage 3: 标准分 (in tenths), 附加分, status.
    names = ["bmi", *[i.id for i in items]]
    weighted = sum((t[f"w_{k}"].fill_null(0) * t[f"{k}_score"].fill_null(0) for k in names), ibis.literal(0))
    missing = sum(((t[f"w_{k}"].notnull() & t[f"{k}_score"].isnull()).cast("int64") for k in names), ibis.literal(0))
    bonus_total = sum((t[f"{i}_bonus"].fill_null(0) for i in BONUS_ITEMS), ibis.literal(0))
    exempt = t["exempt"].fill_null(False) if "exempt" in inputs else ibis.literal(False)
    standard_tenths = ((weighted + 5) / 10).floor().cast("int64")
    status = ibis.cases(
        (exempt, STATUS_EXEMPT),
        (t["r_grade"].isnull(), STATUS_UNSCORED),
        (missing > 0, STATUS_INCOMPLETE),
        else_=STATUS_COMPLETE,
    )
    t = t.mutate(x_standard=standard_tenths, x_bonus=bonus_total.cast("int64"), status=status, x_live=~exempt)
    t = t.mutate(x_total=t["x_standard"] + t["x_bonus"] * 10)
    live, complete = t["x_live"], t["status"] == STATUS_COMPLETE
    level = ibis.cases(
        (t["x_total"] >= 900, "优秀"), (t["x_total"] >= 800, "良好"), (t["x_total"] >= 600, "及格"), else_="不及格"
    )
    out: dict[str, Any] = {
        "bmi": ibis.ifelse(live, t["v_bmi"].cast("float64") / 10.0, ibis.null("float64")),
        "bmi_band": ibis.ifelse(live, t["bmi_band"], ibis.null("string")),
        "bmi_score": ibis.ifelse(live, t["bmi_score"].cast("int64"), ibis.null("int64")),
    }
    out.update({f"{i.id}_score": ibis.ifelse(live, t[f"{i.id}_score"], ibis.null("int64")) for i in items})
    out.update({f"{i}_bonus": ibis.ifelse(live, t[f"{i}_bonus"], ibis.null("int64")) for i in BONUS_ITEMS})
    out["standard_score"] = ibis.ifelse(complete, t["x_standard"].cast("float64") / 10.0, ibis.null("float64"))
    out["bonus"] = ibis.ifelse(complete, t["x_bonus"], ibis.null("int64"))
    out["total_score"] = ibis.ifelse(complete, t["x_total"].cast("float64") / 10.0, ibis.null("float64"))
    out["level"] = ibis.ifelse(complete, level, ibis.null("string"))
    out["status"] = t["status"]
    return t.select(*[t[c] for c in inputs], **out)


def score_arrow(tests: pa.Table, standard: FitnessStandard | None = None) -> pa.Table:
    """Score an in-memory Arrow table on an embedded DuckDB, rows in input order (columns: :func:`score_expr`)."""
    table = _with_inputs(tests, standard)
    table = table.append_column(ROW, pa.array(range(table.num_rows), pa.int64()))
    con = ibis.duckdb.connect()
    try:
        scored = con.to_pyarrow(score_expr(ibis.memtable(table), standard).order_by(ROW))
    finally:
        con.disconnect()
    return scored.drop_columns([ROW])


def _with_inputs(tests: pa.Table, standard: FitnessStandard | None) -> pa.Table:
    """Add any missing input column as nulls so that a file without, say, pull-ups still scores."""
    std = standard or load_standard()
    table = tests
    wanted: dict[str, pa.DataType] = {"grade": pa.string(), "sex": pa.string(), "exempt": pa.bool_()}
    wanted.update({"height_cm": pa.float64(), "weight_kg": pa.float64()})
    wanted.update({i.field: pa.float64() for i in std.scored_items if i.field})
    for name, kind in wanted.items():
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, kind))
    return table
