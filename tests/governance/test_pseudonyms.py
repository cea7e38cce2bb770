"""Pseudonyms: the HMAC definition, the vectorised column path, keys and key ids."""

from __future__ import annotations

import base64
import hashlib
import hmac
import stat
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from edubrain.errors import EduBrainError
from edubrain.governance.pseudonyms import (
    DEVELOPMENT_KEY_FILE,
    LINEAGE_KEY,
    PSEUDONYM_PATTERN,
    PseudonymKey,
    PseudonymKeyError,
    check_key_id,
    lineage_metadata,
    pseudonym,
    pseudonym_expr,
    pseudonym_key,
    pseudonymise,
    pseudonymise_frame,
)

SECRET = "synthetic-test-key-0123456789-abcdefghij"
KEY = PseudonymKey("k2025a", SecretStr(SECRET))
STUDENT = "G110108201503151234"


@dataclass(frozen=True)
class FakeSettings:
    env: str
    home: Path
    pseudonym_key: SecretStr | None = None
    pseudonym_key_id: str | None = None


def reference(value: str, kind: str, secret: str) -> str:
    """The documented definition, written independently of the module."""
    digest = hmac.new(secret.encode(), f"{kind}|{value}".encode(), hashlib.sha256).digest()
    return "P" + base64.b32encode(digest).decode()[:20]


def test_pseudonym_matches_the_documented_definition() -> None:
    assert pseudonym(STUDENT, "student", KEY) == reference(STUDENT, "student", SECRET)


def test_pseudonym_documented_example() -> None:
    key = PseudonymKey("example", SecretStr("an example key of at least 32 chars"))
    assert pseudonym("G110108201503151234", "student", key) == "P2U6JRG34FFH7CUVXFL5Q"
    assert "P2U6JRG34FFH7CUVXFL5Q" in (Path(__file__).parents[2] / "docs" / "privacy.md").read_text(encoding="utf-8")


def test_pseudonym_has_the_documented_shape() -> None:
    assert pl.Series([pseudonym(STUDENT, "student", KEY)]).str.contains(PSEUDONYM_PATTERN).all()


def test_pseudonym_is_separated_by_identifier_kind() -> None:
    assert pseudonym(STUDENT, "student", KEY) != pseudonym(STUDENT, "teacher", KEY)


def test_pseudonym_depends_on_the_key() -> None:
    other = PseudonymKey("k2026a", SecretStr(SECRET[::-1]))
    assert pseudonym(STUDENT, "student", KEY) != pseudonym(STUDENT, "student", other)


def test_pseudonym_long_key_is_hashed_as_rfc_2104_says() -> None:
    long_secret = "x" * 100
    key = PseudonymKey("long", SecretStr(long_secret))
    column = pseudonymise(pl.Series([STUDENT]), "student", key)
    assert column.item() == reference(STUDENT, "student", long_secret)


def test_pseudonymise_normalises_case_and_space_and_keeps_nulls() -> None:
    out = pseudonymise(pl.Series("sid", ["11010820150315123x", " 11010820150315123X ", None, ""]), "national_id", KEY)
    assert out.name == "sid" and out.dtype == pl.String
    assert out[0] == out[1] == reference("11010820150315123X", "national_id", SECRET)
    assert out[2] is None and out[3] is None


def test_pseudonymise_all_null_column() -> None:
    out = pseudonymise(pl.Series("sid", [None, None], dtype=pl.String), "student", KEY)
    assert out.to_list() == [None, None]


@pytest.mark.parametrize("repeats", [1, 50])  # distinct values hashed directly / hashed once and joined back
def test_pseudonymise_equals_the_definition_on_both_paths(repeats: int) -> None:
    ids = [f"G1101082015{i:08d}" for i in range(200)] * repeats
    out = pseudonymise(pl.Series("sid", ids), "student", KEY).to_list()
    assert out == [reference(v, "student", SECRET) for v in ids]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("0123456789GJLTX", min_size=1, max_size=20)), max_size=40))
def test_pseudonymise_equals_pseudonym_value_by_value(values: list[str | None]) -> None:
    out = pseudonymise(pl.Series("v", values, dtype=pl.String), "student", KEY).to_list()
    assert out == [pseudonym(v, "student", KEY) if v and v.strip() else None for v in values]


def test_pseudonym_expr_runs_in_a_lazy_frame() -> None:
    lazy = pl.LazyFrame({"teacher_id": ["T000000001", None]})
    out = lazy.select(pseudonym_expr(pl.col("teacher_id"), "teacher", KEY)).collect()
    assert out.get_column("teacher_id").to_list() == [reference("T000000001", "teacher", SECRET), None]


def test_pseudonymise_frame_replaces_identifier_columns_only() -> None:
    frame = pl.DataFrame({"student_id": [STUDENT], "score": [93.5]})
    out = pseudonymise_frame(frame, {"student_id": "student"}, KEY)
    assert out.columns == ["student_id", "score"]
    assert out.row(0) == (reference(STUDENT, "student", SECRET), 93.5)


def test_pseudonym_of_an_empty_identifier_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        pseudonym("  ", "student", KEY)


def test_pseudonymise_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown identifier kind"):
        pseudonymise(pl.Series([STUDENT]), "parent", KEY)  # type: ignore[arg-type]


def test_pseudonym_key_refuses_a_short_secret_in_both_languages() -> None:
    with pytest.raises(PseudonymKeyError) as caught:
        PseudonymKey("k1", SecretStr("too short"))
    assert "32" in caught.value.zh and "32" in caught.value.en
    assert isinstance(caught.value, EduBrainError)


def test_pseudonym_key_refuses_a_malformed_id() -> None:
    with pytest.raises(PseudonymKeyError):
        PseudonymKey("key id with spaces", SecretStr(SECRET))


def test_pseudonym_key_never_shows_its_secret() -> None:
    assert SECRET not in repr(KEY) and SECRET not in str(KEY)
    assert "k2025a" in repr(KEY)


def test_pseudonym_key_from_production_settings(tmp_path: Path) -> None:
    key = pseudonym_key(FakeSettings("production", tmp_path, SecretStr(SECRET), "k2025a"))
    assert key.key_id == "k2025a"
    assert pseudonym(STUDENT, "student", key) == pseudonym(STUDENT, "student", KEY)


@pytest.mark.parametrize(
    ("secret", "key_id", "missing"),
    [(None, "k2025a", "EDUBRAIN_PSEUDONYM_KEY"), (SECRET, None, "EDUBRAIN_PSEUDONYM_KEY_ID")],
)
def test_pseudonym_key_production_refuses_missing_settings(
    tmp_path: Path, secret: str | None, key_id: str | None, missing: str
) -> None:
    settings_ = FakeSettings("production", tmp_path, SecretStr(secret) if secret else None, key_id)
    with pytest.raises(PseudonymKeyError) as caught:
        pseudonym_key(settings_)
    assert missing in caught.value.zh and missing in caught.value.en
    assert not (tmp_path / DEVELOPMENT_KEY_FILE).exists()


def test_pseudonym_key_production_refuses_a_short_key(tmp_path: Path) -> None:
    with pytest.raises(PseudonymKeyError):
        pseudonym_key(FakeSettings("production", tmp_path, SecretStr("short"), "k1"))


def test_pseudonym_key_development_keeps_a_private_stable_key(tmp_path: Path) -> None:
    first = pseudonym_key(FakeSettings("development", tmp_path / "home"))
    second = pseudonym_key(FakeSettings("development", tmp_path / "home"))
    path = tmp_path / "home" / DEVELOPMENT_KEY_FILE
    assert first.key_id == "dev"
    assert first.secret.get_secret_value() == second.secret.get_secret_value()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_pseudonym_key_development_uses_a_configured_key(tmp_path: Path) -> None:
    key = pseudonym_key(FakeSettings("development", tmp_path, SecretStr(SECRET)))
    assert key.key_id == "dev" and key.secret.get_secret_value() == SECRET
    assert not (tmp_path / DEVELOPMENT_KEY_FILE).exists()


def test_lineage_metadata_names_the_key() -> None:
    assert lineage_metadata(KEY) == {LINEAGE_KEY: "k2025a"}


def test_check_key_id_accepts_new_and_same_key() -> None:
    check_key_id(None, KEY)
    check_key_id("k2025a", KEY)


def test_check_key_id_refuses_mixing_keys() -> None:
    with pytest.raises(PseudonymKeyError) as caught:
        check_key_id("k2024b", KEY, dataset="fitness_scores")
    assert "k2024b" in caught.value.zh and "k2025a" in caught.value.en
    assert caught.value.details["dataset"] == "fitness_scores"
