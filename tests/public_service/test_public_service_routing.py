"""The offline case router and the masking of case text (pure: no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edubrain.analytics.routing import default_router, evaluate, load_taxonomy, synthetic_corpus, tokens
from edubrain.governance.public_service_sealing import mask_phone, mask_text


def test_public_service_router_held_out_quality_is_measured_and_deterministic() -> None:
    first = evaluate()
    assert first.test_size == 400 and first.accuracy >= 0.9 and first.macro_f1 >= 0.9
    assert min(first.per_category_f1.values()) >= 0.85
    assert evaluate() == first


def test_public_service_router_sends_known_topics_to_their_office_and_odd_text_to_triage() -> None:
    tax = load_taxonomy()
    found = default_router().route(["培训机构老板跑路了，预收的课时费不退", "今天天气怎么样，想问问公交线路"])
    assert found[0].category == "offcampus_training" and found[0].office == tax.categories["offcampus_training"].office
    assert found[1].triage and found[1].office == tax.triage_office


def test_public_service_corpus_is_seeded_and_covers_every_category() -> None:
    texts, labels = synthetic_corpus(per_category=5, seed=3)
    assert (texts, labels) == synthetic_corpus(per_category=5, seed=3)
    assert set(labels) == set(load_taxonomy().categories) and texts != synthetic_corpus(per_category=5, seed=4)[0]
    assert "，" not in tokens("食堂，饭菜。") and "食堂" in tokens("食堂，饭菜。")


@given(st.text(max_size=80), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_public_service_masking_hides_phones_and_is_idempotent(prefix: str, phone: str) -> None:
    once = mask_text(f"{prefix}电话{phone}")
    assert phone not in once and mask_text(once) == once
    assert mask_phone(phone) == phone[:3] + "****" + phone[-4:]
