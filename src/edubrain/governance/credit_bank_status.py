"""The credit bank's Bitstring Status Lists: an entry for each issued credential, revocation flips its bit.

W3C "Bitstring Status List v1.0" (2025): each list holds 131,072 bits; a new credential gets a **random** free
index of the newest list with room (the order of issuance is not readable from the index), and a new list is
opened when one is full. The list credential (``BitstringStatusListCredential``) is signed by the platform's issuer
key with ``eddsa-rdfc-2022`` when the list is opened and again whenever a bit flips, and kept in
``credit_bank_status_lists.credential``; the public route ``/credentials/status/<list>`` serves it as stored. It
carries no personal data: a list id, the issuer's ``did:key`` and 16 KiB of bits.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from edubrain.credentials import eddsa_rdfc
from edubrain.credentials.status_list import MIN_BITS, BitstringStatusList
from edubrain.credentials.status_list import status_list_credential as unsigned_list
from edubrain.governance.credit_bank_keys import issuer_key
from edubrain.governance.credit_bank_models import CreditBankCredential, CreditBankStatusList
from edubrain.home import Home
from edubrain.store.db import session_scope

PURPOSE = "revocation"
STATUS_PATH = "/credentials/status/"


def list_url(home: Home, list_id: str) -> str:
    """The public URL of status list ``list_id`` (under ``EDUBRAIN_PUBLIC_URL``)."""
    return home.settings.public_url.rstrip("/") + STATUS_PATH + list_id


def sign_list(home: Home, session: Session, row: CreditBankStatusList) -> None:
    """Sign the list's current bits (the revoked credentials' indices) into ``row.credential``."""
    revoked = session.scalars(
        select(CreditBankCredential.status_index).where(
            CreditBankCredential.status_list_id == row.id, CreditBankCredential.revoked_at.is_not(None)
        )
    ).all()
    bits = BitstringStatusList(row.size, row.purpose)
    if revoked:
        bits.set(np.asarray(revoked, dtype=np.int64))
    key = issuer_key(home)
    now = eddsa_rdfc.now_xsd()
    document = unsigned_list(list_url(home, row.id), key.did, bits, now)
    signed = eddsa_rdfc.add_proof(document, key.private_key, key.verification_method, created=now)
    row.credential = json.dumps(signed, ensure_ascii=False, sort_keys=True)
    row.issuer = key.did
    row.updated_at = dt.datetime.now(dt.UTC)
    session.flush()


def allocate(home: Home, session: Session) -> tuple[str, str, int]:
    """A free entry for a new credential: (list id, list URL, random free index); opens a list when needed."""
    lists = session.execute(
        select(CreditBankStatusList.id, CreditBankStatusList.size, func.count(CreditBankCredential.id))
        .outerjoin(CreditBankCredential, CreditBankCredential.status_list_id == CreditBankStatusList.id)
        .where(CreditBankStatusList.purpose == PURPOSE)
        .group_by(CreditBankStatusList.id, CreditBankStatusList.size, CreditBankStatusList.created_at)
        .order_by(CreditBankStatusList.created_at.desc())
    ).all()
    open_list = next(((i, s) for i, s, used in lists if used < s), None)
    if open_list is None:
        row = CreditBankStatusList(id=uuid.uuid4().hex, purpose=PURPOSE, size=MIN_BITS, issuer="")
        session.add(row)
        session.flush()
        sign_list(home, session, row)
        open_list = (row.id, row.size)
    list_id, size = open_list
    used = np.asarray(session.scalars(
        select(CreditBankCredential.status_index).where(CreditBankCredential.status_list_id == list_id)
    ).all(), dtype=np.int64)  # fmt: skip
    free = np.setdiff1d(np.arange(size, dtype=np.int64), used, assume_unique=True)
    index = int(free[secrets.randbelow(free.size)])
    return list_id, list_url(home, list_id), index


def status_list_credential(home: Home, list_id: str) -> dict[str, Any] | None:
    """The signed ``BitstringStatusListCredential`` of ``list_id`` (public), or None when there is no such list."""
    if not isinstance(list_id, str) or len(list_id) > 64:
        return None
    with session_scope(home.engine) as session:
        row = session.get(CreditBankStatusList, list_id)
        if row is None or row.credential is None:
            return None
        found: dict[str, Any] = json.loads(row.credential)
        return found
