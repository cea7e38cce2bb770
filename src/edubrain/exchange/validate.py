"""Validating a submitted table against its catalog dataset, all rows at once.

The result lists every problem (not the first): header problems once for
the file, then each broken rule for each row, with the row number and the
header as the submitter sees them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from edubrain.catalog.models import (
    AgeForGradeRule,
    CompareRule,
    Dataset,
    GroupSumMaxRule,
    IdBirthDateRule,
    IdSexRule,
    ReferenceRule,
    StudentNumberIdRule,
)
from edubrain.catalog.registry import Catalog
from edubrain.exchange import rules
from edubrain.exchange.fields import (
    NUL,
    NUL_SHOWN,
    check_column,
    field_checks,
    gb11643_valid,
    parse_expr,
    reparse_dates,
)
from edubrain.exchange.headers import HeaderMapping, alias_index, map_headers, normalise_header
from edubrain.exchange.problems import PROBLEM_SCHEMA, Check, evaluate, file_problem, fmt, raw, row_check
from edubrain.exchange.readers import ROW_COLUMN, SourceTable


@dataclass(frozen=True)
class Validation:
    """The outcome of validating one submitted table.

    Attributes:
        rows: Every row read, typed: ``__row`` and one column per catalog field.
        problems: Every problem found (see :mod:`edubrain.exchange.problems`).
        mapping: How headers were mapped to fields.
    """

    rows: pl.DataFrame
    problems: pl.DataFrame
    mapping: HeaderMapping

    @property
    def file_level_failed(self) -> bool:
        """True when the file itself is unusable (a header or column problem)."""
        return bool(self.problems.filter(pl.col("row").is_null()).height)

    def accepted(self) -> pl.DataFrame:
        """The rows with no problem."""
        bad = self.problems.get_column("row").drop_nulls().unique()
        if bad.is_empty():
            return self.rows  # a clean file: no copy
        return self.rows.filter(~pl.col(ROW_COLUMN).cast(pl.Int64).is_in(bad.implode()))


def validate(
    source: SourceTable,
    dataset: Dataset,
    catalog: Catalog,
    *,
    keys: rules.Unmatched,
    allowed_orgs: Sequence[str] | None = None,
    owned_elsewhere: rules.OwnedElsewhere | None = None,
    org_label: str = "",
    today: dt.date | None = None,
) -> Validation:
    """Check every row and field of ``source`` against ``dataset``.

    Args:
        source: The submitted table, as read.
        dataset: The catalog dataset it is submitted to.
        catalog: The catalog (code tables).
        keys: Finds the referenced values that are not stored, for reference rules.
        allowed_orgs: Values of the dataset's organisation field the
            submitter may send; None for no limit (the city).
        owned_elsewhere: Finds the submitted keys whose stored rows belong to
            an organisation outside the submitter's scope (None: no such check,
            for the city).
        org_label: The submitting organisation, for messages.
        today: The date used when a rule needs one (default today).
    """
    mapping = map_headers(source.headers, dataset)
    work = _working_frame(source, dataset, mapping, catalog)
    headers = {name: header for name, (_, header) in mapping.columns.items()}
    checks: list[Check] = []
    for name in mapping.columns:
        spec = dataset.field(name)
        table = catalog.code_tables.get(spec.code_table) if spec.code_table else None
        checks += field_checks(spec, headers[name], table)
    checks += _rule_checks(dataset, catalog, headers, keys, work, today or dt.date.today())
    if allowed_orgs is not None and dataset.org_field in mapping.columns:
        checks.append(_scope_check(dataset, headers[dataset.org_field], allowed_orgs, org_label))
    if owned_elsewhere is not None and all(k in mapping.columns for k in dataset.primary_key):
        checks += rules.key_ownership(dataset, headers, owned_elsewhere, work)
    parts = [*_header_problems(mapping, dataset), *evaluate(work, checks)]
    found = pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=PROBLEM_SCHEMA)
    found = found.unique(maintain_order=True).sort(["row", "column"], nulls_last=False, maintain_order=True)
    found = _nul_shown(found)
    rows = work.select(ROW_COLUMN, *dataset.field_names)
    return Validation(rows=rows, problems=found, mapping=mapping)


def _nul_shown(problems: pl.DataFrame) -> pl.DataFrame:
    """Problems quoting a NUL character (any rule's value, message or header) show it as ``␀``: reports are stored."""
    text = ["column", "value", "message_zh", "message_en"]
    return problems.with_columns(pl.col(text).str.replace_all(NUL, NUL_SHOWN, literal=True))


def _working_frame(source: SourceTable, dataset: Dataset, mapping: HeaderMapping, catalog: Catalog) -> pl.DataFrame:
    """``__row``, ``raw__<field>`` (trimmed text) and ``<field>`` (typed) for every catalog field."""
    stripped, missing = [], []
    for spec in dataset.fields:
        if spec.name in mapping.columns:
            position = mapping.columns[spec.name][0]
            stripped.append(pl.col(f"c{position}").str.strip_chars().alias(raw(spec.name)))
        else:
            missing.append(pl.lit(None, pl.String).alias(raw(spec.name)))
    present = [raw(name) for name in mapping.columns]
    typed = [
        parse_expr(spec, catalog.code_tables.get(spec.code_table) if spec.code_table else None).alias(spec.name)
        for spec in dataset.fields
    ]
    # one plan: trim, then empty text to null (on the trimmed column, cheaper than testing the trim twice), then types
    frame = (
        source.frame.lazy()
        .select(pl.col(ROW_COLUMN), *stripped, *missing)
        .with_columns(pl.when(pl.col(c).str.len_bytes() == 0).then(None).otherwise(pl.col(c)).alias(c) for c in present)
        .select(pl.col(ROW_COLUMN), *[pl.col(raw(spec.name)) for spec in dataset.fields])
        .with_columns(typed)
        .collect()
    )
    dates = [spec.name for spec in dataset.fields if spec.type == "date"]
    frame = reparse_dates(frame, dates)
    checked = [spec.name for spec in dataset.fields if spec.check_digit == "gb11643"]
    return frame.with_columns([gb11643_valid(frame.get_column(name)).alias(check_column(name)) for name in checked])


def _header_problems(mapping: HeaderMapping, dataset: Dataset) -> list[pl.DataFrame]:
    known = list(alias_index(dataset))
    out = []
    for _, header in mapping.unmapped:
        close = difflib.get_close_matches(normalise_header(header), known, n=1, cutoff=0.6)
        hint_zh = f"；是否应为“{_title(dataset, close[0])}”？" if close else ""
        hint_en = f"; did you mean '{_title(dataset, close[0], 'en')}'?" if close else ""
        out.append(
            file_problem(
                column=header or "（空表头）",
                field="",
                rule="unmapped_header",
                zh=f"表头“{header}”不对应数据集 {dataset.title_zh} 的任何字段{hint_zh}",
                en=f"Header '{header}' matches no field of dataset {dataset.title_en}{hint_en}",
            )
        )
    for name, extra in mapping.duplicates.items():
        out.append(
            file_problem(
                column=", ".join(extra),
                field=name,
                rule="duplicate_header",
                zh=f"多个表头都对应字段 {name}：{mapping.columns[name][1]}、{'、'.join(extra)}",
                en=f"Several headers map to field {name}: {mapping.columns[name][1]}, {', '.join(extra)}",
            )
        )
    for name in mapping.missing_required:
        spec = dataset.field(name)
        out.append(
            file_problem(
                column=spec.title_zh,
                field=name,
                rule="missing_required_column",
                zh=f"缺少必填列“{spec.title_zh}”（可用表头：{'、'.join(spec.aliases[:4])}）",
                en=f"Required column '{spec.title_en}' is missing (accepted headers: {', '.join(spec.aliases[:4])})",
            )
        )
    return out


def _title(dataset: Dataset, normalised: str, lang: str = "zh") -> str:
    name = alias_index(dataset)[normalised]
    spec = dataset.field(name)
    return spec.title_zh if lang == "zh" else spec.title_en


def _rule_checks(
    dataset: Dataset,
    catalog: Catalog,
    headers: dict[str, str],
    keys: rules.Unmatched,
    work: pl.DataFrame,
    today: dt.date,
) -> list[Check]:
    out = rules.duplicate_keys(dataset, headers)
    for rule in dataset.rules:
        if isinstance(rule, ReferenceRule):
            out += rules.reference(rule, headers, keys, work)
        elif isinstance(rule, IdBirthDateRule):
            out += rules.id_birth_date(rule, headers)
        elif isinstance(rule, IdSexRule):
            out += rules.id_sex(rule, headers)
        elif isinstance(rule, StudentNumberIdRule):
            out += rules.student_number_id(rule, headers)
        elif isinstance(rule, AgeForGradeRule):
            table = catalog.code_table(dataset.field(rule.grade_field).code_table or "grade")
            usual = {c.code: c.years for c in table.codes if c.years is not None}
            out += rules.age_for_grade(rule, headers, today, usual)
        elif isinstance(rule, CompareRule):
            out += rules.compare(rule, headers)
        elif isinstance(rule, GroupSumMaxRule):
            out += rules.group_sum_max(rule, headers)
    return out


def _scope_check(dataset: Dataset, header: str, allowed: Sequence[str], org_label: str) -> Check:
    value = pl.col(dataset.org_field)
    mask = value.is_not_null() & ~value.is_in(pl.Series(list(allowed), dtype=pl.String).implode())
    return row_check(
        mask,
        field=dataset.org_field,
        column=header,
        rule="scope",
        zh=fmt(f"“{header}”{{}} 不在提交单位 {org_label} 的管辖范围内", value),
        en=fmt(f"'{header}' {{}} is outside the scope of the submitting organisation {org_label}", value),
    )
