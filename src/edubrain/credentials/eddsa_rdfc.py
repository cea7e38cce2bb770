"""The ``eddsa-rdfc-2022`` Data Integrity cryptosuite.

Implements W3C "Data Integrity EdDSA Cryptosuites v1.0" (Recommendation, 2025),
section 3.3 (eddsa-rdfc-2022): transformation by RDF Dataset Canonicalization
(RDFC-1.0, W3C Recommendation 2024; the same algorithm pyld calls URDNA2015),
proof configuration, hashing ``SHA-256(canonical proof config) ‖ SHA-256(canonical
document)``, Ed25519 signing (RFC 8032) and the ``proofValue`` as multibase
base58-btc. The published test vectors of the specification are reproduced byte
for byte in ``tests/credentials/test_eddsa_rdfc_vectors.py``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.resolved_context import ResolvedContext

from edubrain.credentials.errors import CredentialError, UnknownContextError
from edubrain.credentials.loader import document_loader
from edubrain.credentials.multikey import multibase_decode, multibase_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
_PROOF_OPTION_KEYS = ("type", "cryptosuite", "created", "verificationMethod", "proofPurpose")


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@dataclass(frozen=True)
class HashData:
    """The intermediate values of one proof (for audit and for the test vectors).

    Attributes:
        canonical_document: RDFC-1.0 N-Quads of the document without its proof.
        canonical_proof_config: RDFC-1.0 N-Quads of the proof configuration.
        proof_config_hash: SHA-256 of ``canonical_proof_config``.
        document_hash: SHA-256 of ``canonical_document``.
    """

    canonical_document: str
    canonical_proof_config: str
    proof_config_hash: bytes
    document_hash: bytes

    @property
    def combined(self) -> bytes:
        """``proof_config_hash ‖ document_hash``: the 64 bytes that are signed."""
        return self.proof_config_hash + self.document_hash


class _ScopedContextResolver(ContextResolver):  # type: ignore[misc]
    """pyld's context resolver with a cheaper cache key for inline (scoped) context objects.

    pyld keys every inline context, including each type-scoped context of the pinned
    files, by its JSON Canonicalization Scheme form, computed in pure Python on every
    use; that was most of the time of a proof. ``json.dumps`` with sorted keys is an
    equally faithful key for a JSON object and is computed in C. The key of a context object
    that comes back again (a scoped context inside a cached pinned file) is remembered by the
    object's identity; the entry holds the object itself, so its id cannot be reused meanwhile.
    """

    def resolve(self, active_ctx: Any, context: Any, base: Any, cycles: Any = None) -> Any:
        if isinstance(context, Mapping) and "@context" not in context:
            known = _CONTEXT_KEYS.get(id(context))
            if known is not None and known[0] is context:
                key = known[1]
            else:
                key = json.dumps(context, sort_keys=True, default=dict, ensure_ascii=False)
                _CONTEXT_KEYS[id(context)] = (context, key)
            resolved = self._get(key)
            if not resolved:
                resolved = ResolvedContext(context)
                self._cache_resolved_context(key, resolved, "static")
            return [resolved]
        return super().resolve(active_ctx, context, base, cycles)


class _CachingProcessor(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """pyld's processor with type-scoped contexts processed once per process, not once per document.

    pyld caches a processed context by the ``_uuid`` of the active context it was applied to. A type-scoped
    context does not propagate, so pyld first wraps the active context in a fresh clone (``previousContext``
    set) with a new ``_uuid``: the cache never hits and every ``AchievementSubject``, ``Achievement`` and
    ``Profile`` of every credential re-defines its terms. Here that wrapper is made before pyld sees it, with
    the ``_uuid`` of the context it wraps plus ``~np``; it holds exactly that context's mappings, so equal
    keys mean equal contents and the cache hits. A scoped context that sets ``@propagate`` itself, or one given
    by URL, goes through pyld unchanged. ``tests/credentials/test_canonical_cache.py`` checks the N-Quads
    against plain pyld and the W3C vectors.
    """

    def _process_context(
        self,
        active_ctx: dict[str, Any],
        local_ctx: Any,
        options: dict[str, Any],
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        first = local_ctx[0] if isinstance(local_ctx, list) and local_ctx else local_ctx
        if not propagate and not active_ctx.get("previousContext") and isinstance(first, Mapping):
            if "@propagate" not in first and "@context" not in first:
                if "_uuid" not in active_ctx:
                    active_ctx["_uuid"] = str(uuid.uuid4())
                wrapper = self._clone_active_context(active_ctx)
                wrapper["previousContext"] = active_ctx
                wrapper["_uuid"] = active_ctx["_uuid"] + "~np"
                active_ctx = wrapper
        return super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )


class _BoundedCache(dict[Any, Any]):
    """A cache shared by all canonicalisations, emptied when it reaches 512 entries."""

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= 512:
            self.clear()
        super().__setitem__(key, value)


_SHARED_CONTEXTS = _BoundedCache()
_CANONICALISING = threading.Lock()
_CONTEXT_KEYS = _BoundedCache()  # id(context object) -> (the object, its key)


def canonicalize(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, with pinned contexts only.

    Raises:
        UnknownContextError: the document names a context that is not pinned.
        CredentialError: the document is not valid JSON-LD, or a term would be dropped.
    """
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
        "contextResolver": _ScopedContextResolver(_SHARED_CONTEXTS, document_loader),
        "safe": True,
    }
    try:
        with _CANONICALISING:  # pyld's caches (cachetools LRU) are not thread-safe; pure Python holds the GIL anyway
            result: str = _CachingProcessor().normalize(document, options)
    except jsonld.JsonLdError as exc:
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, UnknownContextError):
                raise cause from exc
            cause = getattr(cause, "cause", None) or cause.__cause__ or cause.__context__
        raise CredentialError(
            "文档不是有效的 JSON-LD，或含有上下文未定义的术语，无法规范化。",
            "The document is not valid JSON-LD or uses a term no context defines; it cannot be canonicalised.",
            reason=str(exc)[:300],
        ) from exc
    return result


_PROOF_CONFIGS = _BoundedCache()


def _canonical_proof_config(config: dict[str, Any]) -> str:
    """The canonical form of a proof configuration, remembered by content.

    Every credential of a batch issued in the same second by the same key has the same proof
    configuration, so it is canonicalised once.
    """
    key = json.dumps(config, sort_keys=True, ensure_ascii=False)
    cached = _PROOF_CONFIGS.get(key)
    if cached is None:
        cached = canonicalize(config)
        _PROOF_CONFIGS[key] = cached
    return str(cached)


def proof_config(document: dict[str, Any], options: dict[str, Any], cryptosuite: str = CRYPTOSUITE) -> dict[str, Any]:
    """The proof configuration: the proof options with the document's ``@context``.

    Raises:
        CredentialError: wrong proof type or cryptosuite, or a bad ``created`` date.
    """
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != cryptosuite:
        raise CredentialError(
            f"证明类型必须是 {PROOF_TYPE}，密码套件必须是 {cryptosuite}。",
            f"The proof type must be {PROOF_TYPE} and the cryptosuite {cryptosuite}.",
            type=options.get("type"),
            cryptosuite=options.get("cryptosuite"),
        )
    config = {key: value for key, value in options.items() if key not in ("proofValue", "@context")}
    if "created" in config:
        _check_datetime(config["created"])
    config["@context"] = document.get("@context")
    return config


def hash_data(
    document: dict[str, Any],
    options: dict[str, Any],
    *,
    cryptosuite: str = CRYPTOSUITE,
    digest: Callable[[bytes], bytes] = _sha256,
) -> HashData:
    """Transform and hash a document and its proof options (spec sections 3.3.1 to 3.3.4).

    Args:
        document: The document (its ``proof``, if any, is left out).
        options: The proof options.
        cryptosuite: The cryptosuite the options must name.
        digest: The hash function; SHA-256 for ``eddsa-rdfc-2022``.
    """
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    canonical_config = _canonical_proof_config(proof_config(unsecured, options, cryptosuite))
    canonical_document = canonicalize(unsecured)
    return HashData(
        canonical_document=canonical_document,
        canonical_proof_config=canonical_config,
        proof_config_hash=digest(canonical_config.encode("utf-8")),
        document_hash=digest(canonical_document.encode("utf-8")),
    )


def now_xsd() -> str:
    """The current UTC time as an XML Schema dateTime with seconds (``2026-01-01T00:00:00Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_proof(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    *,
    created: str | None = None,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of ``document`` secured with an ``eddsa-rdfc-2022`` proof.

    Args:
        document: The unsecured credential (JSON-LD, pinned contexts only).
        private_key: The issuer's Ed25519 key.
        verification_method: The URL of the matching public key (e.g. a ``did:key`` URL).
        created: The proof's ``created`` dateTime; now (UTC) when omitted.
        proof_purpose: The proof purpose, ``assertionMethod`` for credentials.
    """
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created or now_xsd(),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(hash_data(document, options).combined)
    secured = {key: value for key, value in document.items() if key != "proof"}
    secured["proof"] = {**options, "proofValue": multibase_encode(signature)}
    return secured


def verify_proof(document: dict[str, Any], public_key: Ed25519PublicKey) -> bool:
    """Whether the document's ``eddsa-rdfc-2022`` proof verifies with ``public_key``.

    Raises:
        CredentialError: there is no single proof of this cryptosuite, or it is malformed.
    """
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise CredentialError(
            "凭证没有（单个）证明对象。",
            "The credential has no (single) proof object.",
        )
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    signature = multibase_decode(str(proof.get("proofValue", "")))
    if len(signature) != 64:
        return False
    try:
        public_key.verify(signature, hash_data(document, options).combined)
    except InvalidSignature:
        return False
    return True


def proof_options_of(document: dict[str, Any]) -> dict[str, Any]:
    """The proof options of a secured document (its proof without ``proofValue``)."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return {}
    return {key: proof[key] for key in _PROOF_OPTION_KEYS if key in proof}


def _check_datetime(value: Any) -> None:
    try:
        datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise CredentialError(
            "证明的 created 必须是 XML Schema dateTime，例如 2026-01-01T00:00:00Z。",
            "The proof's created must be an XML Schema dateTime, e.g. 2026-01-01T00:00:00Z.",
            created=str(value)[:40],
        ) from exc
