"""``edubrain synth``: generate a synthetic Beijing, or load one through the exchange."""

from __future__ import annotations

import os
import time
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from edubrain.cli.common import console, home, t
from edubrain.synth.config import REFERENCE_YEAR, SynthConfig
from edubrain.synth.load import LoadMode, LoadSummary, load_city, read_manifest


def register(app: typer.Typer) -> None:
    """Add the synth command to app."""
    app.command("synth")(synth)


def synth(
    scale: float = typer.Option(0.01, "--scale", help="规模，1.0 为全市 / 1.0 is the whole city."),
    seed: int = typer.Option(20250901, "--seed", help="随机种子 / random seed."),
    years: int = typer.Option(5, "--years", help="历史学年数 / school years of history."),
    end_year: int = typer.Option(REFERENCE_YEAR, "--end-year", help="最后一个学年（2025 即 2025-2026）/ last year."),
    out: Path = typer.Option(Path("synth-city"), "--out", "-o", help="输出目录 / output folder."),
    dirty: float = typer.Option(0.0, "--dirty", help="注入错误的文件比例 / share of files given a mistake."),
    districts: str = typer.Option(None, "--districts", help="只生成这些区，逗号分隔 / only these districts."),
    workers: int = typer.Option(min(2, os.cpu_count() or 1), "--workers", help="生成进程数 / processes."),
    load: Path = typer.Option(None, "--load", help="提交已生成的城市目录 / submit a generated city."),
    bulk: bool = typer.Option(False, "--bulk", help="各区合并提交学校文件 / one file per district and dataset."),
    as_city: bool = typer.Option(False, "--as-city", help="全市合并提交（测量用）/ one file per dataset (measuring)."),
) -> None:
    """生成可复现的合成北京教育数据，或通过数据交换提交 / generate a synthetic Beijing, or load one.

    Examples: edubrain synth --scale 0.1 --seed 7 -o city, then edubrain synth --load city.
    """
    if load is not None:
        _load(load, "city" if as_city else "bulk" if bulk else "per-school")
        return
    from edubrain.synth.generate import generate

    chosen = tuple(d.strip() for d in districts.split(",")) if districts else None
    config = SynthConfig(scale=scale, seed=seed, years=years, end_year=end_year, out=out, dirty=dirty, districts=chosen)
    try:
        config.check()
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    started = time.perf_counter()
    total = len(chosen) if chosen else 16
    with _bar(t("生成", "generating")) as bar:
        task = bar.add_task("", total=total)
        manifest = generate(config, progress=lambda code, n: bar.advance(task), workers=workers)
    seconds, rows = time.perf_counter() - started, int(manifest["rows"].sum())
    console.print(
        t(
            f"已生成 {manifest.height} 个文件、{rows:,} 行，用时 {seconds:.0f} 秒：{out}",
            f"Wrote {manifest.height} files, {rows:,} rows in {seconds:.0f} s: {out}",
        )
    )


def _bar(label: str) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console)


def _load(root: Path, mode: LoadMode) -> None:
    manifest = read_manifest(root)
    started = time.perf_counter()
    with _bar(t("提交", "loading")) as bar:
        task = bar.add_task("", total=manifest.height)
        summary = load_city(home(), root, mode, step=lambda entry, status, n: bar.advance(task, n))
    _print_summary(summary, time.perf_counter() - started)
    raise typer.Exit(1 if summary.rejected else 0)


def _print_summary(summary: LoadSummary, seconds: float) -> None:
    view = Table(
        title=t(
            f"提交完成：{summary.files} 批，{summary.rows:,} 行，{seconds:.0f} 秒",
            f"Loaded {summary.files} batches, {summary.rows:,} rows in {seconds:.0f} s",
        )
    )
    for col in (t("数据集", "dataset"), t("问题", "problems"), t("用时（秒）", "seconds")):
        view.add_column(col)
    for dataset, secs in summary.seconds.items():
        view.add_row(dataset, str(summary.problems.get(dataset, 0)), f"{secs:.1f}")
    console.print(view)
    console.print(", ".join(f"{k}: {v}" for k, v in sorted(summary.by_status.items())))
    if summary.rejected:
        first = summary.rejected[0]
        console.print(
            t(
                f"[red]被拒绝的文件 {len(summary.rejected)} 个[/red]，如 {first}",
                f"[red]{len(summary.rejected)} files rejected[/red], e.g. {first}",
            )
        )
