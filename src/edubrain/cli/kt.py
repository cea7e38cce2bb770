"""``edubrain kt``: knowledge tracing (知识追踪) — evaluate BKT, PFA and Best-LR on synthetic learners."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import typer

from edubrain.analytics.kt.evaluate import synthetic_report
from edubrain.cli.common import FORMAT_OPTION, Col, CommandGroup, OutputFormat, note, print_json, print_rows, t
from edubrain.synth.learners import bkt_learners, logistic_learners

app = CommandGroup(
    help="知识追踪：掌握度模型（BKT、PFA、Best-LR）的评估 / knowledge tracing: evaluate the mastery models.\n\n"
    "Example: edubrain kt evaluate --learners 500 --skills 4 --folds 1",
    no_args_is_help=True,
)


class Process(StrEnum):
    """Which synthetic learners to evaluate on."""

    bkt = "bkt"
    logistic = "logistic"
    both = "both"


COLUMNS = [
    Col("population", "学生群体", "population"),
    Col("model", "模型", "model"),
    Col("valid_auc", "验证 AUC", "valid AUC", "num"),
    Col("test_auc", "测试 AUC", "test AUC", "num"),
    Col("test_acc", "测试 ACC", "test ACC", "num"),
]


def _rows(reports: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "population": population,
            "model": model,
            "valid_auc": scores["valid"]["auc_mean"],
            "valid_auc_sd": scores["valid"]["auc_sd"],
            "test_auc": scores["test"]["auc_mean"],
            "test_acc": scores["test"]["acc_mean"],
            "winner": report["winner_by_test_auc"] == model,
        }
        for population, report in reports.items()
        for model, scores in report["models"].items()
    ]


@app.command("evaluate")
def evaluate(
    learners: int = typer.Option(2000, "--learners", min=10, help="虚拟学生数 / synthetic learners."),
    skills: int = typer.Option(8, "--skills", min=1, help="知识点数 / knowledge points (skills)."),
    seed: int = typer.Option(0, "--seed", help="随机种子 / seed of the synthetic learners."),
    folds: int = typer.Option(5, "--folds", min=1, max=5, help="运行几折（划分总是五折）/ folds to run, 1–5."),
    restarts: int = typer.Option(5, "--restarts", min=1, help="BKT 拟合的随机起点数 / BKT EM restarts per skill."),
    process: Process = typer.Option(
        Process.both, "--process", help="作答由哪种过程生成 / which process generates the answers."
    ),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """按 pyKT 规程比较 BKT、PFA、Best-LR 的 AUC，并报告 BKT 参数找回误差 / AUC by the pyKT protocol.

    Synthetic learners with known parameters (docs/knowledge-tracing.md); nothing here reads real pupils.

    Example: edubrain kt evaluate --learners 500 --skills 4 --folds 1 --process bkt
    """
    makers = {"bkt": bkt_learners, "logistic": logistic_learners}
    chosen = ["bkt", "logistic"] if process is Process.both else [process.value]
    reports: dict[str, Any] = {}
    for name in chosen:
        synthetic = makers[name](learners, skills, seed=seed, min_opportunities=5, max_opportunities=20)
        reports[name] = synthetic_report(synthetic.answers, synthetic.bkt or None, folds=folds, restarts=restarts)
    if fmt is OutputFormat.json:
        print_json(reports)
        return
    rows = _rows(reports)
    if fmt is OutputFormat.table:  # three decimals: the models differ in the second or third
        rows = [{**row, **{c.key: f"{row[c.key]:.3f}" for c in COLUMNS if c.kind == "num"}} for row in rows]
    print_rows(rows, fmt, COLUMNS, title=t("知识追踪评估（pyKT 规程）", "knowledge tracing (pyKT protocol)"))
    recovery = reports.get("bkt", {}).get("recovery")
    if recovery:
        parts = ", ".join(
            f"{name} {recovery[name]['mean_abs_error']:.3f}/{recovery[name]['max_abs_error']:.3f}"
            for name in ("prior", "learn", "guess", "slip")
        )
        note(t(f"BKT 参数找回误差（平均/最大绝对误差）：{parts}", f"BKT recovery error (mean/max abs): {parts}"), fmt)


def register(parent: typer.Typer) -> None:
    """Add the kt command group to parent."""
    parent.add_typer(app, name="kt")
