"""``edubrain forecast``: school-place demand forecasts (学位预测) and their backtest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import typer
from rich.table import Table

from edubrain.analytics.forecast import ForecastError, compare_scenarios, mape_overview, nces_mape_table, stage_of
from edubrain.analytics.forecast.backtest import METHODS
from edubrain.analytics.forecast.places import CITY
from edubrain.analytics.forecast.reference import NCES_SERIES
from edubrain.analytics.forecast.stages import STAGE_ZH
from edubrain.cli.common import (
    FORMAT_OPTION,
    Col,
    CommandGroup,
    OutputFormat,
    console,
    home,
    print_arrow,
    print_rows,
    t,
)

app = CommandGroup(
    help="学位需求预测与回测 / school-place forecasts and backtests.\n\nExample: edubrain forecast places --district 110108",
    no_args_is_help=True,
)


def _stage(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return stage_of(value)
    except ValueError as exc:
        raise ForecastError(
            f"--stage 应为 primary、junior、senior（或 小学、初中、高中），收到 {value!r}",
            f"--stage must be primary, junior or senior, got {value!r}",
        ) from exc


def _pick(table: pl.DataFrame, district: str | None, stage: str | None) -> pl.DataFrame:
    if district is not None:
        table = table.filter(pl.col("district_code") == district)
    if stage is not None:
        table = table.filter(pl.col("stage") == stage)
    return table


@app.command("places")
def places(
    district: str = typer.Option(
        None, "--district", help="只显示此区（110000 为全市）/ show one district (110000 = city)."
    ),
    stage: str = typer.Option(None, "--stage", help="学段 primary|junior|senior / stage."),
    horizon: int = typer.Option(10, "--horizon", help="预测学年数 1–30 / school years ahead."),
    scenario: Path = typer.Option(None, "--scenario", help="情景文件 YAML/JSON / a scenario file."),
    write: bool = typer.Option(True, "--write/--no-write", help="写入派生数据集 place_forecasts / write the dataset."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """按区、学段预测未来学位需求、缺口与缺口出现年份 / forecast place demand and gaps per district and stage.

    Reads pupils, births and planned places from the lake, forecasts by cohort
    survival with 80%/95% intervals, and replaces the derived datasets
    place_forecasts and place_history (the observed pupils; one lake version each, with lineage)
    unless --no-write.

    Example: edubrain forecast places --district 110108 --stage primary --horizon 10 --scenario births-10.yaml
    """
    from edubrain.jobs.forecast import read_scenario, run_place_forecast

    chosen_stage = _stage(stage)
    scenarios = [read_scenario(scenario)] if scenario is not None else []
    run = run_place_forecast(home(), horizon, scenarios, write=write)
    base = _pick(run.gaps.filter(pl.col("scenario") == "base"), district, chosen_stage)
    if fmt is not OutputFormat.table:
        print_arrow(_pick(run.gaps, district, chosen_stage).to_arrow(), fmt)
        return
    _print_places(base, run.forecasts[0].origin)
    if scenarios:
        other = run.gaps.filter(pl.col("scenario") == scenarios[0].name)
        _print_comparison(
            _pick(compare_scenarios(run.gaps.filter(pl.col("scenario") == "base"), other), district, chosen_stage)
        )
    if run.version is not None:
        done = f"place_forecasts v{run.version}, place_history v{run.history_version}"
        console.print(t(f"已写入 {done}", f"wrote {done}"))


def _print_places(table: pl.DataFrame, origin: int) -> None:
    _print_by_district_stage_year(
        t(f"学位需求预测（基准学年 {origin}；缺口为正即学位不足）", f"Place forecast (origin {origin}; gap > 0 = too few)"),
        [("需求", "demand"), ("80%区间", "80% interval"), ("学位", "places"), ("缺口", "gap"),
         ("缺口概率", "P(gap)"), ("缺口出现", "opens")],
        table,
        lambda row: [
            f"{row['demand']:,.0f}",
            f"{row['lower_80']:,.0f}–{row['upper_80']:,.0f}",
            f"{row['planned_places']:,}",
            f"{row['place_gap']:+,.0f}",
            f"{row['gap_probability']:.0%}",
            "" if row["gap_opens_year"] is None else str(row["gap_opens_year"]),
        ],
    )  # fmt: skip


def _print_comparison(table: pl.DataFrame) -> None:
    _print_by_district_stage_year(
        t("情景与基准对比", "Scenario against the base"),
        [("基准", "base"), ("情景", "scenario"), ("差值", "difference"), ("变化%", "change %")],
        table,
        lambda row: [
            f"{row['base_demand']:,.0f}",
            f"{row['scenario_demand']:,.0f}",
            f"{row['difference']:+,.0f}",
            f"{row['change_pct']:+.1f}",
        ],
    )


def _print_by_district_stage_year(
    title: str,
    columns: list[tuple[str, str]],
    table: pl.DataFrame,
    cells: Callable[[dict[str, Any]], list[str]],
) -> None:
    """Print ``table`` with district, stage and year first, then ``columns`` (zh, en) filled by ``cells(row)``."""
    cols = [Col("district", "区", "district"), Col("stage", "学段", "stage"), Col("year", "学年", "year")]
    cols += [Col(f"c{i}", zh, en, "num") for i, (zh, en) in enumerate(columns)]
    rows = [
        {
            "district": t("全市", "city") if row["district_code"] == CITY else row["district_code"],
            "stage": t(STAGE_ZH[row["stage"]], row["stage"]),
            "year": row["school_year"],
            **{f"c{i}": cell for i, cell in enumerate(cells(row))},
        }
        for row in table.iter_rows(named=True)
    ]
    print_rows(rows, OutputFormat.table, cols, title=title)


@app.command("backtest")
def backtest(
    horizons: int = typer.Option(5, "--horizons", help="评估的最大预测年数 / largest horizon evaluated."),
    district: str = typer.Option(
        None, "--district", help="显示此区的 MAPE（默认全市与各区中位数）/ one district's MAPE."
    ),
    write: bool = typer.Option(True, "--write/--no-write", help="写入派生数据集 place_backtests / write the dataset."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """滚动起点回测：按预测年数的 MAPE，与上年值、线性趋势对照，并列 NCES 公布值 / rolling-origin backtest.

    Prints the mean absolute percentage error by horizon for the cohort method and
    the two baselines, with the NCES published MAPEs beside them (different data:
    U.S. public-school totals), and replaces place_backtests unless --no-write.

    Example: edubrain forecast backtest --horizons 5
    """
    from edubrain.jobs.forecast import run_backtest

    mape, version = run_backtest(home(), horizons, write=write)
    table = mape.filter(pl.col("district_code") == district) if district is not None else mape_overview(mape)
    if fmt is not OutputFormat.table:
        print_arrow(table.to_arrow(), fmt)
    elif district is not None:
        print_arrow(table.with_columns(pl.col(pl.Float64).round(2)).to_arrow(), "table", title=f"MAPE (%) {district}")
    else:
        _print_overview(table)
    if version is not None:
        console.print(t(f"已写入 place_backtests 版本 {version}", f"wrote place_backtests version {version}"))


def _print_overview(overview: pl.DataFrame) -> None:
    """Ours by stage and horizon, the baselines, and the NCES published MAPE beside them."""
    nces = nces_mape_table().filter(pl.col("series") == NCES_SERIES)
    published = dict(zip(nces["horizon"].to_list(), nces["mape"].to_list(), strict=True))
    wide = overview.pivot(on="method", index=["stage", "horizon"], values=["city_mape", "district_median_mape"])
    coverage = overview.filter(pl.col("method") == "cohort").select("stage", "horizon", "district_coverage_80")
    wide = wide.join(coverage, on=["stage", "horizon"])
    view = Table(
        title=t("回测 MAPE（%）：全市合计 / 各区中位数", "Backtest MAPE (%): city total / median of districts")
    )
    for zh, en in [
        ("学段", "stage"),
        ("年数", "horizon"),
        ("队列法", "cohort"),
        ("上年值", "last value"),
        ("线性趋势", "linear trend"),
        ("80%区间覆盖", "80% coverage"),
        ("NCES*", "NCES*"),
    ]:
        view.add_column(t(zh, en), justify="right")
    order = pl.col("stage").replace_strict({s: i for i, s in enumerate(STAGE_ZH)}, return_dtype=pl.Int64)
    for row in wide.sort([order, "horizon"]).iter_rows(named=True):
        cells = [f"{row[f'city_mape_{m}']:.2f} / {row[f'district_median_mape_{m}']:.2f}" for m in METHODS]
        nces_value = published.get(row["horizon"])
        view.add_row(
            t(STAGE_ZH[row["stage"]], row["stage"]),
            str(row["horizon"]),
            *cells,
            f"{row['district_coverage_80']:.0%}",
            "" if nces_value is None else f"{nces_value:.1f}",
        )
    console.print(view)
    console.print(
        t(
            f"* NCES：{NCES_SERIES} 的公布 MAPE，数据不同（美国公立学校全国合计），仅供量级参照。来源：{nces['source'][0]}",
            f"* NCES: published MAPE of {NCES_SERIES}; different data (U.S. national totals), for scale only. "
            f"Source: {nces['source'][0]}",
        )
    )
