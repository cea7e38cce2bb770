"""``edubrain serve``: the production server settings it passes to uvicorn (keep-alive, access log, workers)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import uvicorn

from edubrain.cli import server
from edubrain.home import Home


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, home: Home) -> dict[str, Any]:
    """What ``serve`` hands to ``uvicorn.run`` (the server is not started)."""
    monkeypatch.setenv("EDUBRAIN_HOME", str(home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", str(home.settings.resolved_database_url))
    got: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: got.update(app=app, **kwargs))
    return got


def test_serve_keeps_idle_connections_longer_than_a_users_pause(served: dict[str, Any]) -> None:
    """uvicorn's 5 s default resets a connection a client reuses as it closes; serve keeps it 75 s."""
    server.serve(host="127.0.0.1", port=8000, workers=2, keep_alive=75, access_log=True)
    assert served["timeout_keep_alive"] == 75
    assert served["workers"] == 2
    assert served["access_log"] is True
    assert served["factory"] is True and served["app"] == "edubrain.api.app:create_app"


def test_serve_access_log_can_be_switched_off(served: dict[str, Any]) -> None:
    server.serve(host="127.0.0.1", port=8000, workers=1, keep_alive=30, access_log=False)
    assert served["access_log"] is False
    assert served["timeout_keep_alive"] == 30


def test_serve_defaults_are_the_documented_ones() -> None:
    """The typer defaults: one worker, 75 s keep-alive, access log on."""

    params = inspect.signature(server.serve).parameters
    defaults = {name: getattr(p.default, "default", p.default) for name, p in params.items()}
    assert defaults["keep_alive"] == 75
    assert defaults["access_log"] is True
    assert defaults["workers"] == 1
