"""Exchange between two EduBrain instances: a node pushes to a hub and keeps a copy of what the hub shares.

A node (a district's EduBrain) pushes batches to a hub (the city's) and keeps
a local copy of what the hub shares with it, pulled incrementally.

The node authenticates with an API key the hub issued (``edubrain token create``);
the hub decides the node's scope and clearance. A pull asks for the changes
since the last version pulled (``GET /api/v1/exchange/{dataset}/changes``) and
applies them to the local copy by row key (``_key``): upserts replace or add
rows, retirements remove them. The copy lives under
``EDUBRAIN_HOME/mirror/<hub>/<dataset>/`` as ``rows.parquet`` with
``state.json`` (the hub, the dataset and the last version pulled); both are
replaced atomically, data first, so an interrupted pull is simply repeated.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import polars as pl

from edubrain.errors import EduBrainError
from edubrain.governance.readpath import ROW_KEY

OP = "_op"
"""Column of a change: ``upsert`` (a full row) or ``retire`` (only ``_key``)."""
VERSION_HEADER = "X-EduBrain-Version"
"""Response header: the hub version the changes bring the copy to (``none`` if the table has no version)."""
SINCE_HEADER = "X-EduBrain-Since"
"""Response header: the version the changes start from (``none`` for a full copy)."""
NO_VERSION = "none"
API = "/api/v1"


class HubError(EduBrainError):
    """The hub refused a request or could not be reached."""

    exit_code = 4
    code = "hub_error"


@dataclass(frozen=True)
class Changes:
    """What the hub sent for one pull: upserts and retirements (``_op``), keyed by ``_key``."""

    dataset: str
    since: int | None
    version: int | None
    rows: pl.DataFrame


@dataclass(frozen=True)
class PullResult:
    """What one pull did to the local copy."""

    dataset: str
    hub: str
    since: int | None
    version: int | None
    upserts: int
    retired: int
    rows: int
    path: str


class HubClient:
    """A client of a hub's node exchange.

    Args:
        hub_url: The hub's base URL (``https://edubrain.example``).
        api_key: This node's API key at the hub (``ebk_…``).
        timeout: Seconds to wait for the hub (uploads of large files take a while).
        client: An ``httpx.Client`` to use instead of a new one (tests pass an in-process client).

    Example:
        >>> with HubClient("http://127.0.0.1:8000", "ebk_…") as hub:  # doctest: +SKIP
        ...     hub.push(Path("学生.csv"), "students")
    """

    def __init__(
        self, hub_url: str, api_key: str, *, timeout: float = 300.0, client: httpx.Client | None = None
    ) -> None:
        self.hub_url = hub_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._own = client is None
        self._client = client or httpx.Client(base_url=self.hub_url, timeout=timeout)

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (unless the client was passed in)."""
        if self._own:
            self._client.close()

    def push(self, path: Path, dataset: str, *, mode: str = "upsert", accept_valid: bool = False) -> dict[str, Any]:
        """Push ``path`` to ``dataset`` at the hub; returns the validation report (``report``, ``problems`` …)."""
        with path.open("rb") as handle:
            response = self._send(
                "POST", f"{API}/exchange/{dataset}/batches",
                files={"file": (path.name, handle)}, data={"mode": mode, "accept_valid": str(accept_valid).lower()},
            )  # fmt: skip
        body: dict[str, Any] = response.json()
        return body

    def changes(self, dataset: str, since: int | None) -> Changes:
        """The changes of ``dataset`` since version ``since`` (None: everything in the node's scope)."""
        params = {"format": "parquet", **({"since": str(since)} if since is not None else {})}
        response = self._send("GET", f"{API}/exchange/{dataset}/changes", params=params)
        version = response.headers.get(VERSION_HEADER, NO_VERSION)
        rows = pl.read_parquet(io.BytesIO(response.content))
        return Changes(dataset, since, None if version == NO_VERSION else int(version), rows)

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(method, url, headers=self._headers, **kwargs)
        except httpx.HTTPError as exc:
            raise HubError(
                f"无法连接中心 {self.hub_url}：{exc}", f"Cannot reach the hub {self.hub_url}: {exc}", hub=self.hub_url
            ) from exc
        if response.status_code >= 400:
            raise _hub_error(response, self.hub_url)
        return response


def _hub_error(response: httpx.Response, hub: str) -> HubError:
    try:
        error = response.json()["error"]
        zh, en, details = error["message_zh"], error["message_en"], error.get("details") or {}
        return HubError(
            f"中心拒绝了请求：{zh}",
            f"The hub refused: {en}",
            status=response.status_code,
            hub_code=error["code"],
            **details,
        )
    except (ValueError, KeyError, TypeError):
        text = response.text[:200]
        return HubError(
            f"中心返回 HTTP {response.status_code}：{text}", f"The hub answered HTTP {response.status_code}: {text}",
            status=response.status_code,
        )  # fmt: skip


class Mirror:
    """The local copy of one dataset of one hub, as the hub shares it with this node.

    Args:
        home_dir: The node's ``EDUBRAIN_HOME``.
        hub_url: The hub's base URL (names the folder).
        dataset: The dataset id.
    """

    def __init__(self, home_dir: Path, hub_url: str, dataset: str) -> None:
        parts = urlsplit(hub_url)
        hub = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{parts.netloc}{parts.path}".strip("/")) or "hub"
        self.folder = home_dir / "mirror" / hub / dataset
        self.hub_url = hub_url
        self.dataset = dataset

    @property
    def rows_path(self) -> Path:
        """The rows of the copy (Parquet)."""
        return self.folder / "rows.parquet"

    @property
    def state_path(self) -> Path:
        """The state of the copy (JSON): hub, dataset, version, pulled_at, rows."""
        return self.folder / "state.json"

    def version(self) -> int | None:
        """The last hub version pulled, or None if nothing was pulled yet."""
        if not self.state_path.exists():
            return None
        version = json.loads(self.state_path.read_text(encoding="utf-8")).get("version")
        return None if version is None else int(version)

    def read(self) -> pl.DataFrame:
        """The rows of the copy (empty if none)."""
        return (
            pl.read_parquet(self.rows_path)
            if self.rows_path.exists()
            else pl.DataFrame({ROW_KEY: []}, schema={ROW_KEY: pl.String})
        )

    def apply(self, changes: Changes, *, full: bool) -> PullResult:
        """Apply ``changes`` by row key (a full pull replaces the copy) and record the version pulled."""
        upserts = changes.rows.filter(pl.col(OP) == "upsert").drop(OP)
        gone = changes.rows.filter(pl.col(OP) == "retire").get_column(ROW_KEY)
        current = upserts.clear() if full else self.read()
        touched = pl.concat([upserts.get_column(ROW_KEY), gone])
        rows = pl.concat([current.filter(~pl.col(ROW_KEY).is_in(touched)), upserts], how="diagonal_relaxed")
        self.folder.mkdir(parents=True, exist_ok=True)
        _replace(self.rows_path, lambda p: rows.write_parquet(p))
        state = {"hub": self.hub_url, "dataset": self.dataset, "version": changes.version, "rows": rows.height,
                 "pulled_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}  # fmt: skip
        _replace(
            self.state_path, lambda p: p.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
        )
        return PullResult(
            self.dataset,
            self.hub_url,
            changes.since,
            changes.version,
            upserts.height,
            gone.len(),
            rows.height,
            str(self.rows_path),
        )


def _replace(path: Path, write: Any) -> None:
    """Write through a temporary file, then rename it over ``path`` (atomic on POSIX)."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    write(temporary)
    os.replace(temporary, path)


def pull(home_dir: Path, hub: HubClient, dataset: str, *, full: bool = False) -> PullResult:
    """Bring the local copy of ``dataset`` up to the hub's current version (``full``: start over).

    Raises:
        HubError: the hub refused (e.g. the version held is unknown to it: pull with ``full``) or is unreachable.
    """
    mirror = Mirror(home_dir, hub.hub_url, dataset)
    since = None if full else mirror.version()
    changes = hub.changes(dataset, since)
    return mirror.apply(changes, full=since is None)


__all__ = ["Changes", "HubClient", "HubError", "Mirror", "PullResult", "pull"]
