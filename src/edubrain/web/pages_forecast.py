"""The 学位预测 page: the district map of the place gap, a fan chart per district and stage, the backtest table.

It shows the derived datasets ``place_forecasts``, ``place_history`` (the
observed pupils: the fan chart's history line) and ``place_backtests``
(written by ``edubrain forecast places`` / ``edubrain forecast backtest``),
read through :func:`~edubrain.governance.readpath.read_dataset`; all are
aggregates per district, shared unconditionally, so one read per lake version
serves every reader (:func:`~edubrain.web.cockpit.shared_read`) and the page
narrows it to the user's scope: the city sees every district and the city
total (``110000``), a district only itself. Schools and persons get 403.
The page never reads the students table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import polars as pl
from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.analytics.forecast import nces_mape_table
from edubrain.analytics.forecast.backtest import METHODS, MIN_ORIGINS, history_years_needed, origin_years
from edubrain.analytics.forecast.reference import NCES_MAPE, NCES_SERIES
from edubrain.analytics.forecast.stages import STAGE_CODES
from edubrain.governance.readpath import AccessDenied
from edubrain.home import Home
from edubrain.web.cockpit import derived_cache, shared_read, viewpoint
from edubrain.web.messages import t
from edubrain.web.navigation import may_view_forecast
from edubrain.web.render import NotFound, Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
CITY = "110000"
INPUTS = ("students", "births", "schools")
STAGE_OF_CODE = {code: stage for stage, code in STAGE_CODES.items()}


def _read(page: Page, dataset_id: str) -> pl.DataFrame | None:
    """All rows of a derived forecast dataset (None when it has not been computed)."""
    if page.home.lake.version(dataset_id) is None:
        return None
    result = shared_read(derived_cache(page.request.app.state), page.home, page.principal, dataset_id)
    frame = pl.from_arrow(result.table)
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.col("stage").replace_strict(STAGE_OF_CODE, default=pl.col("stage")))


def _history(page: Page) -> pl.DataFrame:
    """Observed pupils per district (and city), stage and school year (``place_history``); empty before a run."""
    history = _read(page, "place_history")
    if history is None:
        return pl.DataFrame(
            schema={"district_code": pl.String, "stage": pl.String, "school_year": pl.Int64, "students": pl.Int64}
        )
    return history


def _stale(home: Home) -> tuple[str, str] | None:
    """The input versions the forecast was computed from and the current ones, when they differ."""
    history = home.lake.history("place_forecasts")
    used = json.loads(history[0].get("edubrain.lineage") or "{}").get("inputs", {}) if history else {}
    now = {name: home.lake.version(name) for name in INPUTS}
    if not used or all(used.get(name) == now[name] for name in INPUTS):
        return None
    old, new = (", ".join(f"{n} v{v.get(n)}" for n in INPUTS) for v in (used, now))
    return old, new


def _fan(forecasts: pl.DataFrame, history: pl.DataFrame, district: str, stage: str) -> dict[str, Any]:
    """The fan chart of one district (or the city) and stage: history line, forecast, 80% and 95% bands."""
    rows = forecasts.filter((pl.col("district_code") == district) & (pl.col("stage") == stage)).sort("school_year")
    past = history.filter((pl.col("district_code") == district) & (pl.col("stage") == stage)).sort("school_year")
    fan: dict[str, Any] = {c: rows.get_column(c).to_list() for c in ("school_year", "demand", "lower_80", "upper_80")}
    fan.update({c: rows.get_column(c).to_list() for c in ("lower_95", "upper_95")})
    fan["planned_places"] = rows.get_column("planned_places")[0] if rows.height else None
    fan["history"] = {
        "school_year": past.get_column("school_year").to_list(),
        "students": past.get_column("students").to_list(),
    }
    return fan


def _backtest(backtests: pl.DataFrame | None, district: str, stage: str) -> list[dict[str, Any]]:
    """MAPE by horizon of the cohort method and the two baselines, with coverage and NCES's published figure."""
    if backtests is None:
        return []
    rows = backtests.filter((pl.col("district_code") == district) & (pl.col("stage") == stage))
    nces = dict(nces_mape_table().filter(pl.col("series") == NCES_SERIES).select("horizon", "mape").iter_rows())
    out = []
    for horizon in sorted(rows.get_column("horizon").unique().to_list()):
        at = rows.filter(pl.col("horizon") == horizon)
        by = {r["method"]: r for r in at.iter_rows(named=True)}
        cohort = by.get("cohort", {})
        out.append(
            {
                "horizon": horizon,
                **{m: by[m]["mape"] if m in by else None for m in METHODS},
                "coverage_80": cohort.get("coverage_80"),
                "forecasts": cohort.get("forecasts"),
                "few_origins": (cohort.get("forecasts") or 0) < MIN_ORIGINS,
                "nces": nces.get(horizon),
            }
        )
    return out


def _origins_note(history: pl.DataFrame, backtest: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The backtest's origin years, the history they come from, and the history five origins would need.

    The origins are those :func:`~edubrain.analytics.forecast.backtest.backtest_forecasts` uses for the
    observed school years of ``place_history``; None before a backtest or a history.
    """
    years = sorted(history.get_column("school_year").unique().to_list())
    origins = origin_years(years)
    if not backtest or not origins:
        return None
    shown = str(origins[0]) if len(origins) == 1 else f"{origins[0]}–{origins[-1]}"
    return {
        "origins": shown,
        "count": len(origins),
        "first": years[0],
        "last": years[-1],
        "years": len(years),
        "need1": history_years_needed(1),
        "need5": history_years_needed(5),
        "few": any(r["few_origins"] for r in backtest),
    }


@router.get("/forecast")
def forecast_page(
    request: Request,
    stage: str = "primary",
    year: int | None = None,
    district: str | None = None,
    scenario: str = "base",
) -> Response:
    """学位预测 for the city (every district) or a district (itself): gap map, fan chart, backtest."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    view = viewpoint(page.principal)
    if not may_view_forecast(page.home, page.principal) or view.org_code is None:
        return page.error(AccessDenied(t("forecast_forbidden", "zh"), t("forecast_forbidden", "en")), 403)
    forecasts = _read(page, "place_forecasts")
    if forecasts is None:
        return page.render("forecast.html", missing=True)
    mine = forecasts if view.level == "city" else forecasts.filter(pl.col("district_code") == view.org_code)
    choice = _choose(mine, stage, year, district or (CITY if view.level == "city" else view.org_code), scenario)
    if choice.district not in set(mine.get_column("district_code")):
        if choice.district in set(forecasts.get_column("district_code")):
            return page.error(out_of_scope(), 403)
        return page.error(NotFound(f"没有区 {choice.district}", f"No district {choice.district}"), 404)
    return page.render("forecast.html", **_context(page, mine, choice))


@dataclass(frozen=True)
class Choice:
    """What the page shows: a scenario, a stage, a forecast year and the district of the fan chart."""

    scenario: str
    scenarios: list[str]
    stage: str
    year: int
    years: list[int]
    district: str


def _choose(mine: pl.DataFrame, stage: str, year: int | None, district: str, scenario: str) -> Choice:
    """The valid choice nearest the request: base scenario, primary, five years ahead by default."""
    scenarios = sorted(mine.get_column("scenario").unique().to_list(), key=lambda s: (s != "base", s))
    scenario = scenario if scenario in scenarios else scenarios[0]
    years = sorted(mine.filter(pl.col("scenario") == scenario).get_column("school_year").unique().to_list())
    year = year if year is not None and year in years else int(years[min(4, len(years) - 1)])
    return Choice(scenario, scenarios, stage if stage in STAGE_CODES else "primary", year, years, district)


def _context(page: Page, mine: pl.DataFrame, choice: Choice) -> dict[str, Any]:
    """The page's context: the gaps of the chosen stage and year, the chart data, the backtest table."""
    cache = derived_cache(page.request.app.state)
    history = _history(page)
    stale = cache.get(page.home, ("place_forecasts", *INPUTS), ("forecast-lineage",), lambda: _stale(page.home))
    names = {c.code: (c.zh, c.en) for c in page.home.catalog.code_table("district").codes}
    chosen = mine.filter(pl.col("scenario") == choice.scenario)
    gaps = chosen.filter((pl.col("stage") == choice.stage) & (pl.col("school_year") == choice.year))
    gaps = gaps.sort(pl.col("district_code") == CITY, "district_code")
    backtests = _read(page, "place_backtests")
    backtest = _backtest(backtests, choice.district, choice.stage)
    return {
        "missing": False,
        "stage": choice.stage,
        "stages": list(STAGE_CODES),
        "year": choice.year,
        "years": choice.years,
        "scenario": choice.scenario,
        "scenarios": choice.scenarios,
        "district": choice.district,
        "districts": sorted(set(chosen.get_column("district_code")), key=lambda c: (c != CITY, c)),
        "names": names,
        "gaps": gaps.to_dicts(),
        "origin": chosen.get_column("origin_year")[0],
        "chart": _chart(page, gaps, _fan(chosen, history, choice.district, choice.stage), choice, names),
        "backtest": backtest,
        "origins_note": _origins_note(history, backtest),
        "backtest_missing": backtests is None,
        "nces_source": NCES_MAPE[NCES_SERIES][1],
        "stale": stale,
    }


def _chart(
    page: Page, gaps: pl.DataFrame, fan: dict[str, Any], choice: Choice, names: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    """What ``forecast.js`` draws: the gap per district (GeoJSON names), the fan chart, the labels."""
    labels = ("place_gap", "demand", "planned_places", "interval_80", "interval_95", "history_line", "gap_probability")
    shown = ("place_gap", "demand", "planned_places", "gap_probability")
    return {
        "labels": {k: page.t(k) for k in labels},
        "map": [
            {"name": names[r["district_code"]][0], "code": r["district_code"], "value": r["place_gap"]}
            | {k: r[k] for k in shown[1:]}
            for r in gaps.iter_rows(named=True)
            if r["district_code"] != CITY and r["district_code"] in names
        ],
        "fan": fan,
        "link": {"stage": choice.stage, "year": choice.year, "scenario": choice.scenario},
    }
