"""A parent whose grant names a merged-away 学籍号 still sees the child's pseudonymised rows, and only those."""

from __future__ import annotations

from edubrain.governance.identity import Grant, Principal
from edubrain.governance.models import IdentityMerge
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.governance.scope import Scope
from edubrain.home import Home
from edubrain.store.db import session_scope

OLD = "G110108201803150011"
NEW = "J110108201803150011"
OTHER = "G110108201803150038"


def _parent(*refs: str) -> Principal:
    return Principal("p1", "家长甲", (Grant("parent", "1101080001", "school", refs),))


def _visible_pseudonyms(home: Home, principal: Principal) -> str:
    return Scope.of(home, principal).row_filter(home.catalog.dataset("student_profiles"))


def test_a_merge_widens_a_parent_to_the_whole_group_and_an_undo_narrows_it_again(home: Home) -> None:
    key = pseudonym_key(home.settings)
    old, new, other = (pseudonym(i, "student", key) for i in (OLD, NEW, OTHER))
    before = _visible_pseudonyms(home, _parent(OLD))
    assert old in before and new not in before and other not in before

    with session_scope(home.engine) as session:
        session.add(IdentityMerge(student_id=OLD, canonical_id=NEW, merged_by="test", reason="重复注册"))
    merged = _visible_pseudonyms(home, _parent(OLD))
    assert old in merged and new in merged and other not in merged
    # the canonical number's parent sees the merged-away record's rows too (one child)
    assert old in _visible_pseudonyms(home, _parent(NEW))

    with session_scope(home.engine) as session:
        row = session.query(IdentityMerge).one()
        row.undone_at = row.merged_at
        row.undone_by = "test"
    undone = _visible_pseudonyms(home, _parent(OLD))
    assert old in undone and new not in undone
