"""What people read instead of identifiers: dataset titles, school names and class names (班级名称).

School names come from the cockpit's snapshot (the ``schools`` dataset is shared unconditionally, L1);
class names are read from the ``classes`` dataset through the governance read path as the user, so a
role that may not read a class sees its code, as before.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import polars as pl
from jinja2 import pass_context

from edubrain.catalog.models import Dataset
from edubrain.errors import EduBrainError
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.web.cockpit import IndicatorCache, Snapshot
from edubrain.web.messages import pick
from edubrain.web.readcache import PageCache

CLASS_LIMIT = 2000
"""Classes read per school for their names (every school year; a large school has some 200)."""


@pass_context
def dataset_title(context: Any, dataset_id: str) -> str:
    """A dataset's title in the page's language (the id when the catalog has no such dataset); a Jinja global."""
    state = context["request"].app.state
    home = getattr(state, "home", None)
    dataset = home.catalog.datasets.get(dataset_id) if home is not None else None
    return pick(context.get("lang", "zh"), dataset.title_zh, dataset.title_en) if dataset else dataset_id


_NAMES: weakref.WeakKeyDictionary[IndicatorCache, dict[str, tuple[Snapshot, dict[str, str]]]] = (
    weakref.WeakKeyDictionary()
)
"""Per cockpit cache and language: the snapshot the school names were taken from, and the names."""
_NAMES_LOCK = threading.Lock()


def school_names(cache: IndicatorCache, home: Home, lang: str) -> dict[str, str]:
    """School code -> name in ``lang``, for every stored school (the returned dict is shared: do not change it).

    Taken once per cockpit snapshot and language: the cache makes a new snapshot whenever a lake table or the
    batches change (a school renamed included), and the names are taken again from the new one.
    """
    snapshot = cache.get(home)
    with _NAMES_LOCK:
        kept = _NAMES.get(cache, {}).get(lang)
    if kept is not None and kept[0] is snapshot:
        return kept[1]
    table = snapshot.table.filter(pl.col("level") == "school").select("org_code", "name_zh", "name_en")
    names = {code: pick(lang, zh, en) for code, zh, en in table.iter_rows()}
    with _NAMES_LOCK:
        _NAMES.setdefault(cache, {})[lang] = (snapshot, names)
    return names


def class_names(pages: PageCache, home: Home, principal: Principal, schools: set[str]) -> dict[str, str]:
    """Class id -> 班级名称 for the classes of ``schools`` that ``principal`` may read (none when it may not)."""
    names: dict[str, str] = {}
    for school in sorted(schools):
        try:
            found = pages.read(home, principal, "classes", {"school_code": school}, CLASS_LIMIT, 0)
        except EduBrainError:
            continue  # the role reads no classes: they are shown by their id
        if {"class_id", "class_name"} <= set(found.table.column_names):
            for row in found.table.select(["class_id", "class_name"]).to_pylist():
                if row["class_name"] and "*" not in row["class_name"]:  # a masked name says nothing
                    names[str(row["class_id"])] = row["class_name"]
    return names


def reference_labels(
    cache: IndicatorCache,
    pages: PageCache,
    home: Home,
    principal: Principal,
    dataset: Dataset,
    rows: list[dict[str, Any]],
    lang: str,
) -> dict[str, dict[str, str]]:
    """Per column of ``rows`` that holds a school code or a class id, the name each value stands for."""
    fields = set(dataset.field_names)
    out: dict[str, dict[str, str]] = {}
    if "school_code" in fields and dataset.id != "schools":
        out["school_code"] = school_names(cache, home, lang)
    if "class_id" in fields and dataset.id != "classes":
        schools = {str(r["school_code"]) for r in rows if r.get("school_code")}
        out["class_id"] = class_names(pages, home, principal, schools)
    return out
