"""``edubrain serve`` (the API and web app), ``edubrain push`` and ``edubrain pull`` (exchange with a hub)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import polars as pl
import typer

from edubrain.cli.common import console, home, print_json, t
from edubrain.cli.exchange import print_report
from edubrain.errors import ConfigurationError
from edubrain.exchange.ingest import IngestResult
from edubrain.exchange.nodes import HubClient
from edubrain.exchange.nodes import pull as pull_changes
from edubrain.exchange.report import Problem, SubmissionReport


def register(app: typer.Typer) -> None:
    """Add the commands to app."""
    app.command("serve")(serve)
    app.command("push")(push)
    app.command("pull")(pull)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / address to listen on."),
    port: int = typer.Option(8000, "--port", help="端口 / port."),
    workers: int = typer.Option(1, "--workers", help="工作进程数 / worker processes."),
    keep_alive: int = typer.Option(
        75, "--timeout-keep-alive", help="空闲连接保持秒数 / seconds an idle keep-alive connection is kept."
    ),
    access_log: bool = typer.Option(
        True, "--access-log/--no-access-log", help="逐请求访问日志 / one log line per request."
    ),
) -> None:
    """启动 API 与网页服务 / serve the REST API (/api/v1, /docs) and the web app with uvicorn.

    Idle keep-alive connections are kept 75 s (uvicorn's default is 5 s: a client, or a proxy, reusing a
    connection just as the server closes it gets a reset). --no-access-log drops the per-request log
    line (the request metrics and the audit trail are kept); uvloop and httptools are used when installed.

    Example: EDUBRAIN_HOME=./var edubrain serve --host 0.0.0.0 --port 8000 --workers 2
    """
    import uvicorn

    from edubrain.api.serverlog import uvicorn_log_config

    home().ensure_initialised()
    console.print(
        t(
            f"EduBrain 服务：http://{host}:{port}/（接口文档 /docs）",
            f"EduBrain at http://{host}:{port}/ (API docs at /docs)",
        )
    )
    uvicorn.run(
        "edubrain.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_keep_alive=keep_alive,
        access_log=access_log,
        log_level="info",
        log_config=uvicorn_log_config(),  # access lines without query strings, tracebacks without messages
    )


def _hub(hub: str | None, api_key: str | None) -> HubClient:
    settings = home().settings
    url = hub or settings.hub_url
    key = api_key or (settings.api_key.get_secret_value() if settings.api_key else None)
    if not url or not key:
        missing = "--hub / EDUBRAIN_HUB_URL" if not url else "--api-key / EDUBRAIN_API_KEY"
        raise ConfigurationError(f"缺少 {missing}", f"Missing {missing}")
    return HubClient(url, key)


def push(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV（UTF-8/GBK）、XLSX 或 JSON Lines 文件 / the file."
    ),
    dataset: str = typer.Option(..., "--dataset", "-d", help="数据集 id / dataset id."),
    hub: str = typer.Option(None, "--hub", help="中心地址（默认 EDUBRAIN_HUB_URL） / the hub's URL."),
    api_key: str = typer.Option(
        None, "--api-key", help="本节点的 API 密钥（默认 EDUBRAIN_API_KEY） / this node's key."
    ),
    mode: str = typer.Option("upsert", "--mode", help="upsert | replace-scope"),
    accept_valid: bool = typer.Option(False, "--accept-valid", help="提交有效行，报告其余 / commit the valid rows."),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出完整报告 / print the full report as JSON."),
) -> None:
    """向中心推送一个文件，以 API 密钥所属单位报送 / push a file to the hub as the API key's organisation.

    Exit codes: 0 committed or unchanged, 1 rejected by validation, 2 usage error, 4 the hub refused or is unreachable.

    Example: EDUBRAIN_API_KEY=ebk_… edubrain push 学生.csv --dataset students --hub https://city.edubrain.example
    """
    with _hub(hub, api_key) as client:
        body = client.push(file, dataset, mode=mode, accept_valid=accept_valid)
    if as_json:
        print_json(body)
    else:
        problems = (
            pl.DataFrame(body["problems"], schema=list(Problem.model_fields)) if body["problems"] else pl.DataFrame()
        )
        warnings = (
            pl.DataFrame(body["warnings"], schema=list(Problem.model_fields)) if body["warnings"] else pl.DataFrame()
        )
        print_report(IngestResult(SubmissionReport.model_validate(body["report"]), problems, warnings))
    raise typer.Exit(1 if body["report"]["status"] == "rejected" else 0)


def pull(
    dataset: str = typer.Argument(..., help="数据集 id / dataset id."),
    hub: str = typer.Option(None, "--hub", help="中心地址（默认 EDUBRAIN_HUB_URL） / the hub's URL."),
    api_key: str = typer.Option(
        None, "--api-key", help="本节点的 API 密钥（默认 EDUBRAIN_API_KEY） / this node's key."
    ),
    full: bool = typer.Option(False, "--full", help="重新全量拉取 / pull everything again."),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出 / print JSON."),
) -> None:
    """从中心增量拉取数据集在本节点范围内的变化，更新本地副本 / pull a dataset's changes into the local copy.

    The copy is kept in EDUBRAIN_HOME/mirror/<hub>/<dataset>/rows.parquet with the last version pulled in
    state.json; the next pull asks only for the changes since that version.

    Example: EDUBRAIN_API_KEY=ebk_… edubrain pull students --hub https://city.edubrain.example
    """
    with _hub(hub, api_key) as client:
        result = pull_changes(home().settings.home, client, dataset, full=full)
    if as_json:
        print_json(asdict(result))
        return
    since = t("全量", "full") if result.since is None else str(result.since)
    console.print(
        t(
            f"{dataset}：{since} → 版本 {result.version}，更新 {result.upserts} 行，退出 {result.retired} 行，本地共 {result.rows} 行（{result.path}）",
            f"{dataset}: {since} -> version {result.version}, {result.upserts} upserted, {result.retired} retired, "
            f"{result.rows} rows held ({result.path})",
        )
    )
