"""``edubrain catalog``: list, show, export and template."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from edubrain.catalog.models import OWNER_LEVEL_ZH, SHARING_ZH, FieldSpec
from edubrain.cli.common import (
    FORMAT_OPTION,
    JSON_OPTION,
    Col,
    CommandGroup,
    OutputFormat,
    chosen_format,
    console,
    home,
    print_json,
    print_rows,
    t,
)

app = CommandGroup(help="数据目录 / the data catalog.\n\nExample: edubrain catalog show students", no_args_is_help=True)


class ExportFormat(StrEnum):
    """Catalog export formats."""

    frictionless = "frictionless"
    dcat = "dcat"


CATALOG_COLUMNS = [
    Col("id", "数据集", "dataset"),
    Col("title", "名称", "title", "text"),
    Col("owner", "报送层级", "owner"),
    Col("sharing_label", "共享", "sharing"),
    Col("fields", "字段数", "fields", "num"),
]


@app.command("list")
def list_datasets(fmt: OutputFormat = FORMAT_OPTION, as_json: bool = JSON_OPTION) -> None:
    """列出数据集 / list the datasets.

    The table shows each dataset's id, title, owning level, sharing rule and field count; csv and json give the
    codes, both titles and the inputs of derived datasets.

    Example: edubrain catalog list --format csv
    """
    fmt, zh = chosen_format(fmt, as_json), t("zh", "en") == "zh"
    rows = [
        {
            "id": d.id,
            "title": d.title_zh if zh else d.title_en,
            **d.model_dump(include={"title_zh", "title_en", "owner_level", "sharing", "derived_from"}),
            "owner": OWNER_LEVEL_ZH[d.owner_level] if zh else d.owner_level,
            "sharing_label": SHARING_ZH[d.sharing] if zh else d.sharing,
            "fields": len(d.fields),
        }
        for d in home().catalog.datasets.values()
    ]
    if fmt is not OutputFormat.table:  # for programs: codes, not the words of one language
        rows = [{k: v for k, v in r.items() if k not in ("title", "owner", "sharing_label")} for r in rows]
    print_rows(rows, fmt, CATALOG_COLUMNS, title=t("数据目录", "Catalog"))


FIELD_COLUMNS = [
    Col("name", "字段", "field"),
    Col("title", "中文名", "title", "text"),
    Col("type", "类型", "type"),
    Col("required", "必填", "req"),
    Col("rule", "代码表/格式/范围", "code/pattern/range", "text"),
    Col("classification", "分级", "level"),
    Col("pii", "PII", "PII", "text"),
]


@app.command("show")
def show(dataset: str, fmt: OutputFormat = FORMAT_OPTION, as_json: bool = JSON_OPTION) -> None:
    """显示一个数据集的字段与规则 / show a dataset's fields and rules.

    json prints the whole declaration; csv the fields, one a line.

    Example: edubrain catalog show students
    """
    d, fmt = home().catalog.dataset(dataset), chosen_format(fmt, as_json)
    if fmt is OutputFormat.json:
        print_json(d.model_dump())
        return
    rows = [{**f.model_dump(exclude_none=True), "title": t(f.title_zh, f.title_en), "rule": _rule(f)} for f in d.fields]
    if fmt is OutputFormat.csv:
        print_rows(rows, fmt, FIELD_COLUMNS)
        return
    console.print(f"[bold]{d.id}[/bold] {d.title_zh} / {d.title_en}")
    console.print(d.description_zh if t("zh", "en") == "zh" else d.description_en)
    console.print(
        t(
            f"主键 {', '.join(d.primary_key)}；单位字段 {d.org_field}；{OWNER_LEVEL_ZH[d.owner_level]}报送；"
            f"{SHARING_ZH[d.sharing]}；更新频率 {d.update_frequency}",
            f"key {', '.join(d.primary_key)}; organisation field {d.org_field}; owner {d.owner_level}; "
            f"sharing {d.sharing}; updated {d.update_frequency}",
        )
    )
    print_rows(rows, fmt, FIELD_COLUMNS)
    for rule in d.rules:
        console.print(f"  rule: {rule.model_dump(exclude_none=True)}")


def _rule(f: FieldSpec) -> str:
    """A field's code table, pattern or range, whichever it has."""
    if f.minimum is None and f.maximum is None:
        return f.code_table or f.pattern or ""
    return f"{'' if f.minimum is None else f.minimum}..{'' if f.maximum is None else f.maximum}"


@app.command("export")
def export(
    fmt: ExportFormat = typer.Option(..., "--format", help="frictionless | dcat"),
    out: Path = typer.Option(
        ..., "-o", "--out", help="输出目录（frictionless）或文件（dcat） / output folder or file."
    ),
) -> None:
    """导出机器可读目录 / export the catalog (Frictionless Data Package or DCAT JSON-LD).

    Example: edubrain catalog export --format frictionless -o out/catalog
    """
    catalog = home().catalog
    if fmt is ExportFormat.frictionless:
        from edubrain.catalog.export_frictionless import export_frictionless

        written = export_frictionless(catalog, out)
    else:
        from edubrain.catalog.export_dcat import export_dcat

        target = out / "catalog.jsonld" if out.suffix == "" else out
        written = export_dcat(catalog, target)
    console.print(t(f"已写入 {written}", f"Wrote {written}"))


@app.command("template")
def template(
    dataset: str,
    out: Path = typer.Option(..., "-o", "--out", help="输出的 .xlsx 文件 / the .xlsx to write."),
    lang: str = typer.Option("zh", "--lang", help="表头语言 zh|en / header language."),
) -> None:
    """生成学校填报用的 Excel 模板 / write the Excel template a school fills in.

    Example: edubrain catalog template students --lang zh -o 学生模板.xlsx
    """
    from edubrain.catalog.template_xlsx import write_template

    catalog = home().catalog
    written = write_template(catalog.dataset(dataset), catalog, out, lang=lang)
    console.print(t(f"已写入 {written}", f"Wrote {written}"))


@app.command("docs")
def docs(out: Path = typer.Option(Path("docs/catalog"), "-o", "--out", help="输出目录 / output folder.")) -> None:
    """由目录声明生成数据目录文档 / write the catalog's Markdown pages from its declarations.

    Example: edubrain catalog docs -o docs/catalog
    """
    from edubrain.catalog.docs import write_catalog_docs

    written = write_catalog_docs(home().catalog, out)
    console.print(t(f"已写入 {len(written)} 个页面到 {out}", f"Wrote {len(written)} pages to {out}"))
