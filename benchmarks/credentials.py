"""Benchmark: issuing and verifying Open Badges 3.0 credentials (issue 17).

Builds ``--count`` synthetic ``OpenBadgeCredential``s (pseudonymous learners, one did:key issuer), then times, in
one process and one thread: securing each with an ``eddsa-rdfc-2022`` proof, verifying each (``verify``: pinned
contexts, shape, did:key, signature, validity), issuing each as a VC-JWT (EdDSA) and verifying each. Prints one
JSON object with credentials per second for each step and the 1-minute load average. ``--stock-pyld`` also times
issuing with pyld's own ``JsonLdProcessor`` in place of ``eddsa_rdfc._CachingProcessor`` (the code before the
processed-context cache), interleaved with the cached runs, and checks both give the same proofs. Run::

    .venv/bin/python benchmarks/credentials.py --count 500
    .venv/bin/python benchmarks/credentials.py --count 500 --stock-pyld
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld

from edubrain.credentials import eddsa_rdfc, vcjwt
from edubrain.credentials.multikey import did_key, did_key_verification_method
from edubrain.credentials.openbadges import Achievement, IssuerProfile, open_badge
from edubrain.credentials.verify import verify

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def badges(count: int, issuer: IssuerProfile) -> list[dict[str, Any]]:
    achievement = Achievement(
        id="https://edubrain.example/achievements/fitness-excellent",
        name="国家学生体质健康标准 优秀",
        description="学年体质健康测试总分达到优秀等级。",
        criteria="总分不低于 90 分。",
        achievement_type="Award",
    )
    out = []
    for i in range(count):
        pseudonym = "P" + base64.b32encode(hashlib.sha256(str(i).encode()).digest()).decode()[:20]
        out.append(
            open_badge(issuer, achievement, pseudonym, "2026-09-01T00:00:00Z", credential_id=f"urn:uuid:{i:032x}")
        )
    return out


def rate(items: list[Any], step: Callable[[Any], Any]) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    results = [step(item) for item in items]
    return len(items) / (time.perf_counter() - start), results


def stock_pyld_comparison(unsigned: list[dict[str, Any]], key: Ed25519PrivateKey, method: str) -> dict[str, Any]:
    """Issued per second with pyld's stock processor and with the cached one, three interleaved rounds each."""
    cached_processor = eddsa_rdfc._CachingProcessor
    created = "2026-12-01T00:00:00Z"
    rounds: dict[str, list[float]] = {"stock_pyld": [], "cached": []}
    try:
        for _ in range(3):
            for name, processor in (("stock_pyld", jsonld.JsonLdProcessor), ("cached", cached_processor)):
                eddsa_rdfc._CachingProcessor = processor  # type: ignore[misc]
                per_s, proofs = rate(unsigned, lambda c: eddsa_rdfc.add_proof(c, key, method, created=created))
                rounds[name].append(round(per_s, 1))
                if name == "stock_pyld":
                    stock_proofs = proofs
                else:
                    assert proofs == stock_proofs, "the cached processor changed a proof"
    finally:
        eddsa_rdfc._CachingProcessor = cached_processor  # type: ignore[misc]
    return {"issued_per_s_by_round": rounds, "same_proofs": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--stock-pyld", action="store_true", help="also time pyld's stock processor (before)")
    args = parser.parse_args()
    key = Ed25519PrivateKey.generate()
    method = did_key_verification_method(key.public_key())
    unsigned = badges(args.count, IssuerProfile(id=did_key(key.public_key()), name="北京市示例区教育委员会"))
    eddsa_rdfc.add_proof(unsigned[0], key, method)  # warm the context cache
    issue_di, secured = rate(unsigned, lambda c: eddsa_rdfc.add_proof(c, key, method))
    verify_di, results = rate(secured, lambda c: verify(c, now=NOW))
    issue_jwt, tokens = rate(unsigned, lambda c: vcjwt.issue_jwt(c, key, method))
    verify_jwt, jwt_results = rate(tokens, lambda t: verify(t, now=NOW))
    assert all(r.valid for r in results) and all(r.valid for r in jwt_results)
    out: dict[str, Any] = {
        "credentials": args.count,
        "eddsa_rdfc_2022": {"issued_per_s": round(issue_di, 1), "verified_per_s": round(verify_di, 1)},
        "vc_jwt_eddsa": {"issued_per_s": round(issue_jwt, 1), "verified_per_s": round(verify_jwt, 1)},
    }
    if args.stock_pyld:
        out["eddsa_rdfc_2022_stock_vs_cached"] = stock_pyld_comparison(unsigned, key, method)
    out["load_average_1min"] = os.getloadavg()[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
