"""Comprehensive-quality records (综合素质评价写实记录) and teachers' portfolios of one district and school year.

Five school-owned datasets, drawn for the year's roster and staff:

- ``student_activities``: arts (per term) and social practice, volunteer service, study tours, career
  experience and labour (per year), one row per student, term and kind of activity actually done, with
  the term's hours (arts: 1-40 hours, skewed);
- ``student_awards``: 1-3 awards for a minority of pupils, levels mostly school and district, rarely city
  or national (JY/T 1001 级别代码);
- ``student_conduct``: one conduct rating per pupil per year (term 2, like the year-end exam), mostly
  优秀/良好; a few commendations, very rare disciplinary records (grade 5 up);
- ``info_literacy``: four dimension scores in grades 4 and 8, correlated with academic ability;
- ``teacher_portfolio``: 2-8 records per teacher per year across the four categories (one 师德 record each).

Each pupil also has two persistent traits that do not depend on the year or the school (an interest in
the arts and a civic disposition), hashed from the 学籍号 and the seed, so that the same child is
consistently in the choir or the volunteer team year after year; academic ability is the exam model's
``ability``. Every draw is vectorised over the district; random streams are seeded from the seed, a
label, the district and the year (``synth/rng.py``), as everywhere in the generator.
"""

from __future__ import annotations

import zlib

import numpy as np
import polars as pl

from edubrain.synth.facts import districts
from edubrain.synth.ids import date_days
from edubrain.synth.rng import stream

_UNIX = date_days(1970, 1, 1)
"""Days from the generator's epoch (1950-01-01) to polars' (1970-01-01)."""

STAGE_OF_GRADE = np.array([0] * 6 + [1] * 3 + [2] * 3)
"""Grade index 0-11 -> stage (0 primary, 1 junior, 2 senior)."""

ARTS_PER_TERM = (0.28, 0.21, 0.15)
"""Share of pupils with an arts activity in a term, by stage (before the arts trait shifts it)."""
PRACTICE: dict[str, tuple[tuple[float, float, float], float, float, float, tuple[str, ...]]] = {
    "25": ((0.26, 0.26, 0.24), 2.2, 5.0, 60.0, ("校园劳动周", "家务劳动实践", "学农劳动实践", "校园种植园劳动", "社区公益劳动")),
    "22": ((0.04, 0.20, 0.30), 1.4, 6.0, 80.0, ("社区志愿服务", "图书馆志愿服务", "博物馆志愿讲解", "敬老院志愿服务", "文明交通志愿引导")),
    "23": ((0.08, 0.10, 0.08), 3.0, 6.0, 48.0, ("红色研学之旅", "科技馆研学", "长城文化研学", "中轴线文化研学", "自然生态研学")),
    "21": ((0.00, 0.06, 0.14), 2.0, 4.0, 40.0, ("社区垃圾分类调查", "家乡变迁考察", "城市交通调查", "水资源利用调查")),
    "24": ((0.00, 0.05, 0.16), 2.0, 3.0, 24.0, ("医院职业体验", "科研院所职业体验", "企业职业体验", "消防站职业体验")),
}  # fmt: skip
"""Practice kinds (activity_type code) -> (yearly share of pupils by stage, gamma shape, gamma scale, most
hours, activity names). Labour is for everyone; volunteering grows with age; surveys and career
experience are for secondary pupils."""
ARTS_NAMES = {
    "11": ("合唱团", "管乐团", "民乐团", "舞蹈社团", "美术社团", "书法社团", "戏剧社团", "京剧社团"),
    "12": ("学校艺术节展演", "班级美术作品展", "新年音乐会演出", "区学生艺术展演"),
}
"""Arts activity names: 11 courses and clubs, 12 performances and exhibitions."""

LITERACY_GRADES = (3, 7)
"""Grade indexes assessed in information literacy: grades 4 and 8, the grades the national compulsory-education
quality monitoring samples (信息科技 is taught in grades 3-8). Every senior pupil of the last year was in grade 8
within a five-year history."""
LITERACY_DIMENSIONS: dict[str, tuple[float, float, float]] = {
    "1": (78.0, 9.0, 0.55),
    "2": (70.0, 12.0, 0.75),
    "3": (76.0, 10.0, 0.60),
    "4": (83.0, 7.0, 0.35),
}
"""Literacy dimension code -> (mean score, standard deviation, loading on the pupil's literacy factor).
Computational thinking (2) spreads most and follows academic ability most; ethics (4) least."""

AWARD_LEVELS = {"60": 0.55, "43": 0.18, "51": 0.15, "31": 0.06, "23": 0.04, "10": 0.02}
"""Award level (JY/T 1001 级别代码) -> share: mostly school and district, rarely city or national."""
LEVEL_PREFIX = {"60": "校", "43": "{district}", "51": "{district}", "31": "北京市", "23": "北京市", "10": "全国"}
AWARDS: dict[str, tuple[str, ...]] = {
    "1": ("三好学生", "优秀学生干部", "优秀少先队员", "优秀共青团员"),
    "2": ("中小学生数学竞赛", "英语演讲比赛", "中小学生作文比赛", "物理实验技能竞赛", "古诗文诵读比赛"),
    "3": ("中小学生田径运动会", "校园足球联赛", "篮球联赛", "跳绳比赛", "游泳比赛"),
    "4": ("学生艺术节合唱比赛", "中小学生书法比赛", "中小学生绘画比赛", "器乐比赛", "校园舞蹈比赛"),
    "5": ("青少年科技创新大赛", "社会实践优秀成果评选", "劳动技能大赛", "青少年模型竞赛", "研学实践成果展评"),
}
"""Award stems by quality domain. Honours of domain 1 (三好学生 …) carry no rank."""
RANKS = np.array(["一等奖", "二等奖", "三等奖", "优秀奖"])
RANK_SHARES = [0.15, 0.25, 0.35, 0.25]

COMMENDATIONS = ("学期文明礼仪之星", "拾金不昧通报表扬", "优秀志愿者表彰", "助人为乐通报表扬", "班级管理积极分子")
SANCTIONS = ("警告：考试违纪", "警告：多次旷课", "严重警告：打架斗殴", "记过：故意损坏公物")
RATING_CUTS = (-0.10, 1.35, 2.55)
"""A pupil's conduct latent (civic trait, ability, noise) above the first cut is 优秀 (1), then 良好 (2),
合格 (3); past the last, 待合格 (4): about 46%, 44%, 9% and 1%."""
DISCIPLINE = (0.0, 0.0035, 0.004)
"""Yearly share of pupils with a disciplinary record, by stage (grades 1-4 never)."""

PORTFOLIO: dict[str, tuple[float, tuple[str, ...], dict[str, float], tuple[float, float]]] = {
    "2": (0.55, ("公开课", "教学设计评比", "优质课评选", "指导学生竞赛获奖", "班主任工作案例评选", "作业设计评比"),
          {"60": 0.50, "43": 0.25, "51": 0.17, "31": 0.06, "10": 0.02}, (2.0, 20.0)),
    "3": (0.25, ("课题研究", "教学论文发表", "教研论文评比", "校本课程开发"),
          {"60": 0.30, "43": 0.30, "51": 0.22, "31": 0.12, "10": 0.06}, (10.0, 80.0)),
    "4": (0.20, ("送教下乡", "对口帮扶支教", "社区科普讲座", "家长学校讲座", "区域教研共同体指导"),
          {"60": 0.40, "43": 0.30, "51": 0.22, "31": 0.08}, (4.0, 40.0)),
}  # fmt: skip
"""Portfolio categories 2-4 -> (share of the records beyond the yearly 师德 record, title stems, level
shares, hours range)."""
SENIOR_TITLES = ["052", "413", "EB01"]
"""高级 and 正高级 titles (teacher_title codes): a little more research and service."""
PORTFOLIO_EXTRA = (6, 0.2)
"""Records beyond the yearly 师德 record: binomial(6, 0.2) plus one, so 2-8 a year, 3.2 on average."""


def traits(student_id: pl.Series, seed: int, label: str) -> np.ndarray:
    """A standard normal trait per pupil that depends only on the 学籍号, the seed and ``label``.

    The 17 digits after the letter are mixed with the seed (splitmix64, vectorised), so the same
    pupil has the same trait in every year and school.
    """
    digits = student_id.str.slice(1, 17).cast(pl.Int64, strict=False).fill_null(0).to_numpy().astype(np.uint64)
    salt = np.uint64((seed & 0xFFFFFFFF) << 32 | zlib.crc32(label.encode("utf-8")))
    with np.errstate(over="ignore"):
        u1 = _unit(_mix(digits ^ salt))
        u2 = _unit(_mix(digits ^ salt ^ np.uint64(0x9E3779B97F4A7C15)))
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a well-spread 64-bit hash of each value."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _unit(x: np.ndarray) -> np.ndarray:
    """A hash -> a uniform number in (0, 1)."""
    return ((x >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)


def _dates(days: np.ndarray) -> pl.Series:
    """Days since 1950-01-01 -> a polars Date series."""
    return pl.Series(np.asarray(days, dtype=np.int64) - _UNIX).cast(pl.Int32).cast(pl.Date)


def _term_days(rng: np.random.Generator, year: int, term: np.ndarray) -> np.ndarray:
    """A day in the given term of school year ``year``: term 1 September-mid January, term 2 March-early July."""
    start = np.where(term == 1, date_days(year, 9, 5), date_days(year + 1, 3, 1))
    span = np.where(term == 1, 125, 120)
    return start + (rng.random(len(term)) * span).astype(np.int64)


def _pick(rng: np.random.Generator, options: tuple[str, ...] | np.ndarray, n: int) -> np.ndarray:
    return np.asarray(options)[rng.integers(0, len(options), n)]


def _choose(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    codes = list(shares)
    p = np.array(list(shares.values()))
    return np.array(codes)[rng.choice(len(codes), n, p=p / p.sum())]


def _with_ids(frame: pl.DataFrame, year: int, letter: str, sort: list[str], id_name: str) -> pl.DataFrame:
    """Sort by ``sort`` (school first) and number the rows per school: school code + year + letter + 6 digits."""
    frame = frame.sort(sort)
    number = pl.int_range(pl.len()).over("school_code").cast(pl.String).str.zfill(6)
    return frame.with_columns((pl.col("school_code") + pl.lit(f"{year}{letter}") + number).alias(id_name))


def _pupils(students: pl.DataFrame, seed: int) -> pl.DataFrame:
    """The roster columns the draws use, with the persistent traits."""
    ids = students.get_column("student_id")
    return students.select(
        "student_id",
        pl.col("school").alias("school_code"),
        pl.col("grade").cast(pl.Int64),
        pl.col("ability").cast(pl.Float64),
        pl.col("fit").cast(pl.Float64),
    ).with_columns(
        pl.Series("arts", traits(ids, seed, "arts")),
        pl.Series("civic", traits(ids, seed, "civic")),
        pl.Series("stage", STAGE_OF_GRADE[students.get_column("grade").to_numpy().astype(np.int64)]),
    )


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float | np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1 - 1e-9)
    return np.log(q / (1 - q))


def activities(pupils: pl.DataFrame, seed: int, district_index: int, year: int) -> pl.DataFrame:
    """The ``student_activities`` of one district and school year (catalog columns)."""
    rng = stream(seed, "quality-activities", district_index, year)
    stage = pupils.get_column("stage").to_numpy()
    arts = pupils.get_column("arts").to_numpy()
    civic = pupils.get_column("civic").to_numpy()
    n = pupils.height
    parts: list[pl.DataFrame] = []
    for semester in (1, 2):
        p = _logistic(_logit(np.array(ARTS_PER_TERM)[stage]) + 1.2 * arts)
        who = np.flatnonzero(rng.random(n) < p)
        kind = np.where(rng.random(len(who)) < _logistic(-2.2 + 0.8 * arts[who]), "12", "11")
        scale = 6.5 * np.exp(0.25 * arts[who])
        club = np.clip(np.round(rng.gamma(1.6, scale)), 1, 40)
        show = np.clip(np.round(rng.gamma(2.0, 2.0, len(who))), 1, 12)
        labels = np.where(kind == "11", _pick(rng, ARTS_NAMES["11"], len(who)), _pick(rng, ARTS_NAMES["12"], len(who)))
        hours = np.where(kind == "11", club, show)
        parts.append(_activity_rows(pupils, who, np.full(len(who), semester), kind, labels, hours))
    for code, (shares, shape, scale_hours, most, names) in PRACTICE.items():
        base = np.array(shares)[stage]
        lean = civic if code in ("22", "25") else 0.5 * civic + 0.3 * pupils.get_column("ability").to_numpy()
        p = np.where(base > 0, _logistic(_logit(base) + 0.6 * lean), 0.0)
        who = np.flatnonzero(rng.random(n) < p)
        term = np.where(rng.random(len(who)) < 0.45, 1, 2)
        hours = np.clip(np.round(rng.gamma(shape, scale_hours, len(who)) * 2) / 2, 1, most)
        parts.append(_activity_rows(pupils, who, term, np.full(len(who), code), _pick(rng, names, len(who)), hours))
    rows = pl.concat(parts)
    days = _term_days(rng, year, rows.get_column("term").to_numpy())
    rows = rows.with_columns(_dates(days).alias("activity_date"))
    rows = _with_ids(rows, year, "A", ["school_code", "student_id", "term", "activity_type"], "record_id")
    return rows.select(
        "record_id", "student_id", "school_code", pl.lit(year, pl.Int64).alias("school_year"), "term",
        "activity_type", "activity_name", "activity_date", "hours",
    )  # fmt: skip


def _activity_rows(
    pupils: pl.DataFrame,
    who: np.ndarray,
    term: np.ndarray,
    kind: np.ndarray,
    names: np.ndarray,
    hours: np.ndarray,
) -> pl.DataFrame:
    chosen = pupils[who].select("student_id", "school_code")
    return chosen.with_columns(
        pl.Series("term", term.astype(np.int64), dtype=pl.Int64),
        pl.Series("activity_type", kind.astype(str), dtype=pl.String),
        pl.Series("activity_name", names.astype(str), dtype=pl.String),
        pl.Series("hours", hours.astype(np.float64), dtype=pl.Float64),
    )


def awards(pupils: pl.DataFrame, district_name: str, seed: int, district_index: int, year: int) -> pl.DataFrame:
    """The ``student_awards`` of one district and school year: 1-3 awards for about one pupil in nine."""
    rng = stream(seed, "quality-awards", district_index, year)
    ability = pupils.get_column("ability").to_numpy()
    arts = pupils.get_column("arts").to_numpy()
    civic = pupils.get_column("civic").to_numpy()
    fit = pupils.get_column("fit").to_numpy()
    talent = np.maximum.reduce([ability, arts, fit, civic])
    p = _logistic(-3.3 + 0.9 * talent)
    winners = np.flatnonzero(rng.random(pupils.height) < p)
    count = 1 + rng.binomial(2, 0.18, len(winners))
    who = np.repeat(winners, count)
    m = len(who)
    # the domain follows the pupil's strongest side: weights exp(1.2 * trait) over the five domains
    lean = np.stack([civic[who], ability[who], fit[who], arts[who], 0.5 * (civic[who] + ability[who])], axis=1)
    weights = np.exp(1.2 * lean) * np.array([0.6, 1.3, 1.0, 1.0, 0.8])
    cum = np.cumsum(weights, axis=1)
    domain_index = (cum < rng.random(m)[:, None] * cum[:, -1:]).sum(axis=1)
    domain = np.array(["1", "2", "3", "4", "5"])[domain_index]
    level = _choose(rng, AWARD_LEVELS, m)
    prefix = np.vectorize(lambda code: LEVEL_PREFIX[code].format(district=district_name), otypes=[str])(level)
    stem = np.empty(m, dtype=object)
    for code, stems in AWARDS.items():
        at = np.flatnonzero(domain == code)
        stem[at] = _pick(rng, stems, len(at))
    rank = RANKS[rng.choice(len(RANKS), m, p=RANK_SHARES)].astype(object)
    rank[domain == "1"] = None
    day = date_days(year, 10, 1) + rng.integers(0, 270, m)
    rows = (
        pupils[who]
        .select("student_id", "school_code")
        .with_columns(
            pl.Series("domain", domain, dtype=pl.String),
            pl.Series("award_name", np.char.add(prefix.astype(str), stem.astype(str)), dtype=pl.String),
            pl.Series("award_level", level, dtype=pl.String),
            pl.Series("award_rank", rank.tolist(), dtype=pl.String),
            _dates(day).alias("award_date"),
        )
    )
    rows = _with_ids(rows, year, "W", ["school_code", "student_id", "award_date", "award_name"], "award_id")
    return rows.select(
        "award_id", "student_id", "school_code", pl.lit(year, pl.Int64).alias("school_year"), "domain",
        "award_name", "award_level", "award_rank", "award_date",
    )  # fmt: skip


def conduct(pupils: pl.DataFrame, seed: int, district_index: int, year: int) -> pl.DataFrame:
    """The ``student_conduct`` of one district and school year.

    A year-end rating for everyone, a few commendations, very rare disciplinary records (whose pupils
    are rated 合格 or 待合格).
    """
    rng = stream(seed, "quality-conduct", district_index, year)
    n = pupils.height
    grade = pupils.get_column("grade").to_numpy()
    civic = pupils.get_column("civic").to_numpy()
    ability = pupils.get_column("ability").to_numpy()
    p_sanction = np.where(grade >= 4, np.array(DISCIPLINE)[pupils.get_column("stage").to_numpy()], 0.0)
    p_sanction = p_sanction * np.exp(-0.8 * civic)
    sanctioned = rng.random(n) < p_sanction
    latent = -(0.8 * civic + 0.25 * ability) + rng.normal(0, 0.7, n)
    rating = 1 + np.searchsorted(np.array(RATING_CUTS), latent)
    severe = sanctioned & (rng.random(n) < 0.35)
    rating = np.where(sanctioned, np.where(severe, 4, np.maximum(rating, 3)), rating)
    ratings = pupils.select("student_id", "school_code").with_columns(
        pl.lit(2, pl.Int64).alias("term"),
        pl.lit("1").alias("record_type"),
        pl.Series("rating", rating.astype(str), dtype=pl.String),
        pl.lit(None, pl.String).alias("description"),
        _dates(date_days(year + 1, 7, 1) + rng.integers(0, 6, n)).alias("record_date"),
    )
    honoured = np.flatnonzero((rng.random(n) < _logistic(-3.4 + 0.9 * civic)) & ~sanctioned)
    flagged = np.flatnonzero(sanctioned)
    extra = []
    for kind, who, texts in (("2", honoured, COMMENDATIONS), ("3", flagged, SANCTIONS)):
        term = np.where(rng.random(len(who)) < 0.5, 1, 2)
        text = np.asarray(texts)[rng.integers(0, 3 if kind == "3" else len(texts), len(who))]
        if kind == "3":
            text = np.where(severe[who], SANCTIONS[3], text)
        extra.append(
            pupils[who]
            .select("student_id", "school_code")
            .with_columns(
                pl.Series("term", term.astype(np.int64), dtype=pl.Int64),
                pl.lit(kind).alias("record_type"),
                pl.lit(None, pl.String).alias("rating"),
                pl.Series("description", text.astype(str), dtype=pl.String),
                _dates(_term_days(rng, year, term)).alias("record_date"),
            )
        )
    rows = pl.concat([ratings, *extra])
    rows = _with_ids(rows, year, "C", ["school_code", "student_id", "term", "record_type"], "record_id")
    return rows.select(
        "record_id", "student_id", "school_code", pl.lit(year, pl.Int64).alias("school_year"), "term",
        "record_type", "rating", "description", "record_date",
    )  # fmt: skip


def literacy(pupils: pl.DataFrame, seed: int, district_index: int, year: int) -> pl.DataFrame:
    """The ``info_literacy`` of one district and school year: grades 4 and 8, four scores each.

    A pupil's literacy factor is 0.6 x academic ability plus 0.8 x noise (standardised); each
    dimension loads on it as :data:`LITERACY_DIMENSIONS` says. One assessment day per school in May.
    """
    rng = stream(seed, "quality-literacy", district_index, year)
    assessed = pupils.filter(pl.col("grade").is_in(list(LITERACY_GRADES)))
    n = assessed.height
    factor = 0.6 * assessed.get_column("ability").to_numpy() + 0.8 * rng.normal(0, 1, n)
    schools = assessed.select("school_code").unique(maintain_order=True)
    days = schools.with_columns(
        _dates(date_days(year + 1, 5, 6) + rng.integers(0, 25, schools.height)).alias("assessed_on")
    )
    parts = []
    for code, (mean, sd, load) in LITERACY_DIMENSIONS.items():
        z = load * factor + np.sqrt(1 - load * load) * rng.normal(0, 1, n)
        score = np.clip(np.round((mean + sd * z) * 2) / 2, 0, 100)
        parts.append(
            assessed.select("student_id", "school_code").with_columns(
                pl.lit(code).alias("dimension"), pl.Series("score", score, dtype=pl.Float64)
            )
        )
    rows = pl.concat(parts).join(days, on="school_code", how="left").sort("school_code", "student_id", "dimension")
    return rows.select(
        "student_id", "school_code", pl.lit(year, pl.Int64).alias("school_year"), "dimension", "score", "assessed_on"
    )


def portfolio(staff: pl.DataFrame, seed: int, district_index: int, year: int) -> pl.DataFrame:
    """The ``teacher_portfolio`` of one district and school year: 2-8 records per teacher.

    Every teacher has the year's 师德 record (年度师德考核, school level, early July); the others are
    teaching, research and service records in the shares of :data:`PORTFOLIO`, more of them for
    teachers with a senior title.
    """
    rng = stream(seed, "quality-portfolio", district_index, year)
    n = staff.height
    senior = (
        staff.get_column("title").is_in(SENIOR_TITLES).to_numpy() if "title" in staff.columns else np.zeros(n, bool)
    )
    extra = 1 + rng.binomial(PORTFOLIO_EXTRA[0], np.where(senior, PORTFOLIO_EXTRA[1] + 0.08, PORTFOLIO_EXTRA[1]))
    base = staff.select("teacher_id", pl.col("school").alias("school_code"))
    ethics = base.with_columns(
        pl.lit("1").alias("category"),
        pl.Series("title", np.where(rng.random(n) < 0.3, "年度师德考核：优秀", "年度师德考核：合格"), dtype=pl.String),
        pl.lit("60").alias("level"),
        _dates(date_days(year + 1, 7, 3) + rng.integers(0, 5, n)).alias("record_date"),
        pl.lit(None, pl.Float64).alias("hours"),
    )
    who = np.repeat(np.arange(n), extra)
    m = len(who)
    category = _choose(rng, {k: v[0] for k, v in PORTFOLIO.items()}, m)
    title = np.empty(m, dtype=object)
    level = np.empty(m, dtype=object)
    hours = np.zeros(m)
    for code, (_, stems, levels, (low, high)) in PORTFOLIO.items():
        at = np.flatnonzero(category == code)
        title[at] = _pick(rng, stems, len(at))
        level[at] = _choose(rng, levels, len(at))
        hours[at] = np.round(low + (high - low) * rng.beta(1.5, 3.0, len(at)))
    prefix = (
        np.vectorize(lambda code: {"60": "校级", "43": "区级", "51": "区级", "31": "市级", "10": "国家级"}[code])(
            level.astype(str)
        )
        if m
        else np.zeros(0, dtype=str)
    )
    records = base[who].with_columns(
        pl.Series("category", category, dtype=pl.String),
        pl.Series("title", np.char.add(prefix.astype(str), title.astype(str)), dtype=pl.String),
        pl.Series("level", level.astype(str), dtype=pl.String),
        _dates(date_days(year, 9, 5) + rng.integers(0, 300, m)).alias("record_date"),
        pl.Series("hours", hours, dtype=pl.Float64),
    )
    rows = pl.concat([ethics, records])
    rows = _with_ids(rows, year, "P", ["school_code", "teacher_id", "category", "record_date", "title"], "record_id")
    return rows.select(
        "record_id", "teacher_id", "school_code", pl.lit(year, pl.Int64).alias("school_year"), "category", "title",
        "level", "record_date", "hours",
    )  # fmt: skip


def quality_tables(
    students: pl.DataFrame, staff: pl.DataFrame, seed: int, district_index: int, year: int
) -> dict[str, pl.DataFrame]:
    """The five datasets of one district and school year, in catalog columns.

    Args:
        students: The year's roster (the generator's student frame: ``student_id``, ``school``, ``grade``
            index, ``ability``, ``fit``).
        staff: The year's staff (``teacher_id``, ``school``, ``title``).
        seed: Run seed.
        district_index: District position (random streams).
        year: School year.
    """
    pupils = _pupils(students, seed)
    district_name = districts()[district_index].name_zh
    return {
        "student_activities": activities(pupils, seed, district_index, year),
        "student_awards": awards(pupils, district_name, seed, district_index, year),
        "student_conduct": conduct(pupils, seed, district_index, year),
        "info_literacy": literacy(pupils, seed, district_index, year),
        "teacher_portfolio": portfolio(staff, seed, district_index, year),
    }


__all__ = ["quality_tables", "traits"]
