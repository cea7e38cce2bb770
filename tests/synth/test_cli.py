"""``edubrain synth``: generate, then load, through the command line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import typer
from typer.testing import CliRunner

from edubrain.cli import synth
from edubrain.home import Home


def _app() -> typer.Typer:
    app = typer.Typer()
    synth.register(app)
    app.command("noop")(lambda: None)  # a second command keeps typer from collapsing to one
    return app


def test_synth_generates_then_loads(home: Home, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "city"
    runner = CliRunner()
    made = runner.invoke(_app(), ["synth", "--scale", "0.005", "--years", "1", "--districts", "110119", "-o", str(out)])
    assert made.exit_code == 0, made.output
    manifest = pl.read_csv(out / "manifest.csv")
    assert manifest.height > 5
    monkeypatch.setattr(synth, "home", lambda: home)
    loaded = runner.invoke(_app(), ["synth", "--load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    assert "committed" in loaded.output


def test_synth_rejects_a_bad_scale(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["synth", "--scale", "5", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
