"""The organisation tree: the city, its 16 districts and the stored schools."""

from __future__ import annotations

from dataclasses import dataclass

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
    """Find ``code`` in the tree; a stored school not yet in the tree is added to it.

    Raises:
        UnknownOrganisationError: neither the city, a district nor a stored school.
    """
    org = session.get(Organisation, code)
    if org is None:
        schools = index.keys("schools", ["school_code", "district_code", "name"])
        row = None if schools is None else schools.filter(schools["school_code"] == code)
        if row is None or row.is_empty():
            raise UnknownOrganisationError(
                f"未知的单位代码 {code}：须为市（{CITY_CODE}）、区（GB/T 2260）或已登记学校的学校标识码",
                f"Unknown organisation {code}: use the city ({CITY_CODE}), a district (GB/T 2260) "
                "or the code of a registered school",
                org=code,
            )
        first = row.row(0, named=True)
        org = Organisation(
            code=code, name_zh=first["name"], name_en=first["name"], level="school", parent_code=first["district_code"]
        )
        session.add(org)
        session.flush()
    return OrgRef(org.code, org.level, org.name_zh, org.parent_code)


def check_may_submit(org: OrgRef, dataset: Dataset) -> None:
    """An organisation submits datasets owned at its level or below (a school cannot submit a district's dataset)."""
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
