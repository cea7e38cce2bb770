"""Synthetic credit-bank data for ``make demo``: a few learners, their deposits and one institution's decisions.

The demo's ``credit_reviewer`` (``demo_credit_reviewer``) reviews for the city organisation, the demo's authorised
institution; the demo's ``learner`` (``demo_learner``) gets an account with a recognised course, a certificate
converted by the table and one outcome awaiting recognition; two adult learners without a login or a K-12 record
get outcomes deposited for them by the institution. Every step goes through the governed facade (audited as the
demo users), so the pages show real decisions with the rule engine's explanations and real signed credentials.
"""

from __future__ import annotations

import datetime as dt

from edubrain.credit_bank import service as bank
from edubrain.governance import identity
from edubrain.home import Home
from edubrain.store.db import session_scope

COURSE = {"kind": "course", "formality": "non_formal", "setting": "out_of_school", "completed_on": "2025-06-30"}
OUTCOMES = [
    ({**COURSE, "title": "数据分析基础", "provider": "市社区学院", "credits": 4, "code": "DA101", "category": "major"}, "recognise"),
    ({"kind": "certificate", "formality": "non_formal", "setting": "out_of_school", "title": "全国计算机等级考试一级",
      "provider": "教育部教育考试院", "credits": 0, "code": "CN-NCRE-1", "completed_on": "2025-03-01"}, "recognise"),
    ({**COURSE, "title": "大学英语（一）", "provider": "市开放大学", "credits": 4, "code": "EN101", "category": "general",
      "formality": "formal", "completed_on": "2025-01-15"}, None),
]  # fmt: skip
ADULTS = [("成人学习者甲", 32), ("成人学习者乙", 6)]
"""Adults without a K-12 record: name and credits of a non-formal course the institution deposits for them."""


def _principal(home: Home, username: str) -> identity.Principal:
    with session_scope(home.engine) as session:
        return identity.principal_of(session, identity.get_user(session, username))


def write_demo_credit_bank(home: Home, learner: str = "demo_learner", reviewer: str = "demo_credit_reviewer",
                           admin: str = "demo_city_admin") -> int:  # fmt: skip
    """Open the accounts, deposit and decide (see the module docstring); returns the number of deposits."""
    city, rev, me = (_principal(home, u) for u in (admin, reviewer, learner))
    institution = sorted(bank.institutions_of(rev))[0]
    bank.open_account(home, city, "演示学习者", username=learner)
    count = 0
    for fields, action in OUTCOMES:
        made = bank.deposit(home, me, institution, fields)
        if action:
            bank.decide(home, rev, made.id, action)
        count += 1
    for name, credits in ADULTS:
        account = bank.open_account(home, city, name)
        made = bank.deposit(home, rev, institution, {**COURSE, "title": "社区护理实务", "provider": "区社区学院",
                                                     "credits": credits, "code": f"CN-{credits}", "category": "elective",
                                                     "completed_on": (dt.date(2025, 5, 20)).isoformat()}, account.id)  # fmt: skip
        bank.decide(home, rev, made.id, "recognise")
        count += 1
    return count
