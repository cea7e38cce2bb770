"""The server's logs without pupil data: access lines without query strings, tracebacks without messages.

A page's query string may hold a filter on a pupil (``?student_id=…``,
``?name=张三``) and an exception's message may quote a row's values, so:

- :class:`DropQueryString` cuts the query from uvicorn's access line
  (``"GET /data/students HTTP/1.1" 200``);
- :class:`RedactTraceback` replaces a record's exception by its redacted
  traceback: each frame (file, line, function, source line) and the
  exception's type, never its message.

``edubrain serve`` runs uvicorn with :func:`uvicorn_log_config`; an app run by
``uvicorn --factory`` directly gets the same filters on uvicorn's loggers from
:func:`install_log_filters` when it starts.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType
from typing import Any

ACCESS_LOGGER = "uvicorn.access"
ERROR_LOGGER = "uvicorn.error"
ERROR_ID_ATTRIBUTE = "edubrain_error_id"
"""Set on an exception the app has answered with a 500 and logged under that id (see ``api/errors.py``)."""


def redacted_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` (and of its causes) with every frame and type, but no exception message."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.StackSummary.extract(traceback.walk_tb(current.__traceback__)).format())
        kind = type(current)
        parts.append(f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}: <redacted>")
        current = current.__cause__ or current.__context__
    return "\n\nwhich was raised while handling, or caused by:\n\n".join(reversed(parts)) if parts else ""


class DropQueryString(logging.Filter):
    """Cut the query string from uvicorn's access records (``client, method, path?query, version, status``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the path argument in place; never drops a record."""
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


class RedactTraceback(logging.Filter):
    """Replace a record's exception by :func:`redacted_traceback` (its message may quote pupil data)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Format the exception now, without its message; never drops a record."""
        exc = _exception_of(record.exc_info)
        if exc is not None:
            error_id = getattr(exc, ERROR_ID_ATTRIBUTE, None)
            logged = f"{type(exc).__qualname__}: logged above as internal error {error_id}"
            record.exc_text = logged if error_id else redacted_traceback(exc)
            record.exc_info = None
        return True


def _exception_of(info: Any) -> BaseException | None:
    if isinstance(info, BaseException):
        return info
    if isinstance(info, tuple) and len(info) == 3 and isinstance(info[1], BaseException):
        value: BaseException = info[1]
        tb: TracebackType | None = info[2]
        return value.with_traceback(tb) if value.__traceback__ is None else value
    return None


def install_log_filters() -> None:
    """Put the filters on uvicorn's loggers (once), whatever configured them."""
    for name, kind in ((ACCESS_LOGGER, DropQueryString), (ERROR_LOGGER, RedactTraceback)):
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())


def uvicorn_log_config() -> dict[str, Any]:
    """Uvicorn's default logging configuration with the filters on its handlers."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG}
    config["filters"] = {
        "drop_query": {"()": f"{__name__}.DropQueryString"},
        "redact_traceback": {"()": f"{__name__}.RedactTraceback"},
    }
    handlers = {name: dict(handler) for name, handler in LOGGING_CONFIG["handlers"].items()}
    handlers["default"]["filters"] = ["redact_traceback"]
    handlers["access"]["filters"] = ["drop_query", "redact_traceback"]
    config["handlers"] = handlers
    config["loggers"] = {**LOGGING_CONFIG["loggers"], "edubrain": {"handlers": ["default"], "level": "INFO"}}
    return config
