"""The catalog: dataset and code-table declarations, and what is derived from them."""

from edubrain.catalog.models import CodeTable, Dataset, FieldSpec
from edubrain.catalog.registry import Catalog, get_catalog, load_catalog

__all__ = ["Catalog", "CodeTable", "Dataset", "FieldSpec", "get_catalog", "load_catalog"]
