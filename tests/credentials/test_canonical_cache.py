"""The processed-context cache of ``eddsa_rdfc.canonicalize`` changes nothing but speed.

Every document is canonicalised twice here: by ``canonicalize`` (the cached processor) and by plain
``pyld.jsonld.normalize`` with a fresh resolver and no shared cache. The N-Quads must be identical, for
documents that reuse the same type-scoped contexts again and again and for ones that differ in structure.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from edubrain.credentials import eddsa_rdfc
from edubrain.credentials.loader import OB_V3P0, VC_V2, document_loader

VECTORS = Path(__file__).parent / "vectors"


def reference_nquads(document: dict[str, Any]) -> str:
    """RDFC-1.0 by pyld alone: a new context resolver, nothing cached between calls."""
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
        "contextResolver": ContextResolver({}, document_loader),
        "safe": True,
    }
    return str(jsonld.normalize(copy.deepcopy(document), options))


def _badge(name: str, credits: float, with_result: bool, alignment: bool) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": "https://edubrain.example/achievements/a1",
        "type": ["Achievement"],
        "name": name,
        "description": "学分认定",
        "criteria": {"narrative": "通过考核"},
        "creditsAvailable": credits,
    }
    if alignment:
        achievement["alignment"] = [
            {"type": ["Alignment"], "targetName": "数学", "targetUrl": "https://edubrain.example/t/1"}
        ]
    subject: dict[str, Any] = {
        "id": "urn:edubrain:pseudonym:PABCDEFGHIJKLMNOPQRST",
        "type": ["AchievementSubject"],
        "achievement": achievement,
        "creditsEarned": credits,
    }
    if with_result:
        subject["result"] = [{"type": ["Result"], "value": "A"}]
    return {
        "@context": [VC_V2, OB_V3P0],
        "id": "urn:uuid:00000000-0000-4000-8000-000000000009",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {"id": "https://edubrain.example/issuers/1", "type": ["Profile"], "name": "示例区教委"},
        "validFrom": "2026-09-01T00:00:00Z",
        "credentialSubject": subject,
    }


@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=12),
            st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 1)),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_cached_canonical_form_equals_plain_pyld(documents: list[tuple[str, float, bool, bool]]) -> None:
    for name, credits, with_result, alignment in documents:
        badge = _badge(name, credits, with_result, alignment)
        assert eddsa_rdfc.canonicalize(copy.deepcopy(badge)) == reference_nquads(badge)


def test_recommendation_vector_document_after_many_badges_is_unchanged() -> None:
    for index in range(20):
        eddsa_rdfc.canonicalize(_badge(f"徽章 {index}", index, index % 2 == 0, index % 3 == 0))
    published = json.loads((VECTORS / "rec" / "published.json").read_text("utf-8"))
    expected = (VECTORS / "rec" / "canonical-document.nq").read_text("utf-8")
    assert (
        eddsa_rdfc.canonicalize(published["unsecuredDocument"])
        == expected
        == reference_nquads(published["unsecuredDocument"])
    )


def test_type_scoped_contexts_are_processed_once_not_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    eddsa_rdfc.canonicalize(_badge("徽章", 2.0, True, True))
    defined: list[str] = []
    original = jsonld.JsonLdProcessor._create_term_definition

    def counting(self: Any, active_ctx: Any, local_ctx: Any, term: str, *args: Any, **kwargs: Any) -> Any:
        defined.append(term)
        return original(self, active_ctx, local_ctx, term, *args, **kwargs)

    monkeypatch.setattr(jsonld.JsonLdProcessor, "_create_term_definition", counting)
    reference_nquads(_badge("另一枚", 3.0, True, True))
    assert defined, "the counter must see plain pyld define terms"
    defined.clear()
    for index in range(5):
        eddsa_rdfc.canonicalize(_badge(f"徽章 {index}", 2.0, True, True))
    assert defined == []


def test_threads_canonicalising_at_once_get_the_same_nquads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    badges = [_badge(f"徽章 {index}", index % 5, index % 2 == 0, index % 3 == 0) for index in range(24)]
    expected = [reference_nquads(badge) for badge in badges]
    eddsa_rdfc._SHARED_CONTEXTS.clear()  # start cold, so the threads fill the shared caches together
    eddsa_rdfc._CONTEXT_KEYS.clear()
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(eddsa_rdfc.canonicalize, badges * 4))
    assert got == expected * 4
