"""未诉先办: bursts of cases per district and topic, found by the Poisson CUSUM and EARS C2 on daily counts.

The counts come from :func:`edubrain.governance.public_service_stats.daily_counts` (the reader's scope only). For
every district × category series, the first ``baseline_days`` of the window give the in-control rate by weekday
(:func:`~edubrain.analytics.bursts.weekday_baseline`); the CUSUM (Lucas 1985; h = 5, a shift of 2 SD) and EARS C2
(CDC; threshold 3) then run over the rest. A series that alarmed in the last ``recent_days`` is an alert, with the
link to the cases behind it. See docs/early-warning-bursts.md and docs/public-service.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.analytics.bursts import ears, poisson_cusum, weekday_baseline
from edubrain.governance.identity import Principal
from edubrain.governance.public_service_stats import daily_counts
from edubrain.home import Home

WINDOW_DAYS = 84
BASELINE_DAYS = 56
RECENT_DAYS = 7


@dataclass(frozen=True)
class BurstAlert:
    """A district × category whose count rose above its usual level recently.

    Attributes:
        district_code: The district.
        category: The case category (``triage`` for cases not yet classified).
        first_alarm: The first alarm day inside the recent days (Beijing date).
        methods: Which detectors alarmed (``cusum``, ``ears_c2``).
        recent_cases: Cases in the recent days.
        expected: Cases the baseline expects over the same days.
    """

    district_code: str
    category: str
    first_alarm: dt.date
    methods: tuple[str, ...]
    recent_cases: int
    expected: float

    @property
    def since(self) -> dt.date:
        """Where the list of cases behind the alert starts."""
        return self.first_alarm - dt.timedelta(days=RECENT_DAYS)


def burst_alerts(
    home: Home, principal: Principal, today: dt.date | None = None, *, window_days: int = WINDOW_DAYS,
    baseline_days: int = BASELINE_DAYS, recent_days: int = RECENT_DAYS,
) -> list[BurstAlert]:  # fmt: skip
    """The burst alerts of the principal's districts for the ``recent_days`` up to ``today`` (Beijing date)."""
    end = today or dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    start = end - dt.timedelta(days=window_days - 1)
    counts = daily_counts(home, principal, start, end)
    if counts.is_empty():
        return []
    wide = counts.pivot(on="day", index=["district_code", "category"], values="n", sort_columns=True)
    matrix = wide.drop("district_code", "category").to_numpy().astype(np.float64)
    lam0 = weekday_baseline(matrix, baseline_days, first_weekday=start.weekday())
    cusum = poisson_cusum(matrix, lam0, start_day=baseline_days).alarms
    c2 = ears(matrix, "C2").alarms
    recent = slice(window_days - recent_days, window_days)
    alerts = []
    for i, (district, category) in enumerate(wide.select("district_code", "category").iter_rows()):
        hits = {"cusum": cusum[i, recent], "ears_c2": c2[i, recent]}
        fired = tuple(name for name, row in hits.items() if row.any())
        if not fired:
            continue
        first = int(np.argmax(cusum[i, recent] | c2[i, recent]))
        alerts.append(BurstAlert(
            district, category, end - dt.timedelta(days=recent_days - 1 - first), fired,
            int(matrix[i, recent].sum()), round(float(lam0[i, recent].sum()), 1),
        ))  # fmt: skip
    return sorted(alerts, key=lambda a: (-a.recent_cases / max(a.expected, 0.1), a.district_code, a.category))


def counts_frame(home: Home, principal: Principal, start: dt.date, end: dt.date) -> pl.DataFrame:
    """The daily counts behind the alerts (district, category, day, n), for a chart or a download."""
    return daily_counts(home, principal, start, end)
