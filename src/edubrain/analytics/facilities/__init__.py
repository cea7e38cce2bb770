"""Campus IoT facilities, application usage and satisfaction: device months, indicators and their suppression.

Pure transforms (engine-neutral Ibis expressions and one polars step over a
small aggregate); the job :mod:`edubrain.jobs.facilities` reads the lake and
writes the results. Definitions are in ``docs/facilities.md``.
"""

from edubrain.analytics.facilities.devices import device_months_expr, month_of
from edubrain.analytics.facilities.indicators import INDICATORS, indicators_expr
from edubrain.analytics.facilities.suppression import suppress_small_cells

__all__ = ["INDICATORS", "device_months_expr", "indicators_expr", "month_of", "suppress_small_cells"]
