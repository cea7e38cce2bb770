"""``edubrain init`` and ``edubrain status``."""

from __future__ import annotations

import typer
from sqlalchemy import func, select

from edubrain.cli.common import console, home, t
from edubrain.store import db
from edubrain.store.models import Organisation, SubmissionBatch
from edubrain.store.orgs import seed_organisations


def register(app: typer.Typer) -> None:
    """Add the commands to app."""
    app.command("init")(init)
    app.command("status")(status)


def init() -> None:
    """创建 EduBrain 数据目录、数据库表并登记市和 16 个区 / create the home, migrate, seed the organisation tree.

    Example: EDUBRAIN_HOME=./var edubrain init
    """
    h = home()
    h.settings.home.mkdir(parents=True, exist_ok=True)
    db.upgrade(h.settings.resolved_database_url)
    with db.session_scope(h.engine) as session:
        added = seed_organisations(session, h.catalog)
    h.lake.root.mkdir(parents=True, exist_ok=True)
    console.print(
        t(
            f"已初始化 {h.settings.home}：数据库 {h.engine.url.render_as_string(hide_password=True)}，"
            f"湖 {h.lake.root}，新登记单位 {added} 个",
            f"Initialised {h.settings.home}: database {h.engine.url.render_as_string(hide_password=True)}, "
            f"lake {h.lake.root}, {added} organisations added",
        )
    )


def status() -> None:
    """显示各数据集的版本与行数 / show each dataset's version and row count.

    Example: edubrain status
    """
    h = home()
    h.ensure_initialised()
    with db.session_scope(h.engine) as session:
        orgs = session.scalar(select(func.count()).select_from(Organisation))
        batches = session.scalar(select(func.count()).select_from(SubmissionBatch))
    console.print(t(f"单位 {orgs} 个，提交批次 {batches} 个", f"{orgs} organisations, {batches} submission batches"))
    for dataset in h.catalog.datasets.values():
        version = h.lake.version(dataset.id)
        rows = h.lake.count(dataset.id) if version is not None else 0
        shown = "-" if version is None else str(version)
        console.print(f"  {dataset.id:<24} {dataset.title_zh:<12} v{shown:<5} {rows:>10,} rows")
