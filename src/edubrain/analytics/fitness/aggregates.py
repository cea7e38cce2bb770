"""City, district, school and class indicators of student physical health, and a data-quality early warning.

Both are engine-neutral Ibis expressions over scored rows
(:func:`edubrain.analytics.fitness.scoring.score_expr` plus the organisation
columns ``district_code``, ``school_code``, ``class_id`` and ``school_year``).

Indicators follow the usage of the national annual reporting of the
standard: 优良率 = (优秀 + 良好) / tested, 及格率 = (优秀 + 良好 + 及格) / tested,
where *tested* counts students with a complete test (免测 and incomplete tests
are counted separately and left out of every rate); overweight and obesity
rates are shares of students with a BMI among the tested; an item's pass rate
is the share of its results scoring 60 or more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis

from edubrain.analytics.fitness.standard import FitnessStandard, load_standard

if TYPE_CHECKING:
    from ibis.expr.types import Table

CITY_CODE = "110000"
ALL = "*"
LEVELS: tuple[str, ...] = ("city", "district", "school", "class")


def _org(t: Table, level: str) -> tuple[Any, Any]:
    if level == "city":
        return ibis.literal(CITY_CODE), ibis.null("string")
    if level == "district":
        return t["district_code"], ibis.literal(CITY_CODE)
    if level == "school":
        return t["school_code"], t["district_code"]
    return t["school_code"] + ":" + t["class_id"].fill_null(""), t["school_code"]


def _indicators(t: Table, items: list[str]) -> Table:
    tested = t["status"] == "complete"
    with_bmi = tested & t["bmi_band"].notnull()
    columns: dict[str, Any] = {
        "i_tested": tested.cast("int64"),
        "i_exempt": (t["status"] == "exempt").cast("int64"),
        "i_eg": (tested & t["level"].isin(["优秀", "良好"])).cast("int64"),
        "i_pass": (tested & (t["level"] != "不及格")).cast("int64"),
        "i_total": ibis.ifelse(tested, t["total_score"], 0.0),
        "i_bmi": with_bmi.cast("int64"),
        "i_over": (with_bmi & (t["bmi_band"] == "超重")).cast("int64"),
        "i_obese": (with_bmi & (t["bmi_band"] == "肥胖")).cast("int64"),
    }
    for item in items:
        score = t[f"{item}_score"]
        columns[f"n_{item}"] = score.notnull().cast("int64")
        columns[f"p_{item}"] = (score >= 60).fill_null(False).cast("int64")
    return t.mutate(**columns)


def _rate(num: Any, den: Any) -> Any:
    return ibis.ifelse(den > 0, num.cast("float64") / den.cast("float64"), ibis.null("float64"))


def indicators_expr(scored: Table, standard: FitnessStandard | None = None) -> Table:
    """Indicators per level (city, district, school, class), school year, and grade × sex.

    Each organisation gets one row per ``(grade, sex)`` and one row for all its students
    (``grade`` and ``sex`` = ``*``); ``change_*`` columns compare with the same row a year before.

    Returns:
        Columns ``level``, ``org_code``, ``parent_code``, ``school_year``, ``grade``, ``sex``,
        ``students``, ``tested``, ``exempt``, ``excellent_good_rate``, ``pass_rate``, ``mean_total``,
        ``overweight_rate``, ``obesity_rate``, ``<item>_pass_rate`` for every scored item, and
        ``change_excellent_good_rate``, ``change_pass_rate``, ``change_mean_total``.
    """
    std = standard or load_standard()
    items = [i.id for i in std.scored_items]
    base = _indicators(scored, items)
    parts = []
    for level in LEVELS:
        org, parent = _org(base, level)
        keyed = base.mutate(org_code=org, parent_code=parent)
        for detailed in (False, True):
            grade = keyed["grade"] if detailed else ibis.literal(ALL)
            sex = keyed["sex"] if detailed else ibis.literal(ALL)
            grouped = keyed.mutate(g_grade=grade, g_sex=sex).group_by(
                ["org_code", "parent_code", "school_year", "g_grade", "g_sex"]
            )
            sums = {c: base[c].sum() for c in base.columns if c.startswith(("i_", "n_", "p_"))}
            agg = grouped.aggregate(students=lambda t: t.count(), **{k: _col_sum(k) for k in sums})
            parts.append(agg.mutate(level=ibis.literal(level)))
    stacked = ibis.union(*parts)
    rates: dict[str, Any] = {
        "students": stacked["students"].cast("int64"),
        "tested": stacked["i_tested"].cast("int64"),
        "exempt": stacked["i_exempt"].cast("int64"),
        "excellent_good_rate": _rate(stacked["i_eg"], stacked["i_tested"]),
        "pass_rate": _rate(stacked["i_pass"], stacked["i_tested"]),
        "mean_total": ibis.ifelse(
            stacked["i_tested"] > 0, stacked["i_total"] / stacked["i_tested"].cast("float64"), ibis.null("float64")
        ),
        "overweight_rate": _rate(stacked["i_over"], stacked["i_bmi"]),
        "obesity_rate": _rate(stacked["i_obese"], stacked["i_bmi"]),
    }
    rates.update({f"{i}_pass_rate": _rate(stacked[f"p_{i}"], stacked[f"n_{i}"]) for i in items})
    current = stacked.select(
        "level", "org_code", "parent_code", "school_year", grade=stacked["g_grade"], sex=stacked["g_sex"], **rates
    )
    before = current.select(
        p_level=current["level"],
        p_org=current["org_code"],
        p_year=current["school_year"] + 1,
        p_grade=current["grade"],
        p_sex=current["sex"],
        p_eg=current["excellent_good_rate"],
        p_pass=current["pass_rate"],
        p_mean=current["mean_total"],
    )
    joined = current.left_join(
        before,
        [
            current["level"] == before["p_level"],
            current["org_code"] == before["p_org"],
            current["school_year"] == before["p_year"],
            current["grade"] == before["p_grade"],
            current["sex"] == before["p_sex"],
        ],
    )
    return joined.select(
        *[joined[c] for c in current.columns],
        change_excellent_good_rate=joined["excellent_good_rate"] - joined["p_eg"],
        change_pass_rate=joined["pass_rate"] - joined["p_pass"],
        change_mean_total=joined["mean_total"] - joined["p_mean"],
    )


def _col_sum(name: str) -> Any:
    return lambda t: t[name].sum()


def warnings_expr(
    scored: Table,
    standard: FitnessStandard | None = None,
    *,
    min_results: int = 20,
    perfect_share: float = 0.5,
    identical_share: float = 0.5,
    z_limit: float = 3.0,
    min_gap: float = 5.0,
) -> Table:
    """Schools whose results look implausible, one row per school, year, check and item.

    Checks (thresholds are parameters; defaults in brackets):

    - ``perfect_scores``: the share of the school's item results scoring 100 is at least
      ``perfect_share`` [0.5] and at least twice the city's share;
    - ``identical_values``: one raw value makes up at least ``identical_share`` [0.5] of an
      item's results at the school (e.g. every 50 m time 8.0 s);
    - ``unlike_city``: the school's mean 学年总分 lies ``z_limit`` [3] standard deviations or more
      from the mean of the city's school means that year, and at least ``min_gap`` [5] points.

    Only schools with at least ``min_results`` [20] results (of the item, or tested students)
    are judged. Returns ``school_year``, ``district_code``, ``school_code``, ``check``, ``item``
    (``*`` for whole-test checks), ``value``, ``city_value`` and ``results``.
    """
    std = standard or load_standard()
    items = [i for i in std.scored_items if i.field]
    keys = ["school_year", "district_code", "school_code"]
    long_scores = scored.select(
        *keys,
        **{f"s_{i.id}": scored[f"{i.id}_score"].cast("float64") for i in items},
    ).pivot_longer(ibis.selectors.startswith("s_"), names_to="item", values_to="score")
    long_scores = long_scores.filter(long_scores["score"].notnull())
    per_school = long_scores.group_by(keys).aggregate(
        results=lambda t: t.count(), perfect=lambda t: (t["score"] >= 100).cast("int64").sum()
    )
    city = long_scores.group_by("school_year").aggregate(
        c_results=lambda t: t.count(), c_perfect=lambda t: (t["score"] >= 100).cast("int64").sum()
    )
    perfect = per_school.join(city, "school_year")
    perfect = perfect.mutate(
        value=perfect["perfect"].cast("float64") / perfect["results"].cast("float64"),
        city_value=perfect["c_perfect"].cast("float64") / perfect["c_results"].cast("float64"),
    )
    perfect = perfect.filter(
        (perfect["results"] >= min_results)
        & (perfect["value"] >= perfect_share)
        & (perfect["value"] >= 2 * perfect["city_value"])
    ).select(
        *keys,
        check=ibis.literal("perfect_scores"),
        item=ibis.literal("*"),
        value="value",
        city_value="city_value",
        results=perfect["results"].cast("int64"),
    )

    raw = scored.select(*keys, **{f"r_{i.id}": scored[i.field].cast("float64") for i in items})  # type: ignore[index]
    long_raw = raw.pivot_longer(ibis.selectors.startswith("r_"), names_to="item", values_to="raw")
    long_raw = long_raw.filter(long_raw["raw"].notnull())
    counts = long_raw.group_by([*keys, "item", "raw"]).aggregate(n=lambda t: t.count())
    top = counts.group_by([*keys, "item"]).aggregate(top=lambda t: t["n"].max(), results=lambda t: t["n"].sum())
    top = top.mutate(value=top["top"].cast("float64") / top["results"].cast("float64"))
    identical = top.filter((top["results"] >= min_results) & (top["value"] >= identical_share)).select(
        *keys,
        check=ibis.literal("identical_values"),
        item=top["item"].substr(2),
        value="value",
        city_value=ibis.null("float64"),
        results=top["results"].cast("int64"),
    )

    tested = scored.filter(scored["status"] == "complete")
    means = tested.group_by(keys).aggregate(mean=lambda t: t["total_score"].mean(), results=lambda t: t.count())
    judged = means.filter(means["results"] >= min_results)
    spread = judged.group_by("school_year").aggregate(
        c_mean=lambda t: t["mean"].mean(), c_std=lambda t: t["mean"].std(how="pop")
    )
    unlike = judged.join(spread, "school_year")
    z = ibis.ifelse(unlike["c_std"] > 0, (unlike["mean"] - unlike["c_mean"]) / unlike["c_std"], 0.0)
    unlike = unlike.mutate(z=z, gap=(unlike["mean"] - unlike["c_mean"]).abs())
    unlike = unlike.filter((unlike["z"].abs() >= z_limit) & (unlike["gap"] >= min_gap)).select(
        *keys,
        check=ibis.literal("unlike_city"),
        item=ibis.literal("*"),
        value="mean",
        city_value="c_mean",
        results=lambda t: t["results"].cast("int64"),
    )
    return ibis.union(perfect, identical, unlike)
