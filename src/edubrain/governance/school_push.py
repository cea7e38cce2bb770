"""The write door for pushes of one school's rows (``POST /api/v1/iot/readings``): who may push for which school.

A push carries the rows of one school. The principal may push them when a
grant whose role may submit covers that school: the school's own grant, a
district grant over the school's district, or a city grant. The rows are then
submitted as the school (the batch belongs to the school, the audit trail
names the principal as the actor), so the exchange's own scope check refuses
every row of another school, and the batch is committed all-or-nothing like
any file (:class:`~edubrain.exchange.ingest.Exchange`).
"""

from __future__ import annotations

from edubrain.exchange.ingest import Exchange, IngestResult
from edubrain.exchange.readers import SourceTable
from edubrain.governance.identity import Principal
from edubrain.governance.policy import role
from edubrain.governance.readpath import grant_rank
from edubrain.governance.reports import mask_problems, mask_report
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.home import Home


def push_school(home: Home, principal: Principal, school: str | None) -> str:
    """The school a push is for: ``school`` when a submitting grant covers it, else the principal's only school.

    Raises:
        AccessDenied: no grant of the principal may submit for ``school`` (or, with ``school`` None, the
            principal has not exactly one school grant that may submit).
    """
    scope = Scope.of(home, principal)
    grants = [g for g in principal.grants if role(g.role).may_submit]
    if school is None:
        own = sorted({g.org_code for g in grants if g.org_level == "school"})
        if len(own) != 1:
            raise AccessDenied(
                "请用参数 school 指明推送数据所属的学校（学校标识码）",
                "Name the school the rows belong to with the parameter school (its school code)",
                choices=own,
            )
        return own[0]
    for grant in grants:
        if grant.org_level == "city" or (grant.org_level == "school" and grant.org_code == school):
            return school
        if grant.org_level == "district" and school in scope.schools_of(grant.org_code):
            return school
    raise AccessDenied(
        f"{principal.name} 无权为学校 {school} 报送数据",
        f"{principal.name} may not submit for school {school}",
        org=school,
    )


def submit_for_school(
    home: Home, principal: Principal, source: SourceTable, dataset_id: str, school: str
) -> IngestResult:
    """Submit ``source`` (rows of one school) as ``school`` after :func:`push_school` allows it; all or nothing.

    The report and problems are masked to the principal's clearance over the school.

    Raises:
        AccessDenied: the principal may not submit for the school.
        UnknownDatasetError, UnknownOrganisationError, ScopeError: nothing was stored.
    """
    dataset = home.catalog.dataset(dataset_id)
    school = push_school(home, principal, school)
    with Exchange(home) as exchange:
        result = exchange.submit(source, dataset_id, school, mode="upsert", actor=principal.id)
    scope = Scope.of(home, principal)
    clearance = max((grant_rank(home, g.role, None) for g in scope.grants_over(school)), default=0)
    return IngestResult(
        mask_report(home, result.report, clearance),
        mask_problems(home, dataset, result.problems, clearance),
        result.warnings,
    )
