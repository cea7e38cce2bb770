"""School files cut from one rendering of a table are byte for byte the files written one by one."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from edubrain.catalog import Catalog
from edubrain.catalog.models import Dataset
from edubrain.synth.writer import TableWriter, csv_lines


def _text(dataset: Dataset, first: list[str | None]) -> pl.DataFrame:
    """A text table of ``dataset``: the first field takes ``first``, the others one fixed value each."""
    columns = {name: [f"v{i}"] * len(first) for i, name in enumerate(dataset.field_names)}
    columns[dataset.field_names[0]] = first
    return pl.DataFrame(columns, schema=dict.fromkeys(dataset.field_names, pl.String))


@pytest.mark.parametrize("file_format", ["utf8", "utf8-bom", "gbk"])
def test_writer_lines_cut_from_one_rendering_equal_a_file_written_alone(
    tmp_path: Path, catalog: Catalog, file_format: str
) -> None:
    dataset = catalog.dataset("schools")
    text = _text(dataset, ["一", 'with "quote", comma', None])
    writer = TableWriter(tmp_path, catalog)
    lines = csv_lines(text)
    assert lines is not None and len(lines) == 3
    alone = writer.write_text(text.slice(1, 2), dataset, "alone", file_format)
    cut = writer.write_lines(lines[1:3], dataset, "cut", file_format)
    assert cut.path.read_bytes() == alone.path.read_bytes() and cut.rows == alone.rows == 2
    empty = writer.write_lines([], dataset, "empty", file_format)
    assert empty.path.read_bytes() == writer.write_text(text.clear(), dataset, "none", file_format).path.read_bytes()


def test_writer_lines_refuse_a_value_spanning_lines(catalog: Catalog) -> None:
    assert csv_lines(_text(catalog.dataset("schools"), ["a\nb"])) is None
