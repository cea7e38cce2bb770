"""Finding personal information in columns the catalog does not declare as such.

At ingest, a school may put guardians' phone numbers in a remarks column, or
map a column of 身份证号 to the wrong header. Each submitted column is sampled
(up to 1,000 non-empty values, a fixed seed) and its values are tested for
four kinds of personal information; a column is flagged when the share of
matching values reaches the kind's threshold and its catalog field is not
declared with that ``pii`` kind. Findings are warnings: they never block a
submission, but ask the submitter to check that the personal information is
needed (the minimum-necessary principle of GB/T 35273-2020 and PIPL Art. 6;
minors' information is sensitive, PIPL Art. 28 and 31).

Kinds and tests (see ``docs/privacy.md`` for thresholds and limits):

* ``national_id``: 18 characters with a valid GB 11643-1999 check character,
  a GB/T 2260 province code and a real birth date in their places;
* ``phone``: a mainland mobile number ``1[3-9]`` followed by nine digits (spaces, dashes and
  ``+86`` ignored);
* ``name``: 2-4 Chinese characters starting with one of the 100 most common
  surnames (:data:`COMMON_SURNAMES`) or a 复姓, not ending like an
  institution or a place (学、校、班、区、路 ...);
* ``address``: a 区 or 县 followed by 路、街、道、号、巷、胡同、弄、小区、楼、单元 or 室.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from edubrain.catalog.models import Dataset, FieldSpec, PiiKind
from edubrain.exchange.fields import gb11643_valid
from edubrain.exchange.problems import PROBLEM_SCHEMA
from edubrain.governance.masking import COMPOUND_SURNAMES, mask_column

RULE = "pii_undeclared"
SEVERITY = "warning"
SAMPLE_SIZE = 1000
SEED = 20240901

COMMON_SURNAMES: frozenset[str] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚"
    "沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常"
)
"""The 100 most common surnames of mainland China, in rank order of 公安部户政管理研究中心
《二〇二〇年全国姓名报告》 (the same ranking as ``synth/data/surnames.csv``)."""

_NOT_NAME_ENDINGS = "学校院班级组部室处科局委馆所站队区县市省路街号楼村镇乡店厂司团园"
"""Last characters of institutions and places (史家小学, 高家村), not of given names."""

_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
"""First two digits of the GB/T 2260 division codes of provinces (and 81-83 of residence permits)."""
_MOBILE = r"^1[3-9][0-9]{9}$"
_PHONE_DECORATION = r"^(?:\+|00)?86|[\s\-()（）]"
_NAME = r"^\p{Han}{2,4}$"
_ADDRESS = r"[区县].*?(?:路|街|道|号|巷|胡同|弄|小区|楼|单元|室)"

KIND_ZH: dict[str, str] = {"national_id": "身份证号", "phone": "手机号码", "name": "个人姓名", "address": "家庭住址"}
KIND_EN: dict[str, str] = {
    "national_id": "national id numbers",
    "phone": "mobile phone numbers",
    "name": "personal names",
    "address": "home addresses",
}


@dataclass(frozen=True)
class Detector:
    """One kind of personal information and when a column counts as holding it.

    Attributes:
        kind: The catalog PII kind the values look like.
        threshold: Share of sampled non-empty values that must match (0-1).
        min_values: Fewest non-empty values for the column to be judged.
        types: Catalog field types the detector runs on.
    """

    kind: PiiKind
    threshold: float
    min_values: int
    types: frozenset[str]


_TEXT_AND_NUMBERS = frozenset({"string", "integer", "number"})
DETECTORS: tuple[Detector, ...] = (
    Detector("national_id", 0.6, 1, _TEXT_AND_NUMBERS),
    Detector("phone", 0.6, 1, _TEXT_AND_NUMBERS),
    Detector("name", 0.6, 5, frozenset({"string"})),
    Detector("address", 0.6, 3, frozenset({"string"})),
)
"""The detectors, with their thresholds. Code, date and boolean fields are
checked against closed value sets by validation and are not sampled."""


@dataclass(frozen=True)
class PiiFinding:
    """A column whose values look like personal information its field does not declare.

    Attributes:
        field: The catalog field.
        header: The column's header as written in the file.
        kind: The kind of personal information the values look like.
        share: Share of the sampled non-empty values that match (0-1).
        matched: How many sampled values match.
        sampled: How many non-empty values were sampled.
        examples: Up to three distinct matching values, masked (:mod:`edubrain.governance.masking`).
    """

    field: str
    header: str
    kind: PiiKind
    share: float
    matched: int
    sampled: int
    examples: tuple[str, ...]


def looks_like(values: pl.Series, kind: PiiKind) -> pl.Series:
    """True where a value looks like ``kind`` (``national_id``, ``phone``, ``name`` or ``address``).

    Nulls give False. Other kinds are not detected (all False).
    """
    text = values.cast(pl.String).str.strip_chars()
    if kind == "national_id":
        found = gb11643_valid(text.str.to_uppercase()) & _id_structure(text)
    elif kind == "phone":
        found = text.str.replace_all(_PHONE_DECORATION, "").str.contains(_MOBILE)
    elif kind == "name":
        found = _name_like(text)
    elif kind == "address":
        found = text.str.contains(_ADDRESS)
    else:
        found = pl.Series([False] * len(text), dtype=pl.Boolean)
    return found.fill_null(False).alias(values.name)


def _id_structure(text: pl.Series) -> pl.Series:
    """A GB/T 2260 province code and a real birth date (1900-2099) where GB 11643 puts them.

    An 18-digit code of another kind (a class id built from a school code and
    a year) passes the check character one time in eleven; it rarely has both.
    """
    born = text.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    province = text.str.slice(0, 2).is_in(list(_PROVINCES))
    return (province & born.dt.year().is_between(1900, 2099)).fill_null(False)


def _name_like(text: pl.Series) -> pl.Series:
    surname = text.str.slice(0, 1).is_in(list(COMMON_SURNAMES)) | text.str.slice(0, 2).is_in(list(COMPOUND_SURNAMES))
    ending = text.str.slice(-1, 1).is_in(list(_NOT_NAME_ENDINGS))
    return text.str.contains(_NAME) & surname & ~ending


def detect_pii(
    table: pl.DataFrame,
    dataset: Dataset,
    headers: Mapping[str, str] | None = None,
    *,
    sample_size: int = SAMPLE_SIZE,
    detectors: tuple[Detector, ...] = DETECTORS,
) -> list[PiiFinding]:
    """Columns of ``table`` whose values look like personal information their field does not declare.

    Args:
        table: The submitted values as text, one column per catalog field
            name (columns that are not fields of ``dataset`` are ignored).
        dataset: The catalog dataset the table is submitted to.
        headers: Field name -> header as written; default the field's Chinese title.
        sample_size: Most non-empty values sampled per column (a fixed seed,
            so the same file gives the same findings).
        detectors: The kinds to look for, with their thresholds.

    Returns:
        One finding per column and kind, in the dataset's field order.
    """
    findings: list[PiiFinding] = []
    for spec in dataset.fields:
        if spec.name not in table.columns:
            continue
        header = (headers or {}).get(spec.name, spec.title_zh)
        sample = _sample(table.get_column(spec.name), sample_size)
        for detector in detectors:
            if _applies(detector, spec) and sample.len() >= detector.min_values:
                finding = _judge(sample, detector, spec.name, header)
                if finding is not None:
                    findings.append(finding)
    return findings


def _applies(detector: Detector, spec: FieldSpec) -> bool:
    """A detector runs on a field of a matching type that is not declared as that kind.

    A field the catalog itself names as an address (``address``, ``*_address``)
    but does not mark as PII holds an organisation's address (a school's):
    it is not reported as a home address.
    """
    if spec.type not in detector.types or spec.pii == detector.kind:
        return False
    named_address = spec.name == "address" or spec.name.endswith("_address")
    return not (detector.kind == "address" and named_address)


def _sample(values: pl.Series, size: int) -> pl.Series:
    text = values.cast(pl.String).str.strip_chars()
    present = text.filter(text.is_not_null() & (text != ""))
    return present.sample(size, seed=SEED) if present.len() > size else present


def _judge(sample: pl.Series, detector: Detector, field: str, header: str) -> PiiFinding | None:
    hits = looks_like(sample, detector.kind)
    matched = int(hits.sum())
    share = matched / sample.len()
    if matched == 0 or share < detector.threshold:
        return None
    examples = mask_column(sample.filter(hits), detector.kind).unique(maintain_order=True).head(3).to_list()
    return PiiFinding(
        field=field,
        header=header,
        kind=detector.kind,
        share=round(share, 4),
        matched=matched,
        sampled=sample.len(),
        examples=tuple(str(e) for e in examples),
    )


def pii_problems(findings: list[PiiFinding]) -> pl.DataFrame:
    """Findings as warning rows in the shape of :data:`edubrain.exchange.problems.PROBLEM_SCHEMA`.

    Each row has rule ``pii_undeclared``, no row number (the column as a
    whole), the header as written, the field, no value, and a message in
    Chinese and English with masked examples. These rows are warnings: keep
    them apart from validation problems, which reject a submission.
    """
    rows = [
        {
            "row": None,
            "column": f.header,
            "field": f.field,
            "value": None,
            "rule": RULE,
            "message_zh": _message_zh(f),
            "message_en": _message_en(f),
        }
        for f in findings
    ]
    return pl.DataFrame(rows, schema=PROBLEM_SCHEMA)


def _message_zh(f: PiiFinding) -> str:
    return (
        f"提醒：“{f.header}”列抽查的 {f.sampled} 个非空值中有 {f.matched} 个（{f.share:.0%}）像{KIND_ZH[f.kind]}"
        f"（示例，已脱敏：{'、'.join(f.examples)}），但数据目录未将字段 {f.field} 登记为此类个人信息。"
        "请确认该列内容是否应当报送；如确需报送，请联系市教委信息中心更新数据目录。本提醒不影响提交。"
    )


def _message_en(f: PiiFinding) -> str:
    return (
        f"Warning: {f.matched} of {f.sampled} sampled non-empty values ({f.share:.0%}) in column '{f.header}' "
        f"look like {KIND_EN[f.kind]} (masked examples: {', '.join(f.examples)}), but the catalog does not "
        f"declare field {f.field} as that kind of personal information. Check that the column should be "
        "submitted; if it must, ask the city data office to update the catalog. This warning does not block the submission."
    )
