"""Errors of the credential core, each with a Chinese and an English message."""

from __future__ import annotations

from edubrain.errors import EduBrainError


class CredentialError(EduBrainError):
    """A credential could not be issued, encoded or checked."""

    code = "credential_error"


class UnknownContextError(CredentialError):
    """A JSON-LD context URL that is not pinned in the package; nothing was downloaded."""

    code = "unknown_context"


class KeyFormatError(CredentialError):
    """A key, multibase value or verification method that is not in an accepted form."""

    code = "key_format_error"


class StatusListError(CredentialError):
    """A Bitstring Status List or a credentialStatus entry that is malformed or out of range."""

    code = "status_list_error"


class PseudonymRequiredError(CredentialError):
    """A credential subject identifier that looks like a student number, not a pseudonym."""

    code = "pseudonym_required"
