"""The synthetic labelled corpus the case router is trained and measured on (no real complaints).

Each text is one citizen's message: who writes (a parent, a resident, a student …), where (a district, sometimes a
school), one or two issue phrases of its category, a detail and a request. With probability ``noise`` one phrase of
another category is added as a side remark, so categories overlap as real messages do. Deterministic for a seed.
"""

from __future__ import annotations

import numpy as np

from edubrain.analytics.routing.taxonomy import Taxonomy, load_taxonomy

WHO = ("我是家长，", "本人是辖区居民，", "我家孩子在读三年级，", "我是一名初二学生的母亲，", "作为学生父亲，",
       "市民来电反映：", "来电人称：", "我是孩子的爷爷，", "", "网友留言：")  # fmt: skip
WHERE = ("{district}某小学", "{district}一所中学", "{district}的学校", "孩子就读的学校", "我们小区附近的学校",
         "{district}实验学校", "学校")  # fmt: skip
DETAIL = ("已经持续两个多月了", "多次反映没有结果", "其他家长也有同样的问题", "孩子回家后情绪很差", "打电话没人接",
          "学校说不归他们管", "上周又发生了", "影响孩子正常学习", "", "")  # fmt: skip
ASK = ("希望教委尽快处理。", "请相关部门核实。", "请给个说法。", "盼回复。", "希望加强监管。", "")
DISTRICTS = ("东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区", "通州区",
             "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区")  # fmt: skip


def synthetic_corpus(
    per_category: int = 160, seed: int = 18, noise: float = 0.2, taxonomy: Taxonomy | None = None
) -> tuple[list[str], list[str]]:
    """``per_category`` texts for every category and their labels, in a seeded order.

    Args:
        per_category: Texts per category.
        seed: The random seed (same seed, same corpus).
        noise: Share of texts carrying a side remark from another category.
        taxonomy: Categories and phrases (the packaged one by default).
    """
    tax = taxonomy or load_taxonomy()
    rng = np.random.default_rng(seed)
    ids = sorted(tax.categories)
    texts: list[str] = []
    labels: list[str] = []
    for label in ids:
        phrases = tax.categories[label].phrases
        for _ in range(per_category):
            texts.append(_message(rng, phrases, tax, ids, label, noise))
            labels.append(label)
    order = rng.permutation(len(texts))
    return [texts[i] for i in order], [labels[i] for i in order]


def _message(
    rng: np.random.Generator, phrases: tuple[str, ...], tax: Taxonomy, ids: list[str], label: str, noise: float
) -> str:
    def one(options: tuple[str, ...]) -> str:
        return options[int(rng.integers(len(options)))]

    picked = [one(phrases)]
    if rng.random() < 0.4:
        picked.append(one(phrases))
    if rng.random() < noise:
        other = ids[int(rng.integers(len(ids)))]
        if other != label:
            picked.append("另外" + one(tax.categories[other].phrases))
    where = one(WHERE).format(district=one(DISTRICTS))
    return f"{one(WHO)}{where}{'，'.join(dict.fromkeys(picked))}，{one(DETAIL)}，{one(ASK)}".replace("，，", "，")
