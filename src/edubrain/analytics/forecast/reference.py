"""Published accuracy of NCES enrollment projections, to set our backtest beside (different data!).

The U.S. National Center for Education Statistics publishes, in the
appendix of each edition of *Projections of Education Statistics*, the mean
absolute percentage error of its past editions' projections by lead time.
These are errors for U.S. public schools (national and state totals of
millions of pupils, projected by a grade-progression method from the
Common Core of Data); ours are errors of district totals of a city, here
the synthetic one. They are shown side by side for scale only.
"""

from __future__ import annotations

import polars as pl

_NCES_2022 = (
    "NCES, Projections of Education Statistics to 2022 (41st ed., NCES 2014-051), Table A-7, "
    "United States row: MAPEs for projected preK-12 public school enrollment, by lead time (2013)"
)
_NCES_2019 = (
    "NCES, Projections of Education Statistics to 2019 (38th ed., NCES 2011-017), Table A-7: "
    "MAPEs by lead time for 9-12 enrollment in public schools, by state (2010); "
    "https://nces.ed.gov/programs/projections/projections2019/tables/table_A07.asp"
)

NCES_SERIES = "United States, public preK-12"
"""The NCES series shown beside our backtest by default (the total of all grades, like a city total)."""

NCES_MAPE: dict[str, tuple[tuple[float, ...], str]] = {
    "United States, public preK-12": ((0.3, 0.6, 0.8, 1.1, 1.3), _NCES_2022),
    "United States, public grades 9-12": ((0.4, 0.7, 0.9, 1.1, 1.3), _NCES_2019),
    "New York State, public grades 9-12": ((0.7, 1.3, 1.4, 1.8, 2.4), _NCES_2019),
    "Michigan, public grades 9-12": ((1.7, 3.0, 3.7, 4.4, 5.5), _NCES_2019),
}
"""Published MAPE (%) at lead times 1–5 years, and the table each comes from."""


def nces_mape_table() -> pl.DataFrame:
    """The published NCES MAPEs as a long table: series, horizon, mape (%), source."""
    rows = [
        {"series": series, "horizon": h, "mape": value, "source": source}
        for series, (values, source) in NCES_MAPE.items()
        for h, value in enumerate(values, start=1)
    ]
    return pl.DataFrame(rows)
