"""Endurance times as schools write them: seconds, minutes and seconds, or the template's minutes.seconds."""

from __future__ import annotations

import polars as pl
import pytest
from pydantic import ValidationError

from edubrain.catalog import Catalog
from edubrain.catalog.models import FieldSpec
from edubrain.exchange.fields import field_checks, parse_expr
from edubrain.exchange.problems import raw


def _parse(catalog: Catalog, field: str, values: list[str | None]) -> list[float | None]:
    spec = catalog.dataset("fitness_tests").field(field)
    frame = pl.DataFrame({raw(field): values}, schema={raw(field): pl.String})
    return frame.select(parse_expr(spec, None).alias(field)).get_column(field).to_list()


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("215", 215.0),
        ("215.5", 215.5),
        ("3'35\"", 215.0),
        ("3′35″", 215.0),
        ("3:35", 215.0),
        ("3分35秒", 215.0),
        ("3.35", 215.0),
        ("3.5", 230.0),
        (" 3'35\" ", 215.0),
    ],
)
def test_an_endurance_time_is_read_in_every_written_form(catalog: Catalog, text: str, seconds: float) -> None:
    assert _parse(catalog, "run_800m_s", [text]) == [seconds]


@pytest.mark.parametrize("text", ["59", "3'75\"", "三分", "3.355"])
def test_an_impossible_time_is_a_bilingual_type_problem(catalog: Catalog, text: str) -> None:
    spec = catalog.dataset("fitness_tests").field("run_1000m_s")
    frame = pl.DataFrame({raw(spec.name): [text]}).with_columns(parse_expr(spec, None).alias(spec.name))
    checks = [c for c in field_checks(spec, "1000米跑", None) if c.rule == "type_time"]
    assert len(checks) == 1
    assert frame.select(checks[0].mask).item()


def test_the_fifty_metre_sprint_stays_plain_seconds(catalog: Catalog) -> None:
    assert _parse(catalog, "sprint_50m_s", ["8.5", "9.35"]) == [8.5, 9.35]


def test_minutes_seconds_needs_a_sixty_second_floor() -> None:
    with pytest.raises(ValidationError, match="minutes_seconds"):
        FieldSpec.model_validate(
            {"name": "t", "title_zh": "t", "title_en": "t", "type": "number", "minimum": 5, "minutes_seconds": True}
        )
