"""The credit bank's demo data: accounts, deposits and decisions made through the governed facade."""

from __future__ import annotations

from edubrain.credit_bank import service as bank
from edubrain.governance import identity
from edubrain.store.db import session_scope
from edubrain.synth.credit_bank import write_demo_credit_bank
from tests.api.conftest import PASSWORD
from tests.credit_bank.bank import Bank


def test_demo_credit_bank_deposits_decides_and_shows_progress(bank_city: Bank) -> None:
    home = bank_city.home
    with session_scope(home.engine) as session:
        identity.add_user(session, "demo_learner", PASSWORD, "110000")
        identity.grant(session, "demo_learner", "learner", "110000", [])
    assert write_demo_credit_bank(home, reviewer="rev", admin="city") == 5
    with session_scope(home.engine) as session:
        me = identity.principal_of(session, identity.get_user(session, "demo_learner"))
    states = sorted(d.state for d in bank.my_deposits(home, me))
    assert states == ["deposited", "recognised", "recognised"]
    progress = bank.progress(home, me)
    assert progress is not None and progress["total"] == 7.0
    queue = bank.queue(home, bank_city.principals["rev"], None)
    adults = [d for d in queue if d.title == "社区护理实务"]
    assert sorted(d.state for d in adults) == ["partial", "recognised"]  # 32 non-formal credits meet the 30 cap
