from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from edubrain.credentials import eddsa_rdfc
from edubrain.credentials.errors import UnknownContextError
from edubrain.credentials.loader import OB_V3P0, VC_V2, document_loader, manifest


def test_every_pinned_context_matches_its_manifest_digest() -> None:
    assert {VC_V2, OB_V3P0} <= set(manifest())
    for pinned in manifest().values():
        data = resources.files("edubrain.credentials").joinpath("contexts", pinned.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == pinned.sha256
        assert document_loader(pinned.url)["document"]["@context"]


def test_unknown_context_url_is_refused_offline_in_both_languages() -> None:
    with pytest.raises(UnknownContextError) as caught:
        document_loader("https://attacker.example/context.jsonld")
    assert "未内置" in caught.value.zh and "not pinned" in caught.value.en
    assert caught.value.details["url"] == "https://attacker.example/context.jsonld"


def test_canonicalising_a_document_with_an_unknown_context_raises_the_offline_error() -> None:
    document = {"@context": [VC_V2, "https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"]}
    with pytest.raises(UnknownContextError):
        eddsa_rdfc.canonicalize(document)
