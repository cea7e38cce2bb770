"""Fictional Chinese names drawn from surname and given-name character frequencies.

Surnames follow the order and approximate shares of the 公安部户政管理研究中心
national surname ranking (《二〇二〇年全国姓名报告》 top 100, shares approximate);
given-name characters are weighted lists for children born in the 2000s-2010s
and for adults born 1960-2000 (``data/given_chars.csv``; see docs/synth.md).
"""

from __future__ import annotations

import csv
from functools import cache

import numpy as np

from edubrain.synth.facts import DATA


@cache
def _surnames() -> tuple[np.ndarray, np.ndarray]:
    with open(DATA / "surnames.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = np.array([r["surname"] for r in rows])
    weights = np.array([float(r["share_pct"]) for r in rows])
    return names, weights / weights.sum()


@cache
def _given(sex: int, generation: str) -> tuple[np.ndarray, np.ndarray]:
    with open(DATA / "given_chars.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if int(r["sex"]) == sex and r["generation"] == generation]
    chars = np.array([r["char"] for r in rows])
    weights = np.array([float(r["weight"]) for r in rows])
    return chars, weights / weights.sum()


def full_names(rng: np.random.Generator, male: np.ndarray, generation: str = "child") -> np.ndarray:
    """Names for people of the given sexes (``male`` boolean array).

    Args:
        rng: The random stream.
        male: True for men and boys.
        generation: ``child`` (born 2000s-2010s) or ``adult`` (born 1960-2000).
    """
    n = len(male)
    surnames, weights = _surnames()
    out = surnames[rng.choice(len(surnames), n, p=weights)].astype(object)
    single = rng.random(n) < (0.12 if generation == "child" else 0.30)
    for sex, mask in ((1, male), (2, ~male)):
        chars, p = _given(sex, generation)
        idx = np.flatnonzero(mask)
        first = chars[rng.choice(len(chars), len(idx), p=p)]
        second = chars[rng.choice(len(chars), len(idx), p=p)]
        second = np.where(second == first, chars[rng.choice(len(chars), len(idx), p=p)], second)
        given = np.where(single[idx], first, np.char.add(first, second))
        out[idx] = out[idx] + given.astype(object)
    return out.astype(str)
