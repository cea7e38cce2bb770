"""Errors of the LRS, each with its HTTP status (the API maps ``code`` to it, see ``api/errors.py``)."""

from __future__ import annotations

from edubrain.errors import EduBrainError


class StatementInvalid(EduBrainError):
    """A request or statement breaks the xAPI specification (400 Bad Request); nothing was stored."""

    code = "xapi_invalid"


class StatementConflict(EduBrainError):
    """A statement id is already stored with a different statement (409 Conflict); nothing was stored."""

    code = "xapi_conflict"


class StatementNotFound(EduBrainError):
    """No statement with this id inside the caller's scope (404, the same for unknown and out of scope)."""

    code = "not_found"


def invalid(where: str, zh: str, en: str) -> StatementInvalid:
    """A :class:`StatementInvalid` naming the property (``statement.actor.mbox``) and what is allowed."""
    return StatementInvalid(f"{where}：{zh}", f"{where}: {en}", where=where)
