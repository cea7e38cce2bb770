"""Demo accounts, one per role, on a loaded synthetic city: ``python -m edubrain.synth.demo``.

Used by ``make demo``. The accounts live in the demo school (and its
district): the school of the example files, ``examples/*_1101080001*``, when
it holds students, so that its clerk (``demo_school_admin``) can play the
correction loop with ``examples/students_1101080001_errors.csv`` (upload,
see the marked cells, fix, resubmit, see a new version); else the first
school that holds students. The teacher gets that school's first class,
the student and the parent its first pupil. Picking the pupil is a read of
personal data, so it goes through the read path with a purpose (audited).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from edubrain.governance import identity, policy
from edubrain.governance.readpath import read_dataset
from edubrain.governance.tokens import create_api_key
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.orgs import CITY_CODE, resolve_organisation

DEMO_PASSWORD_ENV = "EDUBRAIN_DEMO_PASSWORD"
DEFAULT_PASSWORD = "edubrain-demo-2026"
EXAMPLE_SCHOOL = "1101080001"
"""The school of the files in ``examples/`` (海淀区, the first school of its district in a synthetic city)."""


@dataclass(frozen=True)
class DemoAccount:
    """A demo login: username, role and organisation (the node role gets an API key instead)."""

    username: str
    role: str
    org_code: str
    secret: str


def demo_school(home: Home) -> tuple[str, str]:
    """The demo school and its district: :data:`EXAMPLE_SCHOOL` if it has students, else the first that has."""
    schools = home.lake.read(home.catalog.dataset("schools"), columns=["school_code", "district_code"]).sort_by(
        "school_code"
    )
    with_students = set(home.lake.read(home.catalog.dataset("students"), columns=["school_code"]).column(0).to_pylist())
    found = [
        (code, district)
        for code, district in zip(*(schools.column(i).to_pylist() for i in range(2)), strict=True)
        if code in with_students
    ]
    if not found:
        raise SystemExit("no school with students: load a synthetic city first (make demo)")
    return next((pair for pair in found if pair[0] == EXAMPLE_SCHOOL), found[0])


def create_demo_accounts(home: Home, password: str) -> list[DemoAccount]:
    """Create one account per role (an API key for ``node``); returns them in role order."""
    school, district = demo_school(home)
    orgs = {"city": CITY_CODE, "district": district, "school": school, "class": school, "self": school}
    orgs.update({"children": school, "none": CITY_CODE, "organisation": district})
    accounts: list[DemoAccount] = []
    with session_scope(home.engine) as session, home.key_index() as index:
        resolve_organisation(session, index, school)  # a home loaded before schools entered the tree on commit
        admin = identity.add_user(session, "demo_school_admin", password, school)
        identity.grant(session, admin.username, "school_admin", school)
    principal = _principal(home, "demo_school_admin")
    first = read_dataset(home, principal, "students", limit=1, purpose="enrollment_management")
    pupil, klass = first.table.column("student_id")[0].as_py(), first.table.column("class_id")[0].as_py()
    refs = {"class": [klass], "self": [pupil], "children": [pupil]}
    for role in policy.roles().values():
        org = orgs[role.scope]
        if role.id == "node":
            with session_scope(home.engine) as session:
                _, secret = create_api_key(session, "demo-node", org)
            accounts.append(DemoAccount("(API key)", role.id, org, secret))
            continue
        username = f"demo_{role.id}"
        if role.id != "school_admin":
            with session_scope(home.engine) as session:
                identity.add_user(session, username, password, org)
                identity.grant(session, username, role.id, org, refs.get(role.scope))
        accounts.append(DemoAccount(username, role.id, org, password))
    return accounts


def _principal(home: Home, username: str) -> identity.Principal:
    with session_scope(home.engine) as session:
        return identity.principal_of(session, identity.get_user(session, username))


def main() -> None:
    """Create the demo accounts and print them as a table."""
    password = os.environ.get(DEMO_PASSWORD_ENV, DEFAULT_PASSWORD)
    home = Home()
    home.ensure_initialised()
    accounts = create_demo_accounts(home, password)
    print("\n演示账户 / demo accounts (http://127.0.0.1:8000/login):")
    for a in accounts:
        r = policy.role(a.role)
        print(f"  {a.username:<24} {a.secret:<22} {r.title_zh}（{r.title_en}） @ {a.org_code}")
    from edubrain.synth.learning_records import write_demo_class  # adaptive learning: the teacher's class answers

    klass, answers = write_demo_class(home)
    print(f"\n学习记录 / learning records: {answers} 条作答写入班级 {klass}（/learning/mastery, /learning/me）")
    from edubrain.synth.credit_bank import write_demo_credit_bank  # the credit bank: accounts, deposits, decisions

    print(f"\n学分银行 / credit bank: {write_demo_credit_bank(home)} 项学习成果（/credit-bank, /credit-bank/queue）")
    clerk = next(a for a in accounts if a.role == "school_admin")
    if clerk.org_code == EXAMPLE_SCHOOL:
        print(
            f"\n纠错演示 / correction loop: 以 {clerk.username} 登录 /submit，上传 examples/students_{EXAMPLE_SCHOOL}_errors.csv，"
            "按报告改正后再次上传 / log in, upload it, fix what the report marks, upload again (docs/web.md)"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
