"""The organisation tree: the city, its 16 districts and the stored schools."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.catalog.models import Dataset
from edubrain.catalog.registry import Catalog
from edubrain.errors import ScopeError, UnknownOrganisationError
from edubrain.store.keyindex import KeyIndex
from edubrain.store.models import Organisation

CITY_CODE = "110000"
LEVEL_RANK = {"city": 0, "district": 1, "school": 2}


@dataclass(frozen=True)
class OrgRef:
    """An organisation as the exchange sees it."""

    code: str
    level: str
    name_zh: str
    parent_code: str | None


def seed_organisations(session: Session, catalog: Catalog) -> int:
    """Insert the city and its districts (GB/T 2260, current codes) if missing; returns how many were added."""
    added = 0
    existing = set(session.scalars(select(Organisation.code)))
    if CITY_CODE not in existing:
        session.add(Organisation(code=CITY_CODE, name_zh="北京市", name_en="Beijing", level="city", parent_code=None))
        session.flush()
        added += 1
    for entry in catalog.code_table("district").codes:
        if entry.legacy or entry.code in existing:
            continue
        session.add(
            Organisation(code=entry.code, name_zh=entry.zh, name_en=entry.en, level="district", parent_code=CITY_CODE)
        )
        added += 1
    return added


def resolve_organisation(session: Session, index: KeyIndex, code: str) -> OrgRef:
    """Find ``code`` in the tree; a stored school not yet in it (a home loaded by an older version) is added.

    Raises:
        UnknownOrganisationError: neither the city, a district nor a stored school.
    """
    org = session.get(Organisation, code)
    if org is None and sync_schools(session, index):
        org = session.get(Organisation, code)
    if org is None:
        raise UnknownOrganisationError(
            f"未知的单位代码 {code}：须为市（{CITY_CODE}）、区（GB/T 2260）或已登记学校的学校标识码",
            f"Unknown organisation {code}: use the city ({CITY_CODE}), a district (GB/T 2260) "
            "or the code of a registered school",
            org=code,
        )
    return OrgRef(org.code, org.level, org.name_zh, org.parent_code)


def sync_schools(session: Session, index: KeyIndex) -> int:
    """Make the tree hold every stored school, under its stored district and with its stored name.

    Called after every commit of the ``schools`` dataset (a district's or the
    city's file, a bulk load, a school moved to another district), so a school
    is an organisation as soon as it is registered, not when it first submits.
    A school retired from ``schools`` stays in the tree: its users and past
    submissions still name it. Returns how many schools were added or changed.
    """
    stored = index.keys("schools", ["school_code", "district_code", "name"])
    if stored is None:
        return 0
    tree = {o.code: o for o in session.scalars(select(Organisation))}
    districts = [code for code, o in tree.items() if o.level == "district"]
    known = pl.DataFrame(
        [(o.code, o.parent_code, o.name_zh) for o in tree.values() if o.level == "school"],
        schema={"school_code": pl.String, "parent": pl.String, "known_name": pl.String},
        orient="row",
    )
    changed = (
        stored.filter(pl.col("district_code").is_in(districts))
        .join(known, on="school_code", how="left")
        .filter(
            pl.col("parent").is_null()
            | (pl.col("parent") != pl.col("district_code"))
            | (pl.col("known_name") != pl.col("name"))
        )
    )
    for code, district, name, *_ in changed.iter_rows():
        org = tree.get(code)
        if org is None:
            session.add(Organisation(code=code, name_zh=name, name_en=name, level="school", parent_code=district))
        elif org.level == "school":
            org.parent_code, org.name_zh, org.name_en = district, name, name
    session.flush()
    return changed.height


def check_may_submit(org: OrgRef, dataset: Dataset) -> None:
    """An organisation submits datasets owned at its level or below (a school cannot submit a district's dataset).

    Nobody submits a dataset the platform writes itself (derived from the lake or exported from the LRS): only
    its job replaces it, so no upload can plant a profile value, a score or a learning record.
    """
    if dataset.derived:
        raise ScopeError(
            f"数据集 {dataset.title_zh} 由平台计算生成，不能报送（由其派生任务整表重写）",
            f"dataset {dataset.title_en} is computed by the platform and cannot be submitted (its job rewrites it)",
            org=org.code,
            dataset=dataset.id,
        )
    if LEVEL_RANK[org.level] > LEVEL_RANK[dataset.owner_level]:
        raise ScopeError(
            f"{org.name_zh}（{org.code}）无权报送数据集 {dataset.title_zh}：该数据集由{_zh(dataset.owner_level)}报送",
            f"{org.code} may not submit dataset {dataset.title_en}: it is submitted at {dataset.owner_level} level",
            org=org.code,
            dataset=dataset.id,
        )


def _zh(level: str) -> str:
    return {"city": "市级", "district": "区级", "school": "学校"}[level]


def scope_values(org: OrgRef, dataset: Dataset, index: KeyIndex) -> list[str] | None:
    """Values of ``dataset``'s organisation field inside ``org``'s scope; None means all (the city)."""
    if org.level == "city":
        return None
    if org.level == "school":
        return [org.code]
    if dataset.field(dataset.org_field).code_table == "district":
        return [org.code]
    return index.schools_of(org.code)
