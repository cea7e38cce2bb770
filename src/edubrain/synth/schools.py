"""The city's schools: counts per district, types, stages, names, codes and planned places."""

from __future__ import annotations

import numpy as np
import polars as pl

from edubrain.synth.config import TARGET_SCHOOLS, SynthConfig
from edubrain.synth.facts import District, districts, expected_grade_size
from edubrain.synth.rng import stream

TYPE_MIX: dict[str, float] = {"211": 0.60, "311": 0.13, "341": 0.15, "342": 0.04, "312": 0.06, "345": 0.02}
"""Share of each school type (JY/T 1001 办学类型), after the 2007 mix (1,235 primary, 300 junior,
262 complete, 66 senior, 61 nine-year schools) shifted toward the through-schools of recent years."""

STAGES: dict[str, tuple[bool, bool, bool]] = {
    "211": (True, False, False),
    "312": (True, True, False),
    "345": (True, True, True),
    "311": (False, True, False),
    "341": (False, True, True),
    "342": (False, False, True),
}
"""School type -> (offers primary, junior, senior)."""

_KIND = {"211": "小学", "312": "学校", "345": "实验学校", "311": "中学", "341": "中学", "342": "高级中学"}
_PLACES = list("东西南北") + [
    "育才",
    "光明",
    "和平",
    "朝阳",
    "育英",
    "实验",
    "新华",
    "红星",
    "团结",
    "民族",
    "立新",
    "文汇",
]
_STREETS = ["长安", "建国", "复兴", "学院", "中关村", "望京", "丰台", "京顺", "广渠", "西直门", "安定", "阜成"]
_CN_DIGITS = "零一二三四五六七八九"
ZONE_QUALITY = {"core": 0.25, "urban": 0.1, "sub-centre": 0.0, "suburban": -0.05, "ecological": -0.15}
"""Mean school effect on exam scores by functional zone (standard-deviation units): a structure to find."""


def chinese_number(n: int) -> str:
    """1-999 in Chinese numerals (十二, 二十, 一百零五)."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = _CN_DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        out += "十" if tens == 1 and not hundreds else _CN_DIGITS[tens] + "十"
    elif hundreds and ones:
        out += "零"
    return out + (_CN_DIGITS[ones] if ones else "")


def school_counts(scale: float) -> dict[str, int]:
    """Schools per district: share of pupils to the power 0.8, so outer districts have more, smaller schools."""
    weights = np.array([d.student_share**0.8 for d in districts()])
    raw = TARGET_SCHOOLS * scale * weights / weights.sum()
    return {d.code: max(2, round(float(r))) for d, r in zip(districts(), raw, strict=True)}


def _types(n: int, rng: np.random.Generator) -> list[str]:
    """School types for a district with ``n`` schools; every stage is offered at least once."""
    if n == 2:
        return ["211", "341"]
    kinds = list(TYPE_MIX)
    exact = np.array([TYPE_MIX[k] for k in kinds]) * n
    counts = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - counts))[: n - counts.sum()]:
        counts[i] += 1
    types = [k for k, c in zip(kinds, counts, strict=True) for _ in range(c)]
    for stage in range(3):
        if not any(STAGES[t][stage] for t in types):
            types[types.index("211") if stage else -1] = "341" if stage else "211"
    return [types[i] for i in rng.permutation(len(types))]


def _names(district: District, types: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for t in types:
        kind = _KIND[t]
        seen[kind] = seen.get(kind, 0) + 1
        k = seen[kind]
        place = _PLACES[k - 1] if k <= len(_PLACES) else f"第{chinese_number(k - len(_PLACES))}"
        out.append(f"北京市{district.name_zh}{place}{kind}")
    return out


def district_schools(config: SynthConfig, district: District, count: int) -> pl.DataFrame:
    """The schools of one district, with the model's hidden attributes (weights, quality, file format)."""
    rng = stream(config.seed, "schools", district.index)
    types = _types(count, rng)
    n = len(types)
    stages = np.array([STAGES[t] for t in types])
    fmt = rng.random(n)
    mix = config.formats
    public = rng.random(n) < 0.92
    return pl.DataFrame(
        {
            "school_code": [f"{district.code}{i + 1:04d}" for i in range(n)],
            "name": _names(district, types),
            "district_code": district.code,
            "school_type": types,
            "is_public": public,
            "address": [
                f"北京市{district.name_zh}{_STREETS[i % len(_STREETS)]}路{rng.integers(1, 300)}号" for i in range(n)
            ],
            "founded_year": np.where(public, rng.integers(1905, 2016, n), rng.integers(1993, 2021, n)),
            "has_primary": stages[:, 0],
            "has_junior": stages[:, 1],
            "has_senior": stages[:, 2],
            "weight": rng.lognormal(0.0, 0.45, n),
            "quality": rng.normal(ZONE_QUALITY[district.zone], 0.4, n),
            "format": np.select(
                [fmt < mix.xlsx, fmt < mix.xlsx + mix.gbk_csv, fmt < mix.xlsx + mix.gbk_csv + mix.utf8_chinese],
                ["xlsx", "gbk", "utf8-bom"],
                "utf8",
            ),
            "district_index": district.index,
        }
    )


def planned_places(config: SynthConfig, schools: pl.DataFrame, district: District) -> pl.DataFrame:
    """Add planned places per stage: expected enrolment of the last year times 1.0-1.35, in whole classes of 45."""
    rng = stream(config.seed, "places", district.index)
    out = schools
    for grades, col in ((range(0, 6), "primary"), (range(6, 9), "junior"), (range(9, 12), "senior")):
        offers = schools.get_column(f"has_{col}").to_numpy()
        weights = schools.get_column("weight").to_numpy() * offers
        total = sum(expected_grade_size(config.end_year, g, config.rates, config.scale) for g in grades)
        expected = total * district.student_share * weights / max(weights.sum(), 1e-9)
        places = np.round(expected * rng.uniform(1.0, 1.35, len(weights)) / 45) * 45
        places = np.where(offers, np.maximum(places, 45), 0).astype(np.int64)
        out = out.with_columns(pl.Series(f"planned_places_{col}", places))
    return out


def city_schools(config: SynthConfig) -> pl.DataFrame:
    """All schools of the city, district by district."""
    counts = school_counts(config.scale)
    frames = []
    for d in districts():
        frames.append(planned_places(config, district_schools(config, d, counts[d.code]), d))
    return pl.concat(frames)
