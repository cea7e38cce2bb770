"""Masking: reference formats per PII kind, nulls, types, and properties (idempotent, nothing hidden leaks)."""

from __future__ import annotations

import datetime as dt
from typing import cast

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edubrain.governance.masking import MASK_KINDS, MaskKind, mask_column, mask_frame
from tests.conftest import national_id

DIGITS = "0123456789"
PROPERTY = settings(max_examples=30, deadline=None)


def mask(values: list[str | None], kind: str | None) -> list[str | None]:
    return mask_column(pl.Series("v", values, dtype=pl.String), cast(MaskKind, kind)).to_list()


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("national_id", "110108201503151234", "110108********1234"),
        ("national_id", "11010820150315123x", "110108********123X"),
        ("national_id", "110108150315123", "110108******123"),
        ("national_id", "1101082015", "******************"),
        ("national_id", "110108********1234", "110108********1234"),
        ("student_number", "G110108201503151234", "G110108********1234"),
        ("student_number", "L110108201503151234", "L110108********1234"),
        ("student_number", "110108201503151234", "*******************"),
        ("name", "张三", "张*"),
        ("name", "李小明", "李**"),
        ("name", "欧阳娜娜", "欧阳**"),
        ("name", "司马光", "司马*"),
        ("name", "欧阳", "欧*"),
        ("name", "王", "*"),
        ("name", "买买提·艾力", "买*****"),
        ("phone", "13812341234", "138****1234"),
        ("phone", "+86 138-1234-1234", "138****1234"),
        ("phone", "010-62751234", "***********"),
        ("address", "北京市海淀区中关村大街27号", "北京市海淀区****"),
        ("address", "朝阳区望京街道某小区3号楼", "朝阳区****"),
        ("address", "河北省三河县燕郊镇", "河北省三河县****"),
        ("address", "阳光小区3号楼2单元101室", "****"),
        ("address", "北京市某社区5号", "****"),
        ("address", "100080北京市海淀区", "****"),
        ("birth_date", "2015-03-15", "2015-**-**"),
        ("birth_date", "2015/3/5", "2015-**-**"),
        ("birth_date", "20150315", "2015-**-**"),
        ("birth_date", "2015年3月15日", "2015-**-**"),
        ("birth_date", "三月十五", "****-**-**"),
        ("email", "zhangsan@example.edu.cn", "z***@example.edu.cn"),
        ("email", "z@example.edu.cn", "***@example.edu.cn"),
        ("email", "not an address", "***"),
        ("other", "anything", None),
        ("withhold", "anything", None),
    ],
)
def test_masking_reference_format(kind: str, value: str, expected: str | None) -> None:
    assert mask([value], kind) == [expected]


@pytest.mark.parametrize("kind", MASK_KINDS)
def test_masking_keeps_nulls_and_gives_text(kind: str) -> None:
    out = mask_column(pl.Series("v", [None, "x"], dtype=pl.String), cast(MaskKind, kind))
    assert out.dtype == pl.String
    assert out[0] is None
    assert out.name == "v"


def test_masking_birth_date_column_becomes_text_year() -> None:
    dates = pl.Series("birth_date", [dt.date(2015, 3, 15), None, dt.date(2009, 12, 31)])
    assert mask_column(dates, "birth_date").to_list() == ["2015-**-**", None, "2009-**-**"]
    stamps = pl.Series("at", [dt.datetime(2015, 3, 15, 8, 30)])
    assert mask_column(stamps, "birth_date").to_list() == ["2015-**-**"]


def test_masking_expression_keeps_the_column_name() -> None:
    frame = pl.DataFrame({"guardian_phone": ["13812341234"]})
    out = frame.select(mask_column(pl.col("guardian_phone"), "phone"))
    assert out.columns == ["guardian_phone"]
    assert out.item() == "138****1234"


def test_masking_none_kind_withholds() -> None:
    assert mask(["secret"], None) == [None]


def test_masking_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown PII kind"):
        mask(["x"], "shoe_size")


def test_mask_frame_masks_named_columns_and_keeps_others() -> None:
    rows = pl.DataFrame(
        {
            "id_number": [national_id(seq=7)],
            "name": ["李小明"],
            "birth_date": [dt.date(2015, 3, 15)],
            "remark": ["家住某小区"],
            "grade": ["11"],
        }
    )
    out = mask_frame(rows, {"id_number": "national_id", "name": "name", "birth_date": "birth_date", "remark": None})
    assert out.columns == rows.columns
    assert out.row(0) == (f"110108********{national_id(seq=7)[-4:]}", "李**", "2015-**-**", None, "11")
    assert out.schema["remark"] == pl.String


def test_mask_frame_accepts_lazy_frames() -> None:
    lazy = pl.LazyFrame({"phone": ["13812341234", None]})
    out = mask_frame(lazy, {"phone": "phone"})
    assert isinstance(out, pl.LazyFrame)
    assert out.collect().get_column("phone").to_list() == ["138****1234", None]


def test_mask_frame_missing_column_is_an_error() -> None:
    with pytest.raises(pl.exceptions.ColumnNotFoundError):
        mask_frame(pl.DataFrame({"a": ["x"]}), {"b": "name"})


# --- properties ---------------------------------------------------------------------------

ids18 = st.builds(
    lambda body, last: body + last,
    st.text(DIGITS, min_size=17, max_size=17),
    st.sampled_from(list(DIGITS + "X")),
)
student_numbers = st.builds(lambda letter, rest: letter + rest, st.sampled_from("GJL"), ids18)
mobiles = st.builds(
    lambda second, rest: "1" + second + rest, st.sampled_from("3456789"), st.text(DIGITS, min_size=9, max_size=9)
)
han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
names = st.text(han, min_size=1, max_size=6)
addresses = st.builds(lambda a, b: a + b, st.text(han, max_size=8), st.text(min_size=0, max_size=20))
emails = st.builds(
    lambda a, b: f"{a}@{b}.cn", st.text("abcxyz._", min_size=1, max_size=8), st.text("abc", min_size=1, max_size=6)
)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)).map(str)
anything = st.text(max_size=30)
WELL_FORMED = {
    "national_id": ids18,
    "student_number": student_numbers,
    "phone": mobiles,
    "name": names,
    "address": addresses,
    "birth_date": dates,
    "email": emails,
    "other": anything,
}


@pytest.mark.parametrize("kind", list(WELL_FORMED))
@PROPERTY
@given(data=st.data())
def test_masking_is_idempotent(kind: str, data: st.DataObject) -> None:
    values = data.draw(st.lists(st.one_of(WELL_FORMED[kind], anything, st.none()), min_size=1, max_size=20))
    once = mask(values, kind)
    assert mask(once, kind) == once


@pytest.mark.parametrize("kind", [k for k in WELL_FORMED if k != "other"])
@PROPERTY
@given(data=st.data())
def test_masking_changes_every_unmasked_value(kind: str, data: st.DataObject) -> None:
    """A value comes back unchanged only if it was already masked (carries ``*``)."""
    values = data.draw(st.lists(st.one_of(WELL_FORMED[kind], anything).filter(bool), min_size=1, max_size=20))
    for before, after in zip(values, mask(values, kind), strict=True):
        assert after is not None
        assert after != before or "*" in before


@PROPERTY
@given(st.lists(ids18, min_size=1, max_size=20))
def test_masking_national_id_hides_the_middle_eight(ids: list[str]) -> None:
    for raw, out in zip(ids, mask(ids, "national_id"), strict=True):  # type: ignore[arg-type]
        assert out is not None and len(out) == 18
        assert out[:6] == raw[:6] and out[14:] == raw[14:]
        assert out[6:14] == "*" * 8


@PROPERTY
@given(st.lists(student_numbers, min_size=1, max_size=20))
def test_masking_student_number_hides_the_middle_eight(numbers: list[str]) -> None:
    for raw, out in zip(numbers, mask(numbers, "student_number"), strict=True):  # type: ignore[arg-type]
        assert out is not None and len(out) == 19
        assert out[:7] == raw[:7] and out[15:] == raw[15:]
        assert out[7:15] == "*" * 8


@PROPERTY
@given(st.lists(mobiles, min_size=1, max_size=20))
def test_masking_phone_hides_digits_four_to_seven(phones: list[str]) -> None:
    for raw, out in zip(phones, mask(phones, "phone"), strict=True):  # type: ignore[arg-type]
        assert out == raw[:3] + "****" + raw[7:]


@PROPERTY
@given(st.lists(names, min_size=1, max_size=20))
def test_masking_name_keeps_length_and_hides_the_given_name(values: list[str]) -> None:
    for raw, out in zip(values, mask(values, "name"), strict=True):  # type: ignore[arg-type]
        assert out is not None and len(out) == len(raw)
        kept = len(out.rstrip("*"))
        assert kept < len(raw) and kept <= 2
        assert out[:kept] == raw[:kept]


@PROPERTY
@given(st.lists(addresses, min_size=1, max_size=20))
def test_masking_address_keeps_only_a_leading_district(values: list[str]) -> None:
    for raw, out in zip(values, mask(values, "address"), strict=True):  # type: ignore[arg-type]
        assert out is not None and out.endswith("****")
        kept = out[: -len("****")]
        assert raw.strip().startswith(kept)
        assert kept == "" or kept[-1] in "区县"


@PROPERTY
@given(st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), min_size=1, max_size=20))
def test_masking_birth_date_keeps_only_the_year(values: list[dt.date]) -> None:
    out = mask_column(pl.Series("d", values, dtype=pl.Date), "birth_date").to_list()
    assert out == [f"{d.year}-**-**" for d in values]


@PROPERTY
@given(st.lists(anything, min_size=1, max_size=20))
def test_masking_malformed_national_id_shows_nothing(values: list[str]) -> None:
    malformed = [v for v in values if len(v.strip()) not in (15, 18)]
    assert all(out == "*" * 18 for out in mask(malformed, "national_id"))  # type: ignore[arg-type]
