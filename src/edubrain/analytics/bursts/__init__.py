"""Burst detection on report counts (未诉先办 early warning): Poisson CUSUM and CDC EARS C1/C2/C3.

Pure functions over series × days count matrices (one row per district × topic); every detector is vectorised
over series. Typical use::

    lam0 = weekday_baseline(counts, baseline_days=56)
    cusum = poisson_cusum(counts, lam0, decision_interval=5, start_day=56)
    c2 = ears(counts, "C2")
    score = score_detection(cusum.alarms, truth.start, truth.end, monitor_from=56)

See docs/early-warning-bursts.md.
"""

from edubrain.analytics.bursts.cusum import CusumResult, poisson_cusum, reference_value
from edubrain.analytics.bursts.ears import EarsResult, ears
from edubrain.analytics.bursts.errors import BurstInputError
from edubrain.analytics.bursts.evaluate import DetectionScore, score_detection
from edubrain.analytics.bursts.series import count_matrix, weekday_baseline
from edubrain.analytics.bursts.synthetic import WEEKDAY_FACTORS, SyntheticBursts, synthetic_bursts

__all__ = [
    "WEEKDAY_FACTORS",
    "BurstInputError",
    "CusumResult",
    "DetectionScore",
    "EarsResult",
    "SyntheticBursts",
    "count_matrix",
    "ears",
    "poisson_cusum",
    "reference_value",
    "score_detection",
    "synthetic_bursts",
    "weekday_baseline",
]
