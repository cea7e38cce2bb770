"""``edubrain fitness``: score fitness test files, recompute the derived fitness datasets, print report cards."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import typer

from edubrain.analytics.fitness import Range, format_problems, load_standard, parse_results, score_arrow
from edubrain.analytics.fitness.scoring import score_columns
from edubrain.cli.common import (
    FORMAT_OPTION,
    CommandGroup,
    OutputFormat,
    console,
    home,
    print_arrow,
    print_derived_run,
    signed_in,
    t,
)
from edubrain.errors import InputFileError, ValidationFailed
from edubrain.exchange.headers import map_headers, normalise_header
from edubrain.exchange.readers import ROW_COLUMN, read_source
from edubrain.governance.export_safety import safe_csv, xlsx_row

app = CommandGroup(
    help="体质健康：评分、派生数据、报告卡 / student physical health: scoring, derived data, report cards."
    "\n\nExample: edubrain fitness score tests.xlsx -o scored.xlsx",
    no_args_is_help=True,
)
SECONDS_MARK = "秒"


def _column_names(lang: str) -> dict[str, str]:
    """Output header of each score column: the catalog's Chinese title, or the field name in English."""
    fields = {f.name: f.title_zh for f in home().catalog.dataset("fitness_scores").fields}
    return {c: (fields.get(c, c) if lang == "zh" else c) for c in score_columns()}


def _read_results(path: Path, sheet: str | None) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """The file as text columns named by header, the headers, and the parsed catalog fields."""
    source = read_source(path, sheet=sheet)
    dataset = home().catalog.dataset("fitness_tests")
    mapping = map_headers(source.headers, dataset)
    missing = [f for f in ("grade", "sex") if f not in mapping.columns]
    if missing:
        raise InputFileError(
            f"{path.name} 缺少必需的列：{', '.join(dataset.field(f).title_zh for f in missing)}",
            f"{path.name} lacks required columns: {', '.join(dataset.field(f).title_en for f in missing)}",
            file=str(path),
        )
    text = source.frame.select(
        pl.col(ROW_COLUMN), *[pl.col(f"c{i}").alias(h or f"列{i + 1}") for i, h in enumerate(source.headers)]
    )
    wanted = {"grade", "sex", "height_cm", "weight_kg", "exempt"} | {i.field for i in load_standard().scored_items}
    columns = {header: name for name, (_, header) in mapping.columns.items() if name in wanted}
    seconds = frozenset(h for h, n in columns.items() if normalise_header(h) == n or SECONDS_MARK in h)
    ranges = {
        f.name: Range(f.minimum, f.maximum, f.title_zh, f.title_en)
        for f in dataset.fields
        if f.minimum is not None or f.maximum is not None
    }
    parsed = parse_results(text, columns, ranges, seconds_headers=seconds, row_column=ROW_COLUMN)
    if parsed.problems.height:
        raise ValidationFailed(
            f"{path.name} 有 {parsed.problems.height} 处无法评分的数值：\n" + format_problems(parsed.problems, "zh"),
            f"{path.name} has {parsed.problems.height} values that cannot be scored:\n"
            + format_problems(parsed.problems, "en"),
            file=str(path),
        )
    return text.drop(ROW_COLUMN), source.headers, parsed.table


def _write(table: pa.Table, output: Path) -> None:
    """Write the scored rows as XLSX or CSV, formulas defused (:mod:`edubrain.governance.export_safety`)."""
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    if output.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("体质健康评分")
        sheet.append(xlsx_row(sheet, frame.columns))
        for row in frame.iter_rows():
            sheet.append(xlsx_row(sheet, row))
        book.save(output)
        return
    output.write_bytes(safe_csv(frame))


@app.command("score")
def score(
    input_file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV 或 XLSX 体测文件 / fitness test file."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="输出文件（.csv 或 .xlsx）/ output file (.csv or .xlsx)."),
    sheet: str = typer.Option(None, "--sheet", help="XLSX 工作表 / XLSX sheet."),
) -> None:
    """按《国家学生体质健康标准（2014年修订）》为体测文件评分 / score a fitness test file by the 2014 standard.

    Takes the national data submission template's columns (年级编号, 性别, 身高, 体重, 肺活量, 50米跑, 800米跑 …;
    800/1000 m as 3'25", 3′25″ or 3.25 = minutes.seconds) or the catalog's (run_800m_s in seconds), and writes the
    same rows plus each item's score, the bonus points, the standard score, the yearly total and the level.
    Values that cannot be scored are listed with row and column, and nothing is written.

    Example: edubrain fitness score 三年级体测.xlsx -o 三年级体测_评分.xlsx
    """
    text, _headers, parsed = _read_results(input_file, sheet)
    scored = score_arrow(parsed.to_arrow())
    names = _column_names("zh" if t("zh", "en") == "zh" else "en")
    added = scored.select(score_columns()).rename_columns([names[c] for c in score_columns()])
    result = text.to_arrow()
    for name, column in zip(added.column_names, added.columns, strict=True):
        result = result.append_column(name if name not in result.column_names else f"{name}*", column)
    _write(result, output)
    levels = pl.from_arrow(scored.select(["level", "status"])).group_by("level", "status").len().sort("len")  # type: ignore[union-attr]
    console.print(t(f"已评分 {scored.num_rows} 行，写入 {output}", f"Scored {scored.num_rows} rows into {output}"))
    print_arrow(levels.to_arrow(), "table")


@app.command("run")
def run(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """重算体质健康派生数据集 / recompute fitness_scores, fitness_indicators and fitness_warnings.

    Scores the current fitness_tests of the lake (the engine of EDUBRAIN_ENGINE), pseudonymises the students and
    writes each derived dataset as one new lake version with its lineage. Submitting fitness_tests does this
    automatically at the end of the submission session; use this command after changing the standard's data or
    the pseudonym key. Prints each dataset written with its new version and rows, and the input versions read
    (--format json for programs).

    Example: edubrain fitness run
    """
    from edubrain.jobs.fitness import run_fitness

    h = home()
    h.ensure_initialised()
    print_derived_run(run_fitness(h), fmt)


@app.command("cards")
def cards(
    school: str = typer.Option(..., "--school", help="学校标识码 / school code."),
    class_id: str = typer.Option(..., "--class", help="班级编号 / class id."),
    year: int = typer.Option(..., "--year", help="学年（开始年份）/ school year (its first year)."),
    output: Path = typer.Option(..., "-o", "--output", help="输出 .pdf 或 .html / output .pdf or .html."),
    user: str = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份读取 / read as this user."),
    purpose: str = typer.Option("teaching", "--purpose", help="读取个人信息的用途 / purpose of reading personal data."),
) -> None:
    """打印全班的体质健康报告卡（一个 PDF）/ print a whole class's report cards as one PDF (or HTML).

    Reads the pupils' results and names through the governance read path as --user (password from
    EDUBRAIN_PASSWORD or prompted), for the declared --purpose (default 教学管理 teaching); the read is audited.
    A card shows each item's result, score and level, the yearly total and level, the trend over the years and
    advice for the weak items.

    Example: edubrain fitness cards --school 1101080001 --class C2025A --year 2025 -o 一年级1班.pdf --user head1
    """
    from edubrain.reports.fitness_card import class_cards, render_html, render_pdf

    h = home()
    found = class_cards(h, signed_in(h, user), school, class_id, year, purpose)
    if not found:
        raise InputFileError(
            f"{school} {class_id} 班 {year} 学年没有可见的体测数据",
            f"no fitness results visible for class {class_id} of {school} in {year}",
        )
    if output.suffix.lower() == ".html":
        output.write_text(render_html(found), encoding="utf-8")
    else:
        output.write_bytes(render_pdf(found))
    console.print(t(f"已生成 {len(found)} 张报告卡：{output}", f"{len(found)} report cards written to {output}"))


@app.command("standard")
def standard(
    item: str = typer.Argument(..., help="项目编号，如 vital_capacity、run_1000m / item id."),
    sex: str = typer.Option("1", "--sex", help="1 男 / 2 女."),
) -> None:
    """显示某项目的评分表（各年级）/ show an item's score table for every grade.

    Items: vital_capacity, sprint_50m, sit_and_reach, rope_skipping, sit_ups, shuttle_run_50x8, standing_long_jump,
    pull_ups, run_800m, run_1000m. Values are in the catalog's units (seconds for timed items).

    Example: edubrain fitness standard run_800m --sex 2
    """
    std = load_standard()
    spec = std.item(item)
    grades = sorted({g for (i, s, g) in std.thresholds if i == item and s == sex})
    scores = sorted({p for (i, s, _), pairs in std.thresholds.items() if i == item and s == sex for p, _ in pairs})
    columns: dict[str, list[object]] = {t("得分", "score"): list(reversed(scores))}
    for grade in grades:
        table = dict(std.thresholds[(item, sex, grade)])
        columns[grade] = [
            (table[s] if spec.scale == 1 else table[s] / spec.scale) if s in table else None for s in reversed(scores)
        ]
    print_arrow(pa.table(columns), "table", title=f"{spec.zh} / {spec.en} ({spec.unit})")


def register(parent: typer.Typer) -> None:
    """Add the fitness command group to parent."""
    parent.add_typer(app, name="fitness")
