"""The ``edubrain`` command: a thin shell over the library.

Errors from the library are printed as one line in the user's language
(``EDUBRAIN_LANG`` or ``--lang``) with the error's exit code; ``--debug``
shows the traceback instead.
"""

from __future__ import annotations

import sys

import typer

from edubrain.cli import admin, audit, catalog, exchange, query, users
from edubrain.cli.common import state
from edubrain.config import Settings
from edubrain.errors import EduBrainError

app = typer.Typer(
    name="edubrain",
    help="EduBrain 教育数据大脑：城市教育数据平台 / the city education data platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _options(
    lang: str = typer.Option(None, "--lang", help="消息语言 zh|en / message language (default EDUBRAIN_LANG or zh)."),
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整回溯 / show tracebacks."),
) -> None:
    state.lang = lang or Settings().lang
    state.debug = debug


admin.register(app)
app.add_typer(catalog.app, name="catalog")
exchange.register(app)
query.register(app)
users.register(app)
app.add_typer(audit.app, name="audit")


def main() -> None:
    """Entry point of the ``edubrain`` command."""
    try:
        app()
    except EduBrainError as exc:
        if state.debug:
            raise
        typer.echo(f"错误 / error: {exc.zh}" if state.lang == "zh" else f"error: {exc.en}", err=True)
        sys.exit(exc.exit_code)
