"""PII detection at ingest: which columns are flagged, thresholds, masked examples, warning rows."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.catalog import Catalog
from edubrain.catalog.models import Dataset
from edubrain.exchange.fields import gb11643_check_char, gb11643_valid
from edubrain.exchange.problems import PROBLEM_SCHEMA
from edubrain.governance.pii_detect import RULE, detect_pii, looks_like, pii_problems
from tests.conftest import national_id

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏", "欧阳娜娜", "孙小明"]
ADDRESSES = ["北京市海淀区中关村大街27号", "朝阳区望京西路48号院3号楼", "丰台区某小区2单元101室", "密云县鼓楼东街5号"]


@pytest.fixture
def changes(catalog: Catalog) -> Dataset:
    return catalog.dataset("student_status_changes")


def ids(n: int) -> list[str]:
    return [national_id(seq=i, birth=f"2015{1 + i % 12:02d}15") for i in range(n)]


def phones(n: int) -> list[str]:
    return [f"139{i:08d}" for i in range(n)]


def reasons(values: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"change_id": [f"C{i}" for i in range(len(values))], "reason": values}, schema_overrides={"reason": pl.String}
    )


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (ids(20), "national_id"),
        (phones(20), "phone"),
        (NAMES, "name"),
        (ADDRESSES, "address"),
    ],
)
def test_pii_detect_flags_undeclared_kind(changes: Dataset, values: list[str], kind: str) -> None:
    found = detect_pii(reasons(values), changes, {"reason": "异动原因（备注）"})
    assert [(f.field, f.header, f.kind) for f in found] == [("reason", "异动原因（备注）", kind)]
    assert found[0].share == 1.0 and found[0].sampled == len(values)


def test_pii_detect_examples_are_masked(changes: Dataset) -> None:
    values = ids(10)
    [finding] = detect_pii(reasons(values), changes)
    assert 1 <= len(finding.examples) <= 3
    assert all("********" in e for e in finding.examples)
    shown = " ".join(finding.examples) + " ".join(pii_problems([finding]).row(0)[4:])  # type: ignore[arg-type]
    assert not any(v in shown or v[6:14] in shown for v in values)


def test_pii_detect_default_header_is_the_chinese_title(changes: Dataset) -> None:
    [finding] = detect_pii(reasons(phones(5)), changes)
    assert finding.header == "异动原因"


def test_pii_detect_ignores_declared_fields(catalog: Catalog) -> None:
    roster = pl.DataFrame(
        {
            "student_id": ["G" + v for v in ids(20)],
            "name": (NAMES * 2)[:20],
            "id_number": ids(20),
            "address": (ADDRESSES * 5)[:20],
            "guardian_phone": phones(20),
            "class_id": ["C2025A"] * 20,
        }
    )
    assert detect_pii(roster, catalog.dataset("students")) == []


def test_pii_detect_flags_a_declared_field_holding_another_kind(catalog: Catalog) -> None:
    roster = pl.DataFrame({"guardian_phone": ids(20)})
    found = detect_pii(roster, catalog.dataset("students"))
    assert [(f.field, f.kind) for f in found] == [("guardian_phone", "national_id")]


@pytest.mark.parametrize(("matching", "flagged"), [(6, True), (5, False)])
def test_pii_detect_threshold_is_sixty_percent(changes: Dataset, matching: int, flagged: bool) -> None:
    values = phones(matching) + ["家庭搬迁"] * (10 - matching)
    assert bool(detect_pii(reasons(values), changes)) is flagged


def test_pii_detect_share_counts_non_empty_values_only(changes: Dataset) -> None:
    values: list[str | None] = [*phones(3), *[""] * 10, *["   "] * 3, None, None]
    [finding] = detect_pii(reasons(values), changes)  # type: ignore[arg-type]
    assert finding.sampled == 3 and finding.share == 1.0


@pytest.mark.parametrize(("count", "flagged"), [(4, False), (5, True)])
def test_pii_detect_names_need_five_values(changes: Dataset, count: int, flagged: bool) -> None:
    assert bool(detect_pii(reasons(NAMES[:count]), changes)) is flagged


def test_pii_detect_wrong_check_digit_is_not_an_id(changes: Dataset) -> None:
    broken = [v[:17] + ("0" if v[17] != "0" else "1") for v in ids(20)]
    assert detect_pii(reasons(broken), changes) == []


def test_pii_detect_other_eighteen_digit_codes_are_not_ids(changes: Dataset) -> None:
    """A class id (school code + year + grade + class) can pass the check digit, but has no birth date."""
    first17 = "11010800012025011"
    class_id = first17 + gb11643_check_char(first17)
    assert gb11643_valid(pl.Series([class_id])).item() is True
    assert detect_pii(reasons([class_id] * 10), changes) == []


def test_pii_detect_samples_at_most_a_thousand_values_the_same_way(changes: Dataset) -> None:
    values = phones(3500) + ["转学"] * 1500
    first = detect_pii(reasons(values), changes)
    assert first == detect_pii(reasons(values), changes)
    assert first[0].sampled == 1000 and 0.6 <= first[0].share < 0.8


def test_pii_detect_school_names_and_addresses_are_not_personal(catalog: Catalog) -> None:
    schools = pl.DataFrame(
        {
            "name": ["史家小学", "北京市第一中学", "黄城根小学", "景山学校", "汇文中学", "陈经纶中学"],
            "address": [
                "东城区史家胡同59号",
                "东城区安定门外大街",
                "西城区黄城根北街",
                "东城区灯市口大街",
                "东城区培新街6号",
                "朝阳区六里屯",
            ],
        }
    )
    assert detect_pii(schools, catalog.dataset("schools")) == []


def test_pii_detect_skips_code_fields_and_unknown_columns(catalog: Catalog) -> None:
    table = pl.DataFrame({"grade": NAMES, "remark_not_in_catalog": phones(12)})
    assert detect_pii(table, catalog.dataset("students")) == []


def test_pii_detect_numbers_typed_field_holding_phones(catalog: Catalog) -> None:
    found = detect_pii(pl.DataFrame({"weekly_periods": phones(10)}), catalog.dataset("teacher_assignments"))
    assert [f.kind for f in found] == ["phone"]


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("+86 139-1234-5678", "phone", True),
        ("12912345678", "phone", False),
        ("欧阳娜娜", "name", True),
        ("张三丰", "name", True),
        ("史家小学", "name", False),
        ("家庭搬迁", "name", False),
        ("Zhang Wei", "name", False),
        ("海淀区中关村大街27号", "address", True),
        ("转学至海淀区", "address", False),
        (None, "phone", False),
        ("13912345678", "email", False),
    ],
)
def test_looks_like(value: str | None, kind: str, expected: bool) -> None:
    assert looks_like(pl.Series([value], dtype=pl.String), kind).to_list() == [expected]  # type: ignore[arg-type]


def test_pii_problems_have_the_problem_shape_and_are_warnings(changes: Dataset) -> None:
    findings = detect_pii(reasons(phones(10)), changes, {"reason": "备注"})
    problems = pii_problems(findings)
    assert problems.schema == pl.Schema(PROBLEM_SCHEMA)
    row = problems.row(0, named=True)
    assert row["row"] is None and row["value"] is None
    assert (row["rule"], row["column"], row["field"]) == (RULE, "备注", "reason")
    assert "手机号码" in row["message_zh"] and "139****0000" in row["message_zh"]
    assert "mobile phone numbers" in row["message_en"] and "does not block" in row["message_en"]


def test_pii_problems_of_no_findings_is_empty_with_the_schema() -> None:
    problems = pii_problems([])
    assert problems.height == 0 and problems.schema == pl.Schema(PROBLEM_SCHEMA)
