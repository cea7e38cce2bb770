"""The W3C eddsa-rdfc-2022 test vectors, reproduced byte for byte."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from edubrain.credentials import eddsa_rdfc
from edubrain.credentials.multikey import (
    private_key_from_multibase,
    public_key_from_multibase,
    resolve_did_key,
)

VECTORS = Path(__file__).parent / "vectors"
REC = json.loads((VECTORS / "rec" / "published.json").read_text("utf-8"))
KEYS = json.loads((VECTORS / "keyPair.json").read_text("utf-8"))


def _text(*parts: str) -> str:
    return VECTORS.joinpath(*parts).read_text("utf-8")


def test_vector_files_hash_to_their_published_values() -> None:
    assert hashlib.sha256(_text("rec", "canonical-document.nq").encode()).hexdigest() == REC["documentHashHex"]
    assert hashlib.sha256(_text("rec", "canonical-proof-config.nq").encode()).hexdigest() == REC["proofConfigHashHex"]
    repo_canon = _text("w3c-repo", "proofCanonDataInt.txt")
    assert hashlib.sha256(repo_canon.encode()).hexdigest() == _text("w3c-repo", "proofHashDataInt.txt")


def test_example_key_pair_decodes_to_the_published_public_key() -> None:
    public = public_key_from_multibase(KEYS["publicKeyMultibase"])
    private = private_key_from_multibase(KEYS["privateKeyMultibase"])
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert raw.hex() == REC["publicKeyHex"]
    assert private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) == raw


def test_recommendation_vector_is_reproduced_byte_for_byte() -> None:
    document = REC["unsecuredDocument"]
    data = eddsa_rdfc.hash_data(document, REC["proofOptions"])
    assert data.canonical_document == _text("rec", "canonical-document.nq")
    assert data.canonical_proof_config == _text("rec", "canonical-proof-config.nq")
    assert data.document_hash.hex() == REC["documentHashHex"]
    assert data.proof_config_hash.hex() == REC["proofConfigHashHex"]
    private = private_key_from_multibase(KEYS["privateKeyMultibase"])
    options = REC["proofOptions"]
    secured = eddsa_rdfc.add_proof(document, private, options["verificationMethod"], created=options["created"])
    signature = private.sign(data.combined)
    assert signature.hex() == REC["signatureHex"]
    assert secured["proof"]["proofValue"] == REC["proofValue"]
    assert eddsa_rdfc.verify_proof(secured, resolve_did_key(options["verificationMethod"]))


def test_editors_repository_vector_is_reproduced_byte_for_byte() -> None:
    signed = json.loads(_text("w3c-repo", "signedDataInt.json"))
    config = json.loads(_text("w3c-repo", "proofConfigDataInt.json"))
    options = eddsa_rdfc.proof_options_of(signed)
    assert eddsa_rdfc.proof_config(signed, options) == config
    data = eddsa_rdfc.hash_data(signed, options)
    assert data.canonical_proof_config == _text("w3c-repo", "proofCanonDataInt.txt")
    assert data.combined.hex() == _text("w3c-repo", "combinedHashDataInt.txt")
    private = private_key_from_multibase(KEYS["privateKeyMultibase"])
    assert private.sign(data.combined).hex() == _text("w3c-repo", "sigHexDataInt.txt")
    resigned = eddsa_rdfc.add_proof(signed, private, options["verificationMethod"], created=options["created"])
    assert resigned["proof"]["proofValue"] == _text("w3c-repo", "sigBTC58DataInt.txt")
    assert resigned == signed
    public = public_key_from_multibase(KEYS["publicKeyMultibase"])
    assert eddsa_rdfc.verify_proof(signed, public)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "alumniOf"), "The School of Sneaky Edits"),
        (("validFrom",), "2023-01-01T00:00:01Z"),
        (("proof", "created"), "2023-02-24T23:36:39Z"),
    ],
)
def test_published_credential_fails_after_one_field_is_tampered(path: tuple[str, ...], value: str) -> None:
    signed = json.loads(_text("w3c-repo", "signedDataInt.json"))
    public = public_key_from_multibase(KEYS["publicKeyMultibase"])
    tampered = copy.deepcopy(signed)
    target = tampered
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert not eddsa_rdfc.verify_proof(tampered, public)


def test_published_signed_credential_passes_the_full_verifier() -> None:
    from edubrain.credentials.verify import verify

    signed = json.loads(_text("w3c-repo", "signedDataInt.json"))
    method = signed["proof"]["verificationMethod"]  # https://vc.example/issuers/5678#z6Mk..., under the issuer
    public = public_key_from_multibase(KEYS["publicKeyMultibase"])
    result = verify(signed, public_keys={method: public})
    assert result.valid, result.reason_en
    signed["credentialSubject"]["alumniOf"] = "Another School"
    assert not verify(signed, public_keys={method: public}).valid
