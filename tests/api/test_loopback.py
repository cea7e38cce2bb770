"""Two EduBrain instances on loopback: a district node pushes to the city hub and pulls from it, via the CLI."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from edubrain.api.app import create_app
from edubrain.catalog import get_catalog
from edubrain.cli import app as cli
from edubrain.config import Settings
from edubrain.errors import EduBrainError
from edubrain.home import Home
from tests.api.conftest import ApiCity, populate
from tests.conftest import student_rows, write_csv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ApiCity]]:
    folder = tmp_path_factory.mktemp("hub")
    city = populate(Home(Settings(home=folder / "home"), get_catalog()), folder)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(city.home), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}", city
    server.should_exit = True
    thread.join(10)
    city.home.engine.dispose()


def _edubrain(node: Path, key: str, *args: str) -> tuple[int, str]:
    env = {"EDUBRAIN_HOME": str(node), "EDUBRAIN_API_KEY": key, "EDUBRAIN_LANG": "en"}
    result = CliRunner().invoke(cli, list(args), env=env)
    if isinstance(result.exception, EduBrainError):  # what edubrain.cli.main turns into one line and an exit code
        return result.exception.exit_code, result.exception.en
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_loopback_push_then_incremental_pull_through_the_cli(hub: tuple[str, ApiCity], tmp_path: Path) -> None:
    url, city = hub
    node = tmp_path / "node"
    assert _edubrain(node, city.node_key, "init")[0] == 0
    code, out = _edubrain(node, city.node_key, "pull", "students", "--hub", url, "--json")
    first = json.loads(out)
    assert code == 0 and (first["since"], first["upserts"], first["rows"]) == (None, 7, 7)
    roster = write_csv(tmp_path / "学生.csv", student_rows(2, start=200), encoding="gbk")
    code, out = _edubrain(node, city.node_key, "push", str(roster), "--dataset", "students", "--hub", url)
    assert code == 0 and "Committed as version 2" in out
    code, out = _edubrain(node, city.node_key, "pull", "students", "--hub", url, "--json")
    second = json.loads(out)
    assert (second["since"], second["version"], second["upserts"], second["retired"], second["rows"]) == (1, 2, 2, 0, 9)
    state = json.loads((Path(second["path"]).parent / "state.json").read_text(encoding="utf-8"))
    assert state["version"] == 2 and state["hub"] == url


def test_loopback_a_rejected_push_exits_one_and_a_bad_key_exits_four(hub: tuple[str, ApiCity], tmp_path: Path) -> None:
    url, city = hub
    bad = write_csv(tmp_path / "bad.csv", student_rows(1, "1101059999", "C2025A", 300))
    code, out = _edubrain(tmp_path, city.node_key, "push", str(bad), "-d", "students", "--hub", url)
    assert code == 1 and "Rejected" in out
    code, message = _edubrain(tmp_path, "ebk_wrong", "pull", "students", "--hub", url)
    assert code == 4 and "API key is invalid" in message


def test_loopback_missing_hub_is_a_configuration_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["pull", "students"], env={"EDUBRAIN_HOME": str(tmp_path), "EDUBRAIN_API_KEY": "ebk_x"}
    )
    assert "EDUBRAIN_HUB_URL" in str(result.exception)
