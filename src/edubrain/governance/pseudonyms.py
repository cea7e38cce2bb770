"""Keyed pseudonyms for person identifiers in derived and analytic datasets.

A pseudonym is ``P`` followed by the first 20 characters (100 bits) of the
RFC 4648 base32 encoding of HMAC-SHA256 (RFC 2104) under the platform's
pseudonym key, of the identifier kind, ``|`` and the identifier::

    P + base32(HMAC-SHA256(key, "student|G110108201503151234"))[:20]

The kind separates domains: a student number and a teacher id with the same
text get unrelated pseudonyms. Without the key a pseudonym cannot be
recomputed from a guessed identifier, which a plain hash of an 18-digit
身份证号 would allow. This is de-identification (去标识化) in the sense of
GB/T 35273-2020 and PIPL Art. 73: pseudonymised data is still personal
information (PIPL Art. 4), only harder to attribute.

Every derived dataset records the id of the key it was made with
(:func:`lineage_metadata`); a new key means recomputing the dataset, never
mixing the two (:func:`check_key_id`, ``docs/privacy.md``).

Speed: the two SHA-256 compressions of an HMAC run in C (``hashlib``) once per
distinct identifier, with the padded key blocks prepared once; base32 and the
assembly of the result are numpy/Arrow operations over the whole column.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, cast, get_args

import numpy as np
import polars as pl
import pyarrow as pa
from pydantic import SecretStr

from edubrain.errors import ConfigurationError

IdentifierKind = Literal["student", "teacher", "national_id", "xapi_agent"]
"""What an identifier identifies; part of the HMAC message (domain separation). ``xapi_agent``: an xAPI agent's
inverse functional identifier (``mbox|mailto:…``), see :mod:`edubrain.lrs.agents`."""
IDENTIFIER_KINDS: tuple[str, ...] = get_args(IdentifierKind)

MIN_KEY_CHARS = 32
KEY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
DEVELOPMENT_KEY_ID = "dev"
DEVELOPMENT_KEY_FILE = "pseudonym.key"
LINEAGE_KEY = "edubrain.pseudonym_key_id"
PREFIX = "P"
PSEUDONYM_CHARS = 20
PSEUDONYM_PATTERN = r"^P[A-Z2-7]{20}$"

_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104: B)
_DIGEST = 32
_ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", dtype=np.uint8)
_BITS = np.array([16, 8, 4, 2, 1], dtype=np.uint8)
_UNIQUE_SHARE = 0.7
"""Hash distinct values only (then join back) when they are at most this share of the rows."""


class PseudonymKeyError(ConfigurationError):
    """The pseudonym key is missing, too short or not named, or does not match a dataset's key."""

    code = "pseudonym_key_error"


class PseudonymSettings(Protocol):
    """The settings a pseudonym key is read from (a subset of :class:`edubrain.config.Settings`)."""

    @property
    def env(self) -> str:
        """``development`` or ``production``."""

    @property
    def home(self) -> Path:
        """The EduBrain home (holds the development key file)."""

    @property
    def pseudonym_key(self) -> SecretStr | None:
        """``EDUBRAIN_PSEUDONYM_KEY``."""

    @property
    def pseudonym_key_id(self) -> str | None:
        """``EDUBRAIN_PSEUDONYM_KEY_ID``."""


@dataclass(frozen=True, repr=False)
class PseudonymKey:
    """The HMAC key of the pseudonyms, with its id.

    Attributes:
        key_id: Names the key; stored with every derived dataset.
        secret: The key (UTF-8 text, at least 32 characters).
    """

    key_id: str
    secret: SecretStr

    def __post_init__(self) -> None:
        if len(self.secret.get_secret_value()) < MIN_KEY_CHARS:
            raise PseudonymKeyError(
                f"假名化密钥至少需要 {MIN_KEY_CHARS} 个字符（EDUBRAIN_PSEUDONYM_KEY）",
                f"The pseudonym key needs at least {MIN_KEY_CHARS} characters (EDUBRAIN_PSEUDONYM_KEY)",
            )
        if not re.match(KEY_ID_PATTERN, self.key_id):
            raise PseudonymKeyError(
                f"假名化密钥编号 {self.key_id!r} 无效：须为 1–32 个字母、数字、点、下划线或连字符",
                f"Invalid pseudonym key id {self.key_id!r}: use 1-32 letters, digits, '.', '_' or '-'",
            )

    def __repr__(self) -> str:
        return f"PseudonymKey(key_id={self.key_id!r}, secret=**********)"

    def _pads(self) -> tuple[bytes, bytes]:
        """The inner and outer padded key blocks of RFC 2104 (``K xor ipad``, ``K xor opad``)."""
        key = self.secret.get_secret_value().encode("utf-8")
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def pseudonym_key(settings: PseudonymSettings) -> PseudonymKey:
    """The pseudonym key configured in ``settings``.

    ``EDUBRAIN_PSEUDONYM_KEY`` (at least 32 characters) and
    ``EDUBRAIN_PSEUDONYM_KEY_ID`` name it. In development, with no key set,
    a random key is kept in ``home/pseudonym.key``; with no id set, the id is ``dev``.

    Raises:
        PseudonymKeyError: outside development, the key or its id is missing;
            anywhere, the key is shorter than 32 characters or the id is malformed.
    """
    secret, key_id = settings.pseudonym_key, settings.pseudonym_key_id
    if settings.env == "development":
        key_id = key_id or DEVELOPMENT_KEY_ID
        secret = secret or SecretStr(_development_secret(Path(settings.home)))
    if secret is None or not key_id:
        missing = "EDUBRAIN_PSEUDONYM_KEY" if secret is None else "EDUBRAIN_PSEUDONYM_KEY_ID"
        raise PseudonymKeyError(
            f"{settings.env} 环境必须设置 {missing}，否则不能生成假名",
            f"{missing} must be set in the {settings.env} environment to compute pseudonyms",
        )
    return PseudonymKey(key_id, secret)


def _development_secret(home: Path) -> str:
    path = home / DEVELOPMENT_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def pseudonym(value: str, kind: IdentifierKind, key: PseudonymKey) -> str:
    """The pseudonym of one identifier (the reference definition; see :func:`pseudonymise` for columns).

    The identifier is trimmed and upper-cased first (``x`` and ``X`` check
    characters give the same pseudonym).

    Raises:
        ValueError: an empty identifier (it has no pseudonym) or an unknown kind.

    Example:
        >>> key = PseudonymKey("k2025", SecretStr("an example key of at least 32 chars"))
        >>> len(pseudonym("G110108201503151234", "student", key))
        21
    """
    identifier = value.strip().upper()
    if not identifier:
        raise ValueError("an empty identifier has no pseudonym")
    message = f"{_checked_kind(kind)}|{identifier}".encode()
    digest = hmac.new(key.secret.get_secret_value().encode("utf-8"), message, hashlib.sha256).digest()
    return PREFIX + _b32(digest)


def _b32(digest: bytes) -> str:
    return base64.b32encode(digest).decode("ascii")[:PSEUDONYM_CHARS]


def pseudonymise(values: pl.Series, kind: IdentifierKind, key: PseudonymKey) -> pl.Series:
    """Replace every identifier of a column by its pseudonym (same name, ``String``; nulls stay null).

    Equal to :func:`pseudonym` value by value. Identifiers are trimmed and
    upper-cased; an empty one counts as null. A column with many repeats
    (scores, one row per student and subject) is hashed once per distinct
    identifier.

    Raises:
        ValueError: an unknown identifier kind.
    """
    text = values.cast(pl.String).str.strip_chars().str.to_uppercase()
    text = pl.select(pl.when(text != "").then(text)).to_series().alias(values.name)
    present = text.drop_nulls()
    if present.is_empty():
        return text
    prefix = f"{_checked_kind(kind)}|".encode()
    if cast(int, present.approx_n_unique()) > _UNIQUE_SHARE * len(present):
        hashed = _pseudonyms(text.fill_null(""), prefix, key)
        return hashed.set(text.is_null(), None).alias(values.name)
    distinct = present.unique()
    table = pl.DataFrame({"v": distinct, "p": _pseudonyms(distinct, prefix, key)})
    joined = text.to_frame("v").join(table, on="v", how="left", maintain_order="left", nulls_equal=False)
    return joined.get_column("p").alias(values.name)


def pseudonym_expr(values: pl.Expr, kind: IdentifierKind, key: PseudonymKey) -> pl.Expr:
    """:func:`pseudonymise` as an expression, for lazy pipelines."""
    _checked_kind(kind)
    return values.map_batches(lambda s: pseudonymise(s, kind, key), return_dtype=pl.String)


def pseudonymise_frame(frame: pl.DataFrame, identifiers: dict[str, IdentifierKind], key: PseudonymKey) -> pl.DataFrame:
    """Replace each named identifier column of ``frame`` by its pseudonyms, keeping column order.

    Args:
        frame: Rows of a derived dataset.
        identifiers: Column -> identifier kind, e.g. ``{"student_id": "student"}``.
        key: The pseudonym key; record ``key.key_id`` with the result (:func:`lineage_metadata`).
    """
    return frame.with_columns([pseudonymise(frame.get_column(c), k, key) for c, k in identifiers.items()])


def _pseudonyms(identifiers: pl.Series, prefix: bytes, key: PseudonymKey) -> pl.Series:
    """HMAC-SHA256 of ``prefix + identifier`` for every value (no nulls), as pseudonyms."""
    inner, outer = key._pads()
    inner += prefix
    sha256 = hashlib.sha256
    messages = identifiers.cast(pl.Binary).to_list()
    digests = b"".join([sha256(outer + sha256(inner + m).digest()).digest() for m in messages])
    return _encode(digests, len(messages))


def _encode(digests: bytes, n: int) -> pl.Series:
    """``P`` + the first 20 base32 characters of each 32-byte digest, built as one Arrow string array."""
    head = np.frombuffer(digests, dtype=np.uint8).reshape(n, _DIGEST)[:, :13]
    bits = np.unpackbits(head, axis=1)[:, : 5 * PSEUDONYM_CHARS].reshape(n, PSEUDONYM_CHARS, 5)
    chars = np.empty((n, PSEUDONYM_CHARS + 1), dtype=np.uint8)
    chars[:, 0] = ord(PREFIX)
    chars[:, 1:] = _ALPHABET[bits @ _BITS]
    width = PSEUDONYM_CHARS + 1
    offsets = np.arange(0, width * (n + 1), width, dtype=np.int64)
    array = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes())])
    series = pl.from_arrow(array)
    assert isinstance(series, pl.Series)
    return series


def _checked_kind(kind: str) -> str:
    if kind not in IDENTIFIER_KINDS:
        raise ValueError(f"unknown identifier kind {kind!r}; known: {', '.join(IDENTIFIER_KINDS)}")
    return kind


def lineage_metadata(key: PseudonymKey) -> dict[str, str]:
    """What to store with a derived dataset (e.g. in its lake commit metadata): the key id."""
    return {LINEAGE_KEY: key.key_id}


def check_key_id(stored_key_id: str | None, key: PseudonymKey, *, dataset: str = "") -> None:
    """Refuse to add pseudonyms under ``key`` to a dataset made under another key.

    Args:
        stored_key_id: The key id recorded with the dataset's current version;
            None for a dataset with no version yet.
        key: The key about to be used.
        dataset: The dataset's id, for the message.

    Raises:
        PseudonymKeyError: the ids differ: recompute the whole dataset under
            the new key (a new full version) instead of appending to it.
    """
    if stored_key_id is None or stored_key_id == key.key_id:
        return
    raise PseudonymKeyError(
        f"数据集 {dataset} 由假名化密钥 {stored_key_id} 生成，当前密钥为 {key.key_id}：新旧假名不得混用，请在新密钥下整体重算该数据集",
        f"Dataset {dataset} was made under pseudonym key {stored_key_id}, the current key is {key.key_id}: "
        "old and new pseudonyms are never mixed; recompute the whole dataset under the new key",
        dataset=dataset,
        stored_key_id=stored_key_id,
        key_id=key.key_id,
    )
