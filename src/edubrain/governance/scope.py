"""Scope: the one answer to "what may this principal see and change", built from its grants.

Every door (the read path, counts, the submission history, the version list,
the submission form, the cockpit's viewpoint, uploads) asks a :class:`Scope`,
never the grants themselves. Rules (the security page documents them as a
table):

- datasets shared unconditionally (无条件共享) are visible to every grant;
- a city grant sees every row;
- a district grant sees the rows of its district's schools (datasets with a
  ``school_code``) or of its district (datasets keyed by ``district_code``);
- aggregates keyed by organisation (``org_field: org_code``) are seen by
  organisation: a district its own rows and its schools', a school its own;
- a school grant, and a node of a school, sees its school's rows;
- a teacher sees the rows of its classes (``class_id``), and for datasets
  about students without a class column, the rows of its classes' students;
- a student sees its own rows, a parent its children's (``student_id``, or
  in pseudonymised datasets ``student_pseudonym``, the keyed pseudonym of it);
- anything else is not visible (the predicate is false).

Operational records (submission batches and their reports, lake versions)
belong to an organisation: a city grant sees all, a district grant its own
and its schools', a school grant its own; class, self, children and public
grants see none. A principal submits as the organisation of a grant whose
role may submit, and only rows whose stored owner is inside that
organisation's scope (see :mod:`edubrain.exchange.ownership`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from edubrain.catalog.models import Dataset
from edubrain.errors import EduBrainError
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.policy import role
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key

if TYPE_CHECKING:
    from edubrain.home import Home

Lookup = Callable[[str], list[str]]
"""Returns the stored values a predicate needs: schools of a district, students of classes."""
_WIDTH = {"city": 0, "district": 1, "school": 2}
_NO_RECORDS = ("class", "self", "children", "none")
"""Scope kinds that see no organisation's operational records (batches, reports, versions)."""


class AccessDenied(EduBrainError):
    """The principal may not read this dataset, field or purpose, or act for this organisation."""

    exit_code = 3
    code = "access_denied"


class OrganisationRequired(EduBrainError):
    """The principal may act for several organisations and named none (``details.choices`` lists them)."""

    code = "org_required"


@dataclass(frozen=True)
class Viewpoint:
    """The organisation whose dashboards a principal sees: its level and code (None: none)."""

    level: str | None
    org_code: str | None


def _quoted(values: Sequence[str]) -> str:
    if not values:
        return "(NULL)"
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _kind(grant: Grant) -> str:
    """The effective scope of a grant: ``city``, ``district``, ``school``, ``class``, ``self`` or ``none``."""
    scope = role(grant.role).scope
    if scope == "organisation":
        return grant.org_level
    return "self" if scope == "children" else scope


def grant_predicate(
    dataset: Dataset, grant: Grant, schools_of: Lookup, students_of: Lookup, pseudonyms_of: Lookup | None = None
) -> str:
    """A SQL boolean expression over the dataset's columns: the rows ``grant`` may see.

    ``pseudonyms_of`` gives the keyed pseudonyms of comma-separated student ids: with it a student or parent
    sees its (children's) rows of a pseudonymised dataset (``student_pseudonym``, no ``student_id``).
    """
    names = set(dataset.field_names)
    if dataset.sharing == "unconditional":
        return "TRUE"
    kind = _kind(grant)
    if kind == "city":
        return "TRUE"
    if dataset.org_field == "org_code":
        return _org_code_predicate(kind, grant, schools_of)
    if kind == "district":
        if "school_code" in names and dataset.id != "schools":
            return f"school_code IN {_quoted(schools_of(grant.org_code))}"
        if "district_code" in names:
            return f"district_code = {_quoted([grant.org_code])[1:-1]}"
        return "FALSE"
    if kind == "school":
        return f"school_code = {_quoted([grant.org_code])[1:-1]}" if "school_code" in names else "FALSE"
    if kind == "class":
        if "class_id" in names and "student_id" not in names:
            return f"class_id IN {_quoted(list(grant.refs))}"
        if "student_id" in names:
            return f"student_id IN {_quoted(students_of(','.join(grant.refs)))}"
        return "FALSE"
    if kind == "self":
        if "student_id" in names:
            return f"student_id IN {_quoted(list(grant.refs))}"
        if "student_pseudonym" in names and pseudonyms_of is not None:
            return f"student_pseudonym IN {_quoted(pseudonyms_of(','.join(grant.refs)))}"
        return "FALSE"
    return "FALSE"


def _org_code_predicate(kind: str, grant: Grant, schools_of: Lookup) -> str:
    """Rows of an aggregate keyed by organisation (``org_code``: ``110000``, a district, a school, ``school:class``).

    A district sees its own rows and its schools' (and their classes'); a school its own and its classes'; a
    teacher its classes'; others none: the rule of small-cell suppression's
    :func:`~edubrain.governance.suppression.covered`, as SQL.
    """
    school = "split_part(org_code, ':', 1)"
    if kind == "district":
        return f"(org_code = {_quoted([grant.org_code])[1:-1]} OR {school} IN {_quoted(schools_of(grant.org_code))})"
    if kind == "school":
        return f"{school} = {_quoted([grant.org_code])[1:-1]}"
    if kind == "class":
        return f"org_code IN {_quoted([f'{grant.org_code}:{ref}' for ref in grant.refs])}"
    return "FALSE"


@dataclass(frozen=True)
class Scope:
    """What one principal may see and change.

    Args:
        principal: Who acts.
        schools_of: The stored school codes of a district.
        students_of: The stored student ids of comma-separated class ids.
        pseudonyms_of: The keyed pseudonyms of comma-separated student ids (None: pseudonymised rows of
            persons are not visible to their students and parents).

    Example:
        >>> scope = Scope.of(home, principal)  # doctest: +SKIP
        >>> scope.predicates(home.catalog.dataset("students"))  # doctest: +SKIP
        ["school_code = '1101080001'"]
    """

    principal: Principal
    schools_of: Lookup
    students_of: Lookup
    pseudonyms_of: Lookup | None = None

    @classmethod
    def of(cls, home: Home, principal: Principal) -> Scope:
        """The scope of ``principal`` over ``home``'s stored schools and students."""
        from edubrain.governance.lookups import stored_lookup  # the lookups read the lake: built on demand

        return cls(
            principal,
            stored_lookup(home, "schools", "school_code", "district_code"),
            stored_lookup(home, "students", "student_id", "class_id"),
            student_pseudonyms(home),
        )

    @property
    def name(self) -> str:
        """The principal's name, for messages."""
        return self.principal.name

    # rows of the lake

    def predicates(self, dataset: Dataset) -> list[str]:
        """The row scope of each grant on ``dataset``, as SQL predicates over its columns.

        Raises:
            AccessDenied: no grant can see any row of the dataset.
        """
        found = [
            grant_predicate(dataset, g, self.schools_of, self.students_of, self.pseudonyms_of)
            for g in self.principal.grants
        ]
        if not found or all(p == "FALSE" for p in found):
            raise AccessDenied(
                f"{self.name} 无权读取数据集 {dataset.title_zh}",
                f"{self.name} may not read dataset {dataset.title_en}",
                dataset=dataset.id,
            )
        return found

    def row_filter(self, dataset: Dataset) -> str:
        """One SQL predicate: the rows of ``dataset`` any grant may see."""
        return "(" + " or ".join(self.predicates(dataset)) + ")"

    # organisations and their operational records

    def _grant_orgs(self, grant: Grant) -> frozenset[str] | None:
        """Organisations whose records one grant sees (None: all)."""
        kind = _kind(grant)
        if kind in _NO_RECORDS:
            return frozenset()
        if kind == "city":
            return None
        if kind == "district":
            return frozenset([grant.org_code, *self.schools_of(grant.org_code)])
        return frozenset([grant.org_code])

    def org_codes(self) -> frozenset[str] | None:
        """Organisations whose records (batches, reports, versions) the principal sees; None means all."""
        codes: set[str] = set()
        for grant in self.principal.grants:
            found = self._grant_orgs(grant)
            if found is None:
                return None
            codes |= found
        return frozenset(codes)

    def sees_org(self, code: str | None) -> bool:
        """Whether the records of organisation ``code`` are inside the scope (None: the platform's own)."""
        codes = self.org_codes()
        return codes is None or (code is not None and code in codes)

    def grants_over(self, code: str) -> list[Grant]:
        """The grants whose record scope includes organisation ``code`` (for the clearance a record is read with)."""
        return [g for g in self.principal.grants if (found := self._grant_orgs(g)) is None or code in found]

    def submit_orgs(self) -> list[str]:
        """Organisations the principal may submit as (grants whose role may submit), in grant order."""
        return list(dict.fromkeys(g.org_code for g in self.principal.grants if role(g.role).may_submit))

    def submitting_org(self, org: str | None) -> str:
        """The organisation to submit as: ``org`` if allowed, else the only one there is.

        Raises:
            AccessDenied: the principal may not submit, or not as ``org``.
            OrganisationRequired: it may submit for several and named none.
        """
        orgs = self.submit_orgs()
        if not orgs:
            raise AccessDenied(f"{self.name} 的角色不能报送数据", f"{self.name}'s roles may not submit data")
        if org is None and len(orgs) == 1:
            return orgs[0]
        if org is None:
            raise AccessDenied(
                f"请指明报送单位：{', '.join(orgs)}",
                f"Name the submitting organisation: {', '.join(orgs)}",
                choices=orgs,
            )
        if org not in orgs:
            raise AccessDenied(f"{self.name} 不能以单位 {org} 报送", f"{self.name} may not submit as {org}", org=org)
        return org

    def viewpoint(self) -> Viewpoint:
        """The organisation whose dashboards the principal sees (see :func:`viewpoint`)."""
        return viewpoint(self.principal)

    # individual persons (profiles)

    def person_grants(self) -> tuple[Grant, ...]:
        """The grants that may open one student's own records (a profile): school, class, self and children.

        City and district grants see aggregates and organisations' records, never one pupil's profile;
        the public and nodes see none.
        """
        return tuple(
            g
            for g in self.principal.grants
            if _kind(g) in ("school", "class", "self") and role(g.role).scope != "organisation"
        )

    def own_records_only(self) -> bool:
        """Whether every grant is a student's or a parent's (reads are ``self_access``, needing no purpose)."""
        return bool(self.principal.grants) and all(
            role(g.role).scope in ("self", "children") for g in self.principal.grants
        )


def student_pseudonyms(home: Home) -> Lookup:
    """The keyed pseudonyms (``student`` kind) of comma-separated student ids; the key is read when first needed.

    Each id stands for its whole merged group (:mod:`edubrain.governance.identity_links`): derived rows of a child
    whose records were merged are kept under the group's canonical number, and a student or parent whose grant
    names a merged-away number still sees them.
    """
    from edubrain.governance.identity_links import linked_ids  # reads the operational store: only when asked

    def lookup(refs: str) -> list[str]:
        named = sorted({r.strip() for r in refs.split(",") if r.strip()})
        if not named:
            return []
        ids = sorted({member for i in named for member in linked_ids(home, i)})
        key = pseudonym_key(home.settings)
        return [pseudonym(i, "student", key) for i in ids]

    return lookup


def viewpoint(principal: Principal) -> Viewpoint:
    """The widest organisation among the grants that has dashboards (not students, parents, the public).

    City, district and school roles (and teachers, within their school) see
    their organisation's counts; students, parents and the public see none.
    """
    best: tuple[int, str, str] | None = None
    for grant in principal.grants:
        if role(grant.role).scope in ("self", "children", "none"):
            continue
        width = _WIDTH.get(grant.org_level, 9)
        if best is None or width < best[0]:
            best = (width, grant.org_level, grant.org_code)
    return Viewpoint(None, None) if best is None else Viewpoint(best[1], best[2])


def reads_rows(home: Home, principal: Principal, dataset_id: str) -> bool:
    """Whether ``principal`` has a dashboard (:func:`viewpoint`) and a row scope on the dataset ``dataset_id``.

    The common rule of the facades' pages (training coverage, item analysis, value-added, campus safety,
    supervision): the reader sees some organisation's figures and some rows of the dataset behind them.
    """
    if viewpoint(principal).level is None:
        return False
    try:
        Scope.of(home, principal).predicates(home.catalog.dataset(dataset_id))
    except AccessDenied:
        return False
    return True
