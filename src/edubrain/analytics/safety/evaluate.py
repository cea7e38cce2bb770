"""How the campus safety warnings do on planted patterns: detection, delay (weeks) and false alarms.

Pure: takes the incidents, the schools and the planted truth (``level``, ``org_code``, ``incident_type``,
``start_week``, ``end_week``; the synthetic city writes it) and scores the alarms of
:func:`~edubrain.analytics.safety.warnings.detect` with :func:`~edubrain.analytics.bursts.score_detection`
(a pattern is detected when an alarm falls in ``[start_week, end_week)``; every alarm on a series without a
pattern is a false alarm).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from edubrain.analytics.bursts import DetectionScore, score_detection
from edubrain.analytics.safety.warnings import WarningRule, detect, weekly_matrix


def evaluate_warnings(
    incidents: pl.DataFrame, schools: pl.DataFrame, truth: pl.DataFrame, start: dt.date, weeks: int,
    rule: WarningRule | None = None,
) -> dict[str, DetectionScore]:  # fmt: skip
    """Scores per level (``school``, ``district``) of the detector on ``incidents`` against ``truth``."""
    rule = rule or WarningRule()
    frame = incidents.join(schools.select("school_code", "district_code"), on="school_code", how="left")
    out = {}
    for level, key in (("school", "school_code"), ("district", "district_code")):
        series, matrix = weekly_matrix(frame, [key, "incident_type"], start, weeks)
        planted = truth.filter(pl.col("level") == level).select(
            pl.col("org_code").alias(key), "incident_type", "start_week", "end_week"
        )
        marked = series.join(planted, on=[key, "incident_type"], how="left", maintain_order="left")
        begin = marked["start_week"].fill_null(-1).to_numpy().astype(np.int64)
        end = marked["end_week"].fill_null(-1).to_numpy().astype(np.int64)
        _, _, alarms = detect(matrix, rule)
        out[level] = score_detection(alarms, begin, end, monitor_from=rule.baseline_weeks)
    return out
