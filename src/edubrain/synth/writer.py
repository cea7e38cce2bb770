"""Writing tables the way submitters send them: CSV (UTF-8 or GBK) and the catalog's Excel templates."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
from openpyxl.utils import get_column_letter

from edubrain.catalog.models import Dataset
from edubrain.catalog.registry import Catalog

FORMATS = ("utf8", "utf8-bom", "gbk", "xlsx")
"""``utf8``: UTF-8 CSV with field names; ``utf8-bom``: UTF-8 CSV with BOM and Chinese headers;
``gbk``: GBK CSV with Chinese headers; ``xlsx``: the catalog's Excel template filled in."""
DATA_SHEET = "xl/worksheets/sheet1.xml"
"""The template's data sheet (the first)."""
CORE_PROPERTIES = "docProps/core.xml"
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
FIXED_TIME = "2025-09-01T00:00:00Z"
ZIP_TIME = (2025, 9, 1, 0, 0, 0)
"""Fixed timestamps inside the workbook, so the same seed gives the same bytes."""
SUFFIX = {"utf8": ".csv", "utf8-bom": ".csv", "gbk": ".csv", "xlsx": ".xlsx"}


@dataclass(frozen=True)
class Written:
    """One file written: where, in which format, with how many data rows."""

    path: Path
    file_format: str
    rows: int


def headers(dataset: Dataset, file_format: str, overrides: dict[str, str] | None = None) -> list[str]:
    """The header row for ``dataset`` in ``file_format`` (``overrides``: field -> header written instead)."""
    overrides = overrides or {}
    plain = dataset.field_names if file_format == "utf8" else [spec.title_zh for spec in dataset.fields]
    return [overrides.get(name, header) for name, header in zip(dataset.field_names, plain, strict=True)]


def plain_booleans(text: pl.DataFrame, dataset: Dataset, where: pl.Expr) -> pl.DataFrame:
    """A text table of :func:`as_text` whose booleans are spelt true/false instead of 是/否 in the rows ``where``."""
    flags = [spec.name for spec in dataset.fields if spec.type == "boolean"]
    plain = [
        pl.when(where).then(pl.col(name).replace({"是": "true", "否": "false"})).otherwise(pl.col(name)).alias(name)
        for name in flags
    ]
    return text.with_columns(plain) if plain else text


def as_text(frame: pl.DataFrame, dataset: Dataset, chinese: bool) -> pl.DataFrame:
    """The dataset's columns as submitters write them: dates ISO, booleans 是/否 or true/false."""
    yes, no = ("是", "否") if chinese else ("true", "false")
    exprs = []
    for spec in dataset.fields:
        col = pl.col(spec.name) if spec.name in frame.columns else pl.lit(None, pl.String).alias(spec.name)
        if spec.type == "boolean":
            col = pl.when(col).then(pl.lit(yes)).when(~col).then(pl.lit(no)).otherwise(None).alias(spec.name)
        elif spec.type == "number":
            col = col.cast(pl.Float64).round(2).cast(pl.String).str.replace(r"\.0$", "").alias(spec.name)
        exprs.append(col.cast(pl.String))
    return frame.select(exprs)


class TableWriter:
    """Writes tables under an output folder.

    Args:
        root: The output folder.
        catalog: The catalog (fields and Excel templates).
    """

    def __init__(self, root: Path, catalog: Catalog) -> None:
        self.root = root
        self.catalog = catalog
        self._templates: dict[str, bytes] = {}
        self._header_lines: dict[str, str] = {}

    def write(self, frame: pl.DataFrame, dataset_id: str, relative: str, file_format: str) -> Written:
        """Write ``frame`` (catalog columns) to ``root/relative`` + suffix in ``file_format``."""
        dataset = self.catalog.dataset(dataset_id)
        return self.write_text(as_text(frame, dataset, chinese=file_format != "utf8"), dataset, relative, file_format)

    def write_text(
        self,
        text: pl.DataFrame,
        dataset: Dataset,
        relative: str,
        file_format: str,
        overrides: dict[str, str] | None = None,
    ) -> Written:
        """Write ``text`` (catalog columns as text, see :func:`as_text`) with the format's headers."""
        path = self.root / (relative + SUFFIX[file_format])
        path.parent.mkdir(parents=True, exist_ok=True)
        text = text.rename(dict(zip(text.columns, headers(dataset, file_format, overrides), strict=True)))
        if file_format == "xlsx":
            self._write_xlsx(text, dataset, path)
        else:  # rendering to a string and writing it is several times faster than polars writing to a file
            _write_encoded(path, text.write_csv(quote_style="necessary"), file_format)
        return Written(path, file_format, text.height)

    def write_lines(self, lines: list[str], dataset: Dataset, relative: str, file_format: str) -> Written:
        """Write a CSV file of rows already rendered (see :func:`csv_lines`) under the format's headers."""
        path = self.root / (relative + SUFFIX[file_format])
        path.parent.mkdir(parents=True, exist_ok=True)
        key = f"{dataset.id}:{file_format}"
        if key not in self._header_lines:
            names = headers(dataset, file_format)
            self._header_lines[key] = pl.DataFrame(schema=dict.fromkeys(names, pl.String)).write_csv()
        body = "\n".join(lines) + "\n" if lines else ""
        _write_encoded(path, self._header_lines[key] + body, file_format)
        return Written(path, file_format, len(lines))

    def template(self, dataset: Dataset) -> bytes:
        """The catalog's Excel template of ``dataset`` (made once, kept in memory)."""
        if dataset.id not in self._templates:
            from edubrain.catalog.template_xlsx import write_template

            with tempfile.TemporaryDirectory() as folder:
                path = write_template(dataset, self.catalog, Path(folder) / "t.xlsx", "zh")
                self._templates[dataset.id] = path.read_bytes()
        return self._templates[dataset.id]

    def _write_xlsx(self, text: pl.DataFrame, dataset: Dataset, path: Path) -> None:
        """Fill the template's data sheet: its XML gets the rows as inline strings and numbers.

        Writing the sheet XML directly keeps the template whole (prompts,
        drop-downs, instructions, code sheet) and costs milliseconds a file.
        """
        numeric = [s.type in ("integer", "number") for s in dataset.fields]
        letters = [get_column_letter(i + 1) for i in range(len(numeric))]
        rows = []
        for r, values in enumerate(text.iter_rows(), start=2):
            cells = []
            for letter, is_number, value in zip(letters, numeric, values, strict=True):
                if value is None:
                    continue
                if is_number:
                    cells.append(f'<c r="{letter}{r}"><v>{value}</v></c>')
                else:
                    cells.append(f'<c r="{letter}{r}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        last = f"{letters[-1]}{text.height + 1}"
        with (
            zipfile.ZipFile(io.BytesIO(self.template(dataset))) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == CORE_PROPERTIES:
                    data = STAMP.sub(FIXED_TIME, data.decode("utf-8")).encode("utf-8")
                if item.filename == DATA_SHEET:
                    sheet = _rename_headers(data.decode("utf-8"), dataset, text.columns)
                    sheet = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{last}" />', sheet, count=1)
                    sheet = sheet.replace("</sheetData>", "".join(rows) + "</sheetData>", 1)
                    data = sheet.encode("utf-8")
                out.writestr(zipfile.ZipInfo(item.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def _write_encoded(path: Path, csv_text: str, file_format: str) -> None:
    encoding = {"utf8": "utf-8", "utf8-bom": "utf-8-sig", "gbk": "gbk"}[file_format]
    path.write_bytes(csv_text.encode(encoding))


def csv_lines(text: pl.DataFrame) -> list[str] | None:
    """Each row of ``text`` rendered as one CSV line (as ``write_csv`` writes it, without the newline).

    Rendering a whole table once and cutting it into files is much cheaper than
    one ``write_csv`` per small file. None if a value spans lines (a quoted
    newline), where the cut would not follow rows.
    """
    body = text.write_csv(include_header=False, quote_style="necessary")
    lines = body.split("\n")
    if len(lines) != text.height + 1:
        return None
    lines.pop()
    return lines


def _rename_headers(sheet: str, dataset: Dataset, written: list[str]) -> str:
    """Put headers that differ from the template's (a submitter's typo, say) into the sheet's first row."""
    for spec, header in zip(dataset.fields, written, strict=True):
        if header != spec.title_zh:
            plain = escape(spec.title_zh)
            referenced = plain.encode("ascii", "xmlcharrefreplace").decode("ascii")  # openpyxl writing with lxml
            old = f"<t>{plain}</t>" if f"<t>{plain}</t>" in sheet else f"<t>{referenced}</t>"
            sheet = sheet.replace(old, f"<t>{escape(header)}</t>", 1)
    return sheet
