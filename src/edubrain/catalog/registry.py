"""Loading and checking the catalog's data files.

The declarations live in ``catalog/data``: ``datasets/*.yaml``,
``code_tables/*.yaml`` and ``classification.yaml``. Loading validates each
file and the references between them (a field's code table exists, a
reference rule names a declared dataset and field, a field's classification
level is on the scale, a derived dataset is classified no lower than its
inputs); any problem is a :class:`CatalogError` naming the file and the place
in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from edubrain.catalog.models import ClassificationLevel, CodeTable, Dataset, ReferenceRule
from edubrain.errors import CatalogError, UnknownDatasetError

DATA_DIR = Path(__file__).parent / "data"
PERSONAL_RANK = 3
"""L3 and above is personal information."""
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Catalog:
    """The whole catalog: datasets, code tables and the classification scale."""

    datasets: dict[str, Dataset]
    code_tables: dict[str, CodeTable]
    levels: dict[str, ClassificationLevel]

    def dataset(self, dataset_id: str) -> Dataset:
        """The dataset ``dataset_id``, or :class:`UnknownDatasetError`."""
        try:
            return self.datasets[dataset_id]
        except KeyError:
            known = ", ".join(sorted(self.datasets))
            raise UnknownDatasetError(
                f"目录中没有数据集 {dataset_id!r}；已有：{known}",
                f"The catalog has no dataset {dataset_id!r}; known: {known}",
                dataset=dataset_id,
            ) from None

    def code_table(self, table_id: str) -> CodeTable:
        """The code table ``table_id``."""
        try:
            return self.code_tables[table_id]
        except KeyError:
            raise CatalogError(
                f"目录中没有代码表 {table_id!r}", f"The catalog has no code table {table_id!r}", code_table=table_id
            ) from None


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(
            f"目录文件 {path.name} 无法读取（须为 UTF-8 文本）：{exc}",
            f"Catalog file {path.name} cannot be read (it must be UTF-8 text): {exc}",
            file=str(path),
        ) from exc
    except yaml.YAMLError as exc:
        raise CatalogError(
            f"目录文件 {path.name} 不是合法的 YAML：{exc}",
            f"Catalog file {path.name} is not valid YAML: {exc}",
            file=str(path),
        ) from exc


def _parse(model: type[M], data: Any, path: Path) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CatalogError(
            f"目录文件 {path.name} 第 {where} 项无效：{first['msg']}",
            f"Catalog file {path.name} is invalid at {where}: {first['msg']}",
            file=str(path),
            location=where,
        ) from exc


def load_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Load and cross-check every declaration under ``data_dir``.

    Raises:
        CatalogError: a file is unreadable, invalid, or refers to something
            that is not declared.
    """
    levels_path = data_dir / "classification.yaml"
    raw_levels = _read_yaml(levels_path) or {}
    if not isinstance(raw_levels, dict):
        raise CatalogError(
            f"目录文件 {levels_path.name} 应为含 levels 的映射",
            f"Catalog file {levels_path.name} must be a mapping with 'levels'",
            file=str(levels_path),
        )
    levels = {
        lvl.id: lvl for lvl in (_parse(ClassificationLevel, item, levels_path) for item in raw_levels.get("levels", []))
    }
    tables: dict[str, CodeTable] = {}
    for path in sorted((data_dir / "code_tables").glob("*.yaml")):
        table = _parse(CodeTable, _read_yaml(path), path)
        if table.id != path.stem:
            raise CatalogError(
                f"代码表 {path.name} 的 id 应为 {path.stem}",
                f"Code table {path.name} must have id {path.stem}",
                file=str(path),
            )
        tables[table.id] = table
    datasets: dict[str, Dataset] = {}
    for path in sorted((data_dir / "datasets").glob("*.yaml")):
        ds = _parse(Dataset, _read_yaml(path), path)
        if ds.id != path.stem:
            raise CatalogError(
                f"数据集 {path.name} 的 id 应为 {path.stem}",
                f"Dataset {path.name} must have id {path.stem}",
                file=str(path),
            )
        datasets[ds.id] = ds
    catalog = Catalog(datasets=datasets, code_tables=tables, levels=levels)
    _check_references(catalog, data_dir)
    for ds in catalog.datasets.values():
        _check_derived_level(catalog, ds, data_dir / "datasets" / f"{ds.id}.yaml")
    return catalog


def _check_derived_level(catalog: Catalog, ds: Dataset, path: Path) -> None:
    """A derived dataset inherits the highest level of its inputs, unless ``classification_reason_zh``/``_en`` say why not.

    Checked at the dataset level (its highest field against its inputs'
    highest) and, when it holds personal information (a field at L3 or
    above), for every such field: personal values computed from sensitive
    inputs (health data, L4) are sensitive too.

    Raises:
        CatalogError: bilingual, naming the dataset, the fields, the input and its level.
    """
    if not ds.derived_from or ds.classification_reason_zh:
        return
    rank = {lvl.id: lvl.rank for lvl in catalog.levels.values()}
    top_input, top = max(
        ((f"{src}.{f.name}", rank[f.classification]) for src in ds.derived_from for f in catalog.datasets[src].fields),
        key=lambda pair: pair[1],
    )
    level = next(lvl.id for lvl in catalog.levels.values() if lvl.rank == top)
    own = max(rank[f.classification] for f in ds.fields)
    low = [f.name for f in ds.fields if PERSONAL_RANK <= rank[f.classification] < top]
    if own >= top and not low:
        return
    raise CatalogError(
        f"{path.name}：派生数据集 {ds.id} 的分级低于其输入 {top_input}（{level}）：{', '.join(low) or '全部字段'}。"
        f"派生数据继承输入的最高分级；如确需降低，请在 classification_reason_zh / classification_reason_en 中说明理由（如已聚合并做小单元格抑制）",
        f"{path.name}: derived dataset {ds.id} is classified below its input {top_input} ({level}): "
        f"{', '.join(low) or 'every field'}. "
        f"Derived data inherits the highest level of its inputs; to declare it lower, give the reason in "
        f"classification_reason_zh and classification_reason_en (e.g. aggregated with small-cell suppression)",
        file=str(path),
        dataset=ds.id,
        level=level,
    )


def _check_references(catalog: Catalog, data_dir: Path) -> None:
    for ds in catalog.datasets.values():
        path = data_dir / "datasets" / f"{ds.id}.yaml"
        for spec in ds.fields:
            if spec.code_table and spec.code_table not in catalog.code_tables:
                raise CatalogError(
                    f"{path.name}：字段 {spec.name} 引用了不存在的代码表 {spec.code_table}",
                    f"{path.name}: field {spec.name} names unknown code table {spec.code_table}",
                    file=str(path),
                )
            if spec.classification not in catalog.levels:
                raise CatalogError(
                    f"{path.name}：字段 {spec.name} 的分级 {spec.classification} 不在分级表中",
                    f"{path.name}: field {spec.name} has unknown classification {spec.classification}",
                    file=str(path),
                )
        for rule in ds.rules:
            if isinstance(rule, ReferenceRule):
                target = catalog.datasets.get(rule.dataset)
                if target is None or any(t not in target.field_names for t in rule.to):
                    raise CatalogError(
                        f"{path.name}：引用规则指向不存在的数据集或字段 {rule.dataset}.{rule.to}",
                        f"{path.name}: reference rule names unknown dataset or fields {rule.dataset}.{rule.to}",
                        file=str(path),
                    )
        for source in ds.derived_from:
            if source not in catalog.datasets:
                raise CatalogError(
                    f"{path.name}：derived_from 中的 {source} 不存在",
                    f"{path.name}: derived_from names unknown {source}",
                    file=str(path),
                )


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    """The packaged catalog, loaded once per process."""
    return load_catalog()


__all__ = ["Catalog", "get_catalog", "load_catalog", "UnknownDatasetError"]
