"""The credit bank's published status lists: ``status_list_credential(home, list_id)``.

The public route ``GET /credentials/status/{list_id}`` and the verification page call this; it returns the signed
``BitstringStatusListCredential`` (W3C Bitstring Status List v1.0, ``eddsa-rdfc-2022``) as stored by governance
(:mod:`edubrain.governance.credit_bank_status`), or None for an unknown list. No personal data: a list id, the
issuer's ``did:key`` and the bits.
"""

from __future__ import annotations

from typing import Any

from edubrain.governance.credit_bank_status import status_list_credential as _stored
from edubrain.home import Home


def status_list_credential(home: Home, list_id: str) -> dict[str, Any] | None:
    """The signed status list credential of ``list_id`` (public), or None when there is no such list."""
    return _stored(home, list_id)
