"""Which pages a principal may use: one rule per page, asked by the page's route and by the navigation.

A navigation link is shown only when the page behind it would answer the
principal with a page it can use (never a 403). So each page has one rule,
a function ``may_<page>(home, principal) -> bool`` in this module, and both
sides ask it:

- the route refuses with 403 when the rule says no (e.g. ``pages_forecast``
  calls :func:`may_view_forecast`);
- the header's navigation (``base.html``) lists :func:`nav_items`, the
  entries of :data:`NAV` whose rule says yes.

Where the rule is about data it asks governance, never the grants directly:
:class:`~edubrain.governance.scope.Scope` (which datasets a principal may read,
for which organisations it may submit) and its viewpoint (which organisation's
dashboards it sees).

To add a page to the navigation: write its rule here, call it in the route,
and add one :class:`NavItem` (label key from ``web/messages.py``, path, rule)
to :data:`NAV` in the order the header shows them. A test
(``tests/web/test_navigation.py``) opens every link of every demo role and
fails on anything but a rendered page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from edubrain.catalog.models import Dataset
from edubrain.governance.audit_access import may_read_trail
from edubrain.governance.identity import Principal
from edubrain.governance.policy import role
from edubrain.governance.scope import AccessDenied, Scope, viewpoint

if TYPE_CHECKING:
    from edubrain.home import Home

Rule = Callable[["Home", Principal], bool]
"""Whether a principal may use a page."""
PERSONAL_SCOPES = ("self", "children")
"""Role scopes of people who see only their own (or their children's) records: students and parents."""


def may_use_cockpit(home: Home, principal: Principal) -> bool:
    """The cockpit answers everybody logged in (with indicators for organisations, a note for the others)."""
    return True


def may_browse_catalog(home: Home, principal: Principal) -> bool:
    """The catalog describes datasets, not their rows: everybody logged in may read it."""
    return True


def may_submit(home: Home, principal: Principal) -> bool:
    """数据报送: principals with a grant whose role may submit (:meth:`Scope.submit_orgs`)."""
    return bool(Scope.of(home, principal).submit_orgs())


def readable(scope: Scope, dataset: Dataset) -> bool:
    """Whether some grant of the scope sees rows of ``dataset`` (``Scope.predicates`` does not refuse)."""
    try:
        scope.predicates(dataset)
    except AccessDenied:
        return False
    return True


def readable_datasets(home: Home, principal: Principal) -> list[Dataset]:
    """The datasets the principal may open in the viewer (``read_dataset`` would not refuse), by id."""
    scope = Scope.of(home, principal)
    return [d for d in sorted(home.catalog.datasets.values(), key=lambda d: d.id) if readable(scope, d)]


def may_browse_data(home: Home, principal: Principal) -> bool:
    """数据浏览: principals that may read at least one dataset."""
    scope = Scope.of(home, principal)
    return any(readable(scope, d) for d in home.catalog.datasets.values())


def may_view_fitness(home: Home, principal: Principal) -> bool:
    """体质健康 (indicators of organisations): principals with a dashboard viewpoint (city, district, school)."""
    return viewpoint(principal).org_code is not None


def may_view_own_fitness(home: Home, principal: Principal) -> bool:
    """体质健康成绩 (one's own, or one's children's, scores): students and parents with the pupils named."""
    return any(role(g.role).scope in PERSONAL_SCOPES and g.refs for g in principal.grants)


def may_view_forecast(home: Home, principal: Principal) -> bool:
    """学位预测: city and district viewpoints (a district sees only itself)."""
    return viewpoint(principal).level in ("city", "district")


def may_view_monitoring(home: Home, principal: Principal) -> bool:
    """信息化监测: city, district and school staff, whose grants cover a whole organisation (not a teacher's classes).

    The values are read by organisation (``monitoring_indicators`` is keyed by ``org_code``): a teacher's class
    grant, a student, a parent and the public see none of them.
    """
    return any(role(g.role).scope in ("city", "district", "school") for g in principal.grants)


def profile_mode(home: Home, principal: Principal) -> str | None:
    """How the 全息画像 pages serve a principal (None: not at all), asked of governance's :class:`Scope`.

    ``personal``: a student or parent (own records, no purpose needed); ``staff``: a school or class grant
    (opens one pupil's profile with a declared purpose); ``summary``: city and district users (aggregates per
    school, school and teacher profiles; never one pupil's).
    """
    scope = Scope.of(home, principal)
    if scope.own_records_only():
        return "personal" if any(g.refs for g in principal.grants) else None
    if scope.person_grants():
        return "staff"
    return "summary" if viewpoint(principal).level in ("city", "district") else None


def may_view_profiles(home: Home, principal: Principal) -> bool:
    """全息画像: students and parents (their own), school staff (their pupils), city and district users."""
    return profile_mode(home, principal) is not None


def may_read_audit(home: Home, principal: Principal) -> bool:
    """审计日志: the roles that read the audit trail (:func:`~edubrain.governance.audit_access.may_read_trail`)."""
    return may_read_trail(principal)


def may_review_identities(home: Home, principal: Principal) -> bool:
    """学籍身份合并: city, district and school staff (:func:`~edubrain.governance.identity_merge.may_review`)."""
    from edubrain.governance.identity_merge import may_review

    return may_review(principal)


def may_view_training(home: Home, principal: Principal) -> bool:
    """培训覆盖: city, district and school staff with a row scope on ``training_coverage``.

    Not a teacher's class grant, students, parents or the public; asked of the governed facade
    (:func:`edubrain.training.may_read_training`).
    """
    from edubrain.training import may_read_training

    return may_read_training(home, principal)


def may_view_at_risk(home: Home, principal: Principal) -> bool:
    """学生发展风险预警: teachers, schools, districts and the city with a row scope on ``student_risk_flags``.

    Never pupils, parents or the public (:func:`edubrain.early_warning.reader_level`); and only once flags have
    been computed (a city without attendance data has none, and shows no link).
    """
    from edubrain.early_warning import flags_computed, reader_level

    return flags_computed(home) and reader_level(home, principal) is not None


def may_view_teaching_items(home: Home, principal: Principal) -> bool:
    """试题分析: city, district and school staff with a row scope on ``exam_item_statistics`` (:mod:`edubrain.teaching`)."""
    from edubrain.teaching import may_read_items

    return may_read_items(home, principal)


def may_view_value_added(home: Home, principal: Principal) -> bool:
    """学校增值评价: city, district and school staff with a row scope on ``school_value_added``."""
    from edubrain.teaching import may_read_value_added

    return may_read_value_added(home, principal)


def may_view_facilities(home: Home, principal: Principal) -> bool:
    """设施与应用: principals whose grants read the school or the district facility indicators (not teachers, the public)."""
    scope = Scope.of(home, principal)
    return any(readable(scope, home.catalog.dataset(d)) for d in ("facility_indicators", "facility_area_indicators"))


def may_view_smart_campus(home: Home, principal: Principal) -> bool:
    """智慧校园达标评定: school, district and city administrators, analysts and auditors (the workflow's readers)."""
    from edubrain.smart_campus import may_use

    return may_use(principal)


def may_view_learning_class(home: Home, principal: Principal) -> bool:
    """班级掌握度: staff whose grants open pupils (a teacher, a school administrator), asked of :mod:`edubrain.learning`."""
    from edubrain.learning import may_view_class

    return may_view_class(home, principal)


def may_view_learning_own(home: Home, principal: Principal) -> bool:
    """我的学习: a student (itself) or a parent (its children), asked of :mod:`edubrain.learning`."""
    from edubrain.learning import may_view_own

    return may_view_own(home, principal)


def may_view_credit_bank(home: Home, principal: Principal) -> bool:
    """我的学分银行: a principal holding the learner role, asked of :mod:`edubrain.credit_bank.service`."""
    from edubrain.credit_bank.service import may_use

    return may_use(principal)


def may_review_credits(home: Home, principal: Principal) -> bool:
    """学分认定: a credit reviewer of an authorised institution, asked of :mod:`edubrain.credit_bank.service`."""
    from edubrain.credit_bank.service import may_review

    return may_review(principal)


def may_view_supervision(home: Home, principal: Principal) -> bool:
    """信用分级分类监管: city and district staff with a row scope on the grades (:mod:`edubrain.supervision`)."""
    from edubrain.supervision import may_supervise

    return may_supervise(home, principal)


def may_view_safety(home: Home, principal: Principal) -> bool:
    """校园安全: school, district and city staff with a row scope on the incidents (:mod:`edubrain.campus_safety`)."""
    from edubrain.campus_safety import may_read_safety

    return may_read_safety(home, principal)


def may_view_public_service(home: Home, principal: Principal) -> bool:
    """接诉即办 work queue and dashboard: district and city staff who read cases (:func:`edubrain.public_service.may_use`)."""
    from edubrain.public_service import may_use

    return may_use(principal)


def no_cockpit_note(principal: Principal | None) -> str:
    """The message key of the cockpit's note for a principal without dashboards: the public's says what it can see."""
    personal = principal is not None and any(role(g.role).scope in PERSONAL_SCOPES for g in principal.grants)
    return "no_cockpit" if personal else "no_cockpit_public"


@dataclass(frozen=True)
class NavItem:
    """One link of the header's navigation.

    Attributes:
        label: Key of the link's text in ``web/messages.py``.
        path: Where it goes.
        rule: Whether a principal may use the page (the route asks the same function).
        also: Further path prefixes that mark the link as the current page.
        tab_of: The path of the entry whose tabs include this page: the header shows this link only to a
            principal who does not see that entry (who reaches the page by its tab).
    """

    label: str
    path: str
    rule: Rule
    also: tuple[str, ...] = ()
    tab_of: str | None = None

    def prefixes(self) -> tuple[str, ...]:
        """The path prefixes of the pages this link stands for."""
        return (self.path, *self.also)


MONITORING_TABS: tuple[NavItem, ...] = (
    NavItem("m1_tab_tree", "/monitoring", may_view_monitoring, ("/monitoring/indicators",)),
    NavItem("m4_title", "/monitoring/cockpit", may_view_monitoring),
    NavItem("nav_facilities", "/monitoring/facilities", may_view_facilities),
    NavItem("nav_training", "/monitoring/training", may_view_training),
    NavItem("nav_smart_campus", "/monitoring/smart-campus", may_view_smart_campus),
)
"""The tabs of the 信息化监测 pages (one header entry, ``nav_monitoring``, stands for all of them)."""


def tab_items(home: Home, principal: Principal | None, path: str) -> list[NavLink]:
    """The 信息化监测 tabs ``principal`` may use on a page under ``/monitoring`` (none elsewhere)."""
    if principal is None or _match("/monitoring", path) < 0:
        return []
    return _links([item for item in MONITORING_TABS if item.rule(home, principal)], path)


NAV: tuple[NavItem, ...] = (
    NavItem("nav_cockpit", "/", may_use_cockpit, ("/district",)),
    NavItem("nav_catalog", "/catalog", may_browse_catalog),
    NavItem("nav_submit", "/submit", may_submit),
    NavItem("nav_data", "/data", may_browse_data),
    NavItem("nav_fitness", "/fitness", may_view_fitness),
    NavItem("nav_my_fitness", "/fitness/mine", may_view_own_fitness),
    NavItem("nav_forecast", "/forecast", may_view_forecast),
    NavItem("nav_monitoring", "/monitoring", may_view_monitoring),
    NavItem("nav_facilities", "/monitoring/facilities", may_view_facilities, tab_of="/monitoring"),
    NavItem("nav_training", "/monitoring/training", may_view_training, tab_of="/monitoring"),
    NavItem("nav_profiles", "/profiles", may_view_profiles),
    NavItem("nav_teaching_items", "/teaching/items", may_view_teaching_items),
    NavItem("nav_value_added", "/teaching/value-added", may_view_value_added, tab_of="/teaching/items"),
    NavItem("nav_at_risk", "/at-risk", may_view_at_risk),
    NavItem("nav_learning_class", "/learning/mastery", may_view_learning_class),
    NavItem("nav_learning_own", "/learning/me", may_view_learning_own),
    NavItem("nav_credit_bank", "/credit-bank", may_view_credit_bank),
    NavItem("nav_credit_queue", "/credit-bank/queue", may_review_credits),
    NavItem("nav_supervision", "/supervision", may_view_supervision),
    NavItem("nav_safety", "/safety", may_view_safety),
    NavItem("nav_public_service", "/service/queue", may_view_public_service, ("/service",)),
    NavItem("nav_identity", "/identity", may_review_identities),
    NavItem("nav_audit", "/audit", may_read_audit),
)
"""The header's links, in order."""


@dataclass(frozen=True)
class NavLink:
    """A link as the template shows it."""

    label: str
    path: str
    on: bool


def _match(prefix: str, path: str) -> int:
    """How well ``prefix`` matches ``path`` (its length; -1 for no match). ``/`` matches only itself."""
    if prefix == "/":
        return 1 if path == "/" else -1
    return len(prefix) if path == prefix or path.startswith(prefix + "/") else -1


def nav_items(home: Home, principal: Principal | None, path: str) -> list[NavLink]:
    """The links ``principal`` may use, the one standing for ``path`` marked ``on`` (the longest prefix wins)."""
    if principal is None:
        return []
    allowed = [item for item in NAV if item.rule(home, principal)]
    paths = {item.path for item in allowed}
    return _links([i for i in allowed if i.tab_of not in paths], path)


def _links(shown: list[NavItem], path: str) -> list[NavLink]:
    """``shown`` as links, the one standing for ``path`` marked ``on`` (the longest prefix wins)."""
    scores = [max(_match(p, path) for p in item.prefixes()) for item in shown]
    best = max(scores, default=-1)
    return [NavLink(i.label, i.path, best >= 0 and s == best) for i, s in zip(shown, scores, strict=True)]
