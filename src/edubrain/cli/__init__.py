"""The ``edubrain`` command: a thin shell over the library.

Errors from the library are printed as one line in the user's language
(``EDUBRAIN_LANG`` or ``--lang``) with the error's exit code; ``--debug``
shows the traceback instead.
"""

from __future__ import annotations

import sys
from enum import StrEnum

import typer
from pydantic import ValidationError

from edubrain.cli import admin, audit, catalog, exchange, fitness, forecast, query, server, synth, transfer, users
from edubrain.cli import at_risk as at_risk_cli
from edubrain.cli import credit_bank as credit_bank_cli
from edubrain.cli import facilities as facilities_cli
from edubrain.cli import identity as identity_cli
from edubrain.cli import kt as kt_cli
from edubrain.cli import lrs as lrs_cli
from edubrain.cli import monitoring as monitoring_cli
from edubrain.cli import profiles as profiles_cli
from edubrain.cli import public_service as public_service_cli
from edubrain.cli import safety as safety_cli
from edubrain.cli import smart_campus as smart_campus_cli
from edubrain.cli import supervision as supervision_cli
from edubrain.cli import teaching as teaching_cli
from edubrain.cli import training as training_cli
from edubrain.cli.common import CommandGroup, state
from edubrain.config import Settings
from edubrain.errors import ConfigurationError, EduBrainError


class Lang(StrEnum):
    """Message languages."""

    zh = "zh"
    en = "en"


app = CommandGroup(
    name="edubrain",
    help="EduBrain 教育数据大脑：城市教育数据平台 / the city education data platform.\n\nExample: edubrain --lang en catalog list",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _options(
    lang: Lang = typer.Option(None, "--lang", help="消息语言 zh|en / message language (default EDUBRAIN_LANG or zh)."),
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整回溯 / show tracebacks."),
) -> None:
    state.debug = debug
    if lang is not None:
        state.lang = lang.value
        return
    try:
        state.lang = Settings().lang
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "EDUBRAIN_" + "_".join(str(p) for p in first["loc"]).upper()
        raise ConfigurationError(
            f"设置 {where} 无效：{first['msg']}", f"Setting {where} is invalid: {first['msg']}"
        ) from exc


admin.register(app)
app.add_typer(catalog.app, name="catalog")
exchange.register(app)
transfer.register(app)
server.register(app)
query.register(app)
users.register(app)
synth.register(app)
app.add_typer(audit.app, name="audit")
app.add_typer(forecast.app, name="forecast")
fitness.register(app)
identity_cli.register(app)
profiles_cli.register(app)
training_cli.register(app)
at_risk_cli.register(app)
supervision_cli.register(app)
safety_cli.register(app)
teaching_cli.register(app)
monitoring_cli.register(app)
facilities_cli.register(app)
smart_campus_cli.register(app)
credit_bank_cli.register(app)
public_service_cli.register(app)
kt_cli.register(app)
lrs_cli.register(app)


def main() -> None:
    """Entry point of the edubrain command."""
    try:
        app()
    except EduBrainError as exc:
        if state.debug:
            raise
        typer.echo(f"错误 / error: {exc.zh}" if state.lang == "zh" else f"error: {exc.en}", err=True)
        sys.exit(exc.exit_code)
