"""Fixtures of the report tests: the annual monitoring report's synthetic city, once per database and session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import BACKENDS
from tests.reports.monitoring_city import ReportCity, build


@pytest.fixture(scope="session", params=BACKENDS)
def rcity(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportCity]:
    """Haidian and Yanqing with two school years, monitoring, training and facilities derived (on each database)."""
    yield from build(tmp_path_factory.mktemp("monitoring-report"), request.param)
