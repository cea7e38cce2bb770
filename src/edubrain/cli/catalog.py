"""``edubrain catalog``: list, show, export and template."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from edubrain.catalog.models import OWNER_LEVEL_ZH, SHARING_ZH
from edubrain.cli.common import console, home, print_json, t

app = typer.Typer(help="数据目录 / the data catalog.\n\nExample: edubrain catalog show students", no_args_is_help=True)


class ExportFormat(StrEnum):
    """Catalog export formats."""

    frictionless = "frictionless"
    dcat = "dcat"


@app.command("list")
def list_datasets(as_json: bool = typer.Option(False, "--json", help="以 JSON 输出 / print JSON.")) -> None:
    """列出数据集 / list the datasets.

    Example: ``edubrain catalog list``
    """
    catalog = home().catalog
    if as_json:
        print_json(
            [
                d.model_dump(include={"id", "title_zh", "title_en", "owner_level", "sharing"})
                for d in catalog.datasets.values()
            ]
        )
        return
    view = Table(title=t("数据目录", "Catalog"))
    for col in ("id", t("名称", "title"), t("报送层级", "owner"), t("共享", "sharing"), t("字段数", "fields")):
        view.add_column(col)
    for d in catalog.datasets.values():
        title = d.title_zh if t("zh", "en") == "zh" else d.title_en
        owner = OWNER_LEVEL_ZH[d.owner_level] if t("zh", "en") == "zh" else d.owner_level
        sharing = SHARING_ZH[d.sharing] if t("zh", "en") == "zh" else d.sharing
        view.add_row(d.id, title, owner, sharing, str(len(d.fields)))
    console.print(view)


@app.command("show")
def show(dataset: str, as_json: bool = typer.Option(False, "--json", help="以 JSON 输出 / print JSON.")) -> None:
    """显示一个数据集的字段与规则 / show a dataset's fields and rules.

    Example: ``edubrain catalog show students``
    """
    d = home().catalog.dataset(dataset)
    if as_json:
        print_json(d.model_dump())
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
    view = Table()
    for col in (
        "field",
        t("中文名", "zh"),
        "type",
        t("必填", "req"),
        t("代码表/格式/范围", "code/pattern/range"),
        t("分级", "level"),
        "PII",
    ):
        view.add_column(col, overflow="fold")
    for f in d.fields:
        rng = (
            f"{f.minimum if f.minimum is not None else ''}..{f.maximum if f.maximum is not None else ''}"
            if f.minimum is not None or f.maximum is not None
            else ""
        )
        view.add_row(
            f.name,
            f.title_zh,
            f.type,
            "✓" if f.required else "",
            f.code_table or f.pattern or rng,
            f.classification,
            f.pii or "",
        )
    console.print(view)
    for rule in d.rules:
        console.print(f"  rule: {rule.model_dump(exclude_none=True)}")


@app.command("export")
def export(
    fmt: ExportFormat = typer.Option(..., "--format", help="frictionless | dcat"),
    out: Path = typer.Option(
        ..., "-o", "--out", help="输出目录（frictionless）或文件（dcat） / output folder or file."
    ),
) -> None:
    """导出机器可读目录 / export the catalog (Frictionless Data Package or DCAT JSON-LD).

    Example: ``edubrain catalog export --format frictionless -o out/catalog``
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

    Example: ``edubrain catalog template students --lang zh -o 学生模板.xlsx``
    """
    from edubrain.catalog.template_xlsx import write_template

    catalog = home().catalog
    written = write_template(catalog.dataset(dataset), catalog, out, lang=lang)
    console.print(t(f"已写入 {written}", f"Wrote {written}"))


@app.command("docs")
def docs(out: Path = typer.Option(Path("docs/catalog"), "-o", "--out", help="输出目录 / output folder.")) -> None:
    """由目录声明生成数据目录文档 / write the catalog's Markdown pages from its declarations.

    Example: ``edubrain catalog docs -o docs/catalog``
    """
    from edubrain.catalog.docs import write_catalog_docs

    written = write_catalog_docs(home().catalog, out)
    console.print(t(f"已写入 {len(written)} 个页面到 {out}", f"Wrote {len(written)} pages to {out}"))
